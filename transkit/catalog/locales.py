"""Locale names, plural rules and display names.

Locale names come in many shapes in the wild: ``it_IT``, ``pt-BR``, ``zh_TW.Big5``, ``ca@valencia``,
``de_DE_formal`` (WordPress), ``sr_RS@latin``. ``parse_locale`` understands all of them.

Plural-Forms: GNU gettext / WordPress (GlotPress) values are what translators and msgfmt expect, and
they differ from a literal translation of CLDR's rules (CLDR counts decimals, giving e.g. 4 forms for
Russian where every gettext catalog has 3). So the table below, which holds the values WordPress
ships (GlotPress ``locales.php``), wins; babel's CLDR data is the fallback for languages not in it,
and provides locale display names.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from transkit.catalog.plural import MAX_NPLURALS, compile_plural

_RU = "nplurals=3; plural=(n % 10 == 1 && n % 100 != 11) ? 0 : ((n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)) ? 1 : 2);"
_ONE = "nplurals=1; plural=0;"
_EN = "nplurals=2; plural=n != 1;"
_FR = "nplurals=2; plural=n > 1;"

# language (or language_TERRITORY) -> Plural-Forms, as WordPress/GlotPress writes them
WORDPRESS_PLURAL_FORMS: dict[str, str] = {
    **{lang: _ONE for lang in (
        "ja", "ko", "zh", "vi", "th", "id", "ms", "ka", "km", "lo", "my", "bo", "jv", "su",
        "dz", "ii", "yo", "tl",
    )},
    **{lang: _EN for lang in (
        "en", "de", "nl", "sv", "da", "nb", "nn", "no", "fi", "et", "el", "es", "it", "pt", "bg",
        "hu", "ca", "eu", "gl", "he", "eo", "af", "sq", "az", "hi", "bn", "ta", "te", "ur", "sw",
        "mn", "ne", "kk", "fo", "fy", "gu", "kn", "ml", "mr", "pa", "ps", "si", "so", "tk", "uz",
        "ast", "an", "rm", "sco", "lb", "ky", "tt", "ckb", "as", "or", "haz", "kab", "fur", "ha",
        "nso", "xh", "zu", "ku", "ug", "skr", "azb", "snd",
    )},
    **{lang: _FR for lang in ("fr", "pt_BR", "tr", "fa", "oc", "hy", "am", "ln", "mg", "wa", "fil", "ti", "tah")},
    **{lang: _RU for lang in ("ru", "uk", "be", "sr", "hr", "bs")},
    "pl": "nplurals=3; plural=(n == 1) ? 0 : ((n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)) ? 1 : 2);",
    "cs": "nplurals=3; plural=(n == 1) ? 0 : ((n >= 2 && n <= 4) ? 1 : 2);",
    "sk": "nplurals=3; plural=(n == 1) ? 0 : ((n >= 2 && n <= 4) ? 1 : 2);",
    "sl": "nplurals=4; plural=(n % 100 == 1) ? 0 : ((n % 100 == 2) ? 1 : ((n % 100 == 3 || n % 100 == 4) ? 2 : 3));",
    "lt": "nplurals=3; plural=(n % 10 == 1 && (n % 100 < 11 || n % 100 > 19)) ? 0 : ((n % 10 >= 2 && n % 10 <= 9 && (n % 100 < 11 || n % 100 > 19)) ? 1 : 2);",
    "lv": "nplurals=3; plural=(n % 10 == 1 && n % 100 != 11) ? 0 : (n != 0 ? 1 : 2);",
    "ro": "nplurals=3; plural=(n == 1) ? 0 : ((n == 0 || n % 100 >= 2 && n % 100 <= 19) ? 1 : 2);",
    "ary": "nplurals=6; plural=(n == 0) ? 0 : ((n == 1) ? 1 : ((n == 2) ? 2 : ((n % 100 >= 3 && n % 100 <= 10) ? 3 : ((n % 100 >= 11 && n % 100 <= 99) ? 4 : 5))));",
    "ar": "nplurals=6; plural=(n == 0) ? 0 : ((n == 1) ? 1 : ((n == 2) ? 2 : ((n % 100 >= 3 && n % 100 <= 10) ? 3 : ((n % 100 >= 11 && n % 100 <= 99) ? 4 : 5))));",
    "ga": "nplurals=5; plural=(n == 1) ? 0 : ((n == 2) ? 1 : ((n >= 3 && n <= 6) ? 2 : ((n >= 7 && n <= 10) ? 3 : 4)));",
    "cy": "nplurals=4; plural=(n == 1) ? 0 : ((n == 2) ? 1 : ((n != 8 && n != 11) ? 2 : 3));",
    "gd": "nplurals=4; plural=(n == 1 || n == 11) ? 0 : ((n == 2 || n == 12) ? 1 : ((n > 2 && n < 20) ? 2 : 3));",
    "mk": "nplurals=2; plural=(n % 10 == 1 && n % 100 != 11) ? 0 : 1;",
    "is": "nplurals=2; plural=(n % 10 != 1 || n % 100 == 11);",
    "mt": "nplurals=4; plural=(n == 1) ? 0 : ((n == 0 || (n % 100 > 1 && n % 100 < 11)) ? 1 : ((n % 100 > 10 && n % 100 < 20) ? 2 : 3));",
    "br": _FR,
}

_LOCALE_RE = re.compile(
    r"""^(?P<language>[a-zA-Z]{2,3})
        (?:[_-](?P<script>[A-Z][a-z]{3}))?
        (?:[_-](?P<territory>[a-zA-Z]{2}|\d{3}))?
        (?:[_-](?P<variant>[a-zA-Z0-9]+))?
        (?:\.(?P<charset>[A-Za-z0-9_-]+))?
        (?:@(?P<modifier>[A-Za-z0-9_-]+))?$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class LocaleInfo:
    """A parsed locale name. ``code`` is the normalised gettext form (``pt_BR``, ``ca@valencia``)."""

    language: str
    territory: str = ""
    script: str = ""
    variant: str = ""  # WordPress variants: "formal", "informal"
    charset: str = ""
    modifier: str = ""  # "@valencia", "@latin"
    original: str = ""

    @property
    def code(self) -> str:
        code = self.language
        if self.script:
            code += f"_{self.script}"
        if self.territory:
            code += f"_{self.territory}"
        if self.variant:
            code += f"_{self.variant}"
        if self.modifier:
            code += f"@{self.modifier}"
        return code

    @property
    def formal(self) -> bool | None:
        """True for ``*_formal`` locales, False for ``*_informal``, None when unspecified."""
        if self.variant.lower() == "formal":
            return True
        if self.variant.lower() == "informal":
            return False
        return None

    @property
    def display_name(self) -> str:
        return locale_display_name(self.code)


def parse_locale(name: str) -> LocaleInfo | None:
    """Parse a locale name; None when it is not one (so callers can tell a locale from a word)."""
    match = _LOCALE_RE.match(name.strip())
    if not match:
        return None
    parts = match.groupdict()
    variant = parts["variant"] or ""
    territory = parts["territory"] or ""
    if variant and not territory:
        return None
    if len(territory) == 2 and not territory.isupper() and not territory.islower():
        return None
    return LocaleInfo(
        language=parts["language"].lower(),
        territory=territory.upper(),
        script=parts["script"] or "",
        variant=variant,
        charset=parts["charset"] or "",
        modifier=parts["modifier"] or "",
        original=name,
    )


# modifiers that name a script: sr_RS@latin is not written like sr_RS, so it inherits nothing
_SCRIPT_MODIFIERS = {"latin", "cyrillic", "arabic", "devanagari"}


def locale_fallbacks(locale: str) -> list[str]:
    """The locales whose agreed terms serve ``locale``, closest first: itself; without its
    WordPress variant (de_DE_formal → de_DE, pt_PT_ao90 → pt_PT, nl_NL_formal → nl_NL); without a
    modifier that is not a script (ca@valencia → ca; sr_RS@latin keeps only itself); then the
    bare language (it for it_IT). Never another territory: pt_BR is not pt_PT, de_CH is not de_DE.
    A name that is no locale is its own only fallback."""
    info = parse_locale(locale)
    if info is None:
        return [locale]
    chain = [info.code]
    if info.modifier.lower() in _SCRIPT_MODIFIERS:
        return chain
    if info.variant:
        chain.append(replace(info, variant="").code)
    if info.modifier:
        chain.append(replace(info, variant="", modifier="").code)
    if info.territory or info.script:
        chain.append(info.language)
    return list(dict.fromkeys(chain))


# -- which locale is this catalog file ----------------------------------------------------------
# A file name is read strictly (language lower case, territory upper case, as gettext and WordPress
# write them), so the tail of a slug ("my-gb", "easy-ads") is never taken for a locale.
_STRICT_LOCALE_RE = re.compile(
    r"^[a-z]{2,3}(?:[_-][A-Z][a-z]{3})?(?:[_-](?:[A-Z]{2}|\d{3}))?(?:_[a-z0-9]+)?(?:@[a-z]+)?$")
# language codes WordPress uses that CLDR does not list (GlotPress locales.php)
_WORDPRESS_ONLY_LANGUAGES = {"bel", "ary", "azb", "haz", "skr", "snd", "tah", "rhg", "twd", "ug", "ckb",
                             "kab", "fur", "sah", "szl", "tl", "ua"}
CATALOG_SUFFIXES = (".l10n.php", ".po", ".pot", ".mo", ".gmo", ".json")
# what answered "which locale", in the order they are asked
LOCALE_SOURCES = ("header", "poedit-header", "file-name", "folder", "language-team")


def catalog_stem(name: str) -> tuple[str, str]:
    """``x-de_DE.l10n.php`` → ``("x-de_DE", "l10n.php")``; the suffix is ``""`` for other files."""
    lower = name.lower()
    for suffix in CATALOG_SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)], suffix.lstrip(".")
    return name, ""


# a POSIX locale's charset after the locale (ll_CC.charset[@modifier]): "mm-ko.euc-kr", "de_DE.UTF-8"
_CHARSET_TAIL_RE = re.compile(r"^(?P<stem>.+?)\.(?P<charset>[A-Za-z][A-Za-z0-9_-]*)(?P<modifier>@[A-Za-z0-9]+)?$")


def _without_charset(stem: str) -> str:
    """A file name's stem without a charset suffix (``mm-ko.euc-kr`` → ``mm-ko``, ``de_DE.UTF-8`` →
    ``de_DE``, ``ja_JP.eucJP@x`` → ``ja_JP@x``): ``kr`` of ``euc-kr`` is no locale. Only a name
    Python knows as a text encoding counts, so a dotted domain (``com.example.app``) stays whole."""
    match = _CHARSET_TAIL_RE.match(stem)
    if match is None:
        return stem
    try:
        is_text = codecs.lookup(match["charset"])._is_text_encoding  # "hex", "zip" are codecs too
    except LookupError:
        return stem
    return match["stem"] + (match["modifier"] or "") if is_text else stem


def _known_language(language: str) -> bool:
    return language in _WORDPRESS_ONLY_LANGUAGES or language in WORDPRESS_PLURAL_FORMS \
        or language in _english_names()[0].values()


def _file_locale(text: str, require_known: bool) -> str | None:
    if not _STRICT_LOCALE_RE.match(text):
        return None
    info = parse_locale(text)
    if info is None or (require_known and not _known_language(info.language)):
        return None
    return info.code


@dataclass(frozen=True)
class CatalogName:
    """What a catalog file name says: ``contact-form-7-de_DE.po`` → domain ``contact-form-7``, locale
    ``de_DE``, separator ``-``. ``separator`` is ``_`` for the misnamed ``slug_uk_UA.po`` WordPress
    never loads, ``""`` when the name is the locale alone (``de_DE.po``, a theme's own catalogs)."""

    domain: str
    locale: str | None
    separator: str = "-"
    suffix: str = ""


def parse_catalog_name(name: str, domain: str | None = None, slug: str | None = None) -> CatalogName:
    """Split a catalog file name into domain and locale, knowing the domain when it is known (the
    project's text domain or its template's name): ``my-gb-es_ES.po`` with domain ``my-gb`` is es_ES.
    With the project's ``slug`` too (WordPress names language packs by slug, the plugin's files by
    text domain) the longer of the two is tried first: ``acme-pro-fr_FR.po`` of plugin acme-pro,
    text domain acme, is (acme-pro, fr_FR), not (acme, pro_FR_FR)."""
    stem, suffix = catalog_stem(name)
    stem = _without_charset(stem)
    if suffix == "json":  # WordPress JS translations: <domain>-<locale>-<md5>.json
        stem = re.sub(r"-[0-9a-f]{32}$", "", stem)
    for known in sorted({known for known in (domain, slug) if known}, key=len, reverse=True):
        for separator in ("-", "_", "."):
            if stem.startswith(known + separator):
                rest = stem[len(known) + 1:]
                info = parse_locale(rest)
                if info is not None:
                    return CatalogName(known, info.code, separator, suffix)
        if stem == known:
            return CatalogName(known, None, "", suffix)
    whole = _file_locale(stem, require_known=len(stem) <= 3)
    if whole is not None:
        return CatalogName("", whole, "", suffix)
    # "<domain>-<locale>" with the domain unknown: the shortest tail that is a locale, so a slug
    # ending in a short word ("easy-ads-pt_BR") keeps its word; then "_" as a (wrong) separator
    for separator in ("-", "_", "."):
        positions = [i for i, char in enumerate(stem) if char == separator]
        for index in reversed(positions):
            tail = stem[index + 1:]
            locale = _file_locale(tail, require_known=True)
            if locale is None and separator == "-":
                locale = _file_locale(tail, require_known=False) if "_" in tail else None
            if locale is not None and index > 0:
                return CatalogName(stem[:index], locale, separator, suffix)
    return CatalogName(stem, None, "", suffix)


def locale_from_filename(path: str | os.PathLike, domain: str | None = None,
                         slug: str | None = None) -> str | None:
    """The locale a catalog's file name (or folder) names: ``plugin-it_IT.po`` → ``it_IT``,
    ``locale/de/LC_MESSAGES/x.po`` → ``de``, ``po/pt_BR.po`` → ``pt_BR``."""
    path = Path(path)
    if path.parent.name == "LC_MESSAGES" and parse_locale(path.parent.parent.name):
        return parse_locale(path.parent.parent.name).code
    return parse_catalog_name(path.name, domain, slug).locale


@lru_cache(maxsize=1)
def _english_names() -> tuple[dict[str, str], dict[str, str]]:
    """(lower-case English language name → code, lower-case territory name → code), from CLDR."""
    from babel import Locale  # lazy: babel (CLDR) only when a language is looked up by name

    english = Locale("en")
    languages = {name.lower(): code for code, name in english.languages.items()}
    territories = {name.lower(): code for code, name in english.territories.items() if code.isalpha()}
    # names Poedit and Loco wrote that CLDR spells otherwise
    languages.update({"norwegian bokmal": "nb", "chinese simplified": "zh_CN", "chinese traditional": "zh_TW",
                      "farsi": "fa", "castellano": "es", "brazilian portuguese": "pt_BR"})
    territories.update({"russian federation": "RU", "korea, republic of": "KR", "viet nam": "VN",
                        "iran, islamic republic of": "IR", "taiwan, province of china": "TW",
                        "united states": "US", "united kingdom": "GB"})
    return languages, territories


def normalize_locale(text: str, country: str = "") -> str | None:
    """A locale code for what a header says: ``pt-BR`` → ``pt_BR``, ``French`` → ``fr``,
    ``Persian (Iran)`` → ``fa_IR``, ``zh_TW.Big5`` → ``zh_TW``; with Poedit's ``X-Poedit-Country``
    (``Chinese`` + ``TAIWAN``) the territory is added. None when it names no language."""
    text = (text or "").strip()
    if not text:
        return None
    info = parse_locale(text)
    if info is not None and (len(info.language) == 2 or _known_language(info.language)):
        code = info.code
    else:
        languages, territories = _english_names()
        lowered = text.lower()
        name, _, territory_name = lowered.partition("(")
        code = languages.get(lowered) or languages.get(name.strip())
        if code is None:
            return None
        territory = territories.get(territory_name.rstrip(") ").strip()) if territory_name else None
        if territory and "_" not in code:
            code = f"{code}_{territory}"
    if country and "_" not in code:
        territory = _english_names()[1].get(country.strip().lower())
        if territory is None and re.fullmatch(r"[A-Za-z]{2}", country.strip()):
            territory = country.strip().upper()
        if territory:
            code = f"{code}_{territory}"
    return code


def _language_team_locale(team: str) -> str | None:
    """``Russian (Russia) (http://…/ru_RU/)`` → ``ru_RU``; ``de_DE <LL@li.org>`` → ``de_DE``;
    the template's ``LANGUAGE <LL@li.org>`` → None."""
    team = re.sub(r"<[^>]*>|\(https?:[^)]*\)", "", team or "").strip()
    if not team or team.upper() == "LANGUAGE" or team.lower() == "none":
        return None
    return normalize_locale(team)


def _compatible(first: str, second: str) -> bool:
    """The same language, and the same territory when both name one (de and de_DE agree)."""
    a, b = parse_locale(first), parse_locale(second)
    if a is None or b is None:
        return first == second
    return a.language == b.language and (not a.territory or not b.territory or a.territory == b.territory)


def _same_language(first: str, second: str) -> bool:
    a, b = parse_locale(first), parse_locale(second)
    return a is not None and b is not None and a.language == b.language


@dataclass(frozen=True)
class LocaleAnswer:
    """Which locale a catalog file is in, and what said so (one of ``LOCALE_SOURCES``; ``None`` when
    nothing did). ``warning`` names a conflict between the header and the file name."""

    code: str | None
    source: str | None
    warning: str | None = None

    def as_dict(self) -> dict:
        return {"locale": self.code, "locale_source": self.source, "locale_warning": self.warning}


def catalog_locale(path: str | os.PathLike | None, header: dict[str, str] | None = None,
                   domain: str | None = None, slug: str | None = None) -> LocaleAnswer:
    """THE answer to "which locale is this catalog": the header's ``Language`` (normalised), then
    ``X-Poedit-Language``/``-Country``, then the file name read knowing ``domain`` and the project's
    ``slug`` (``parse_catalog_name``: a WordPress language pack is named by slug) (or the
    ``LC_MESSAGES`` folder), then ``Language-Team``. When header and file name name the same
    language (``de`` in ``x-de_DE.po``, ``ja_JP`` in ``x-ja.mo``) the file name's code is the answer:
    it is the one the file is loaded by — with a warning when they contradict (``de_CH`` in
    ``x-de_DE.po``). A header naming another language wins, with a warning."""
    header = header or {}
    from_name = locale_from_filename(path, domain, slug) if path is not None else None
    name_source = None
    if from_name is not None:
        name_source = "folder" if Path(path).parent.name == "LC_MESSAGES" else "file-name"
    from_header, header_source = normalize_locale(header.get("Language", "")), "header"
    if from_header is None and header.get("X-Poedit-Language"):
        from_header = normalize_locale(header["X-Poedit-Language"], header.get("X-Poedit-Country", ""))
        header_source = "poedit-header"
    if from_header is not None:
        if from_name is None:
            return LocaleAnswer(from_header, header_source)
        if _compatible(from_header, from_name):
            # the same language: the file name's code is the one WordPress (or gettext) loads it by
            return LocaleAnswer(from_name, name_source)
        raw = header.get("Language") or header.get("X-Poedit-Language")
        said = f"the header says {raw!r}" + (f" ({from_header})" if raw != from_header else "")
        if _same_language(from_header, from_name):  # de_CH in x-de_DE.po: loaded, and used, as de_DE
            return LocaleAnswer(from_name, name_source, f"{said} but the file name says {from_name}; "
                                f"it is loaded as {from_name}, so it is used as {from_name}")
        return LocaleAnswer(from_header, header_source,
                            f"{said} but the file name says {from_name}; WordPress loads it as {from_name}, "
                            f"its strings are taken as {from_header}")
    if from_name is not None:
        return LocaleAnswer(from_name, name_source)
    from_team = _language_team_locale(header.get("Language-Team", ""))
    if from_team is not None:
        return LocaleAnswer(from_team, "language-team")
    return LocaleAnswer(None, None)


@lru_cache(maxsize=256)
def plural_forms_for(locale: str) -> str:
    """The Plural-Forms header value for a locale (WordPress's value where it has one)."""
    info = parse_locale(locale)
    if info is None:
        raise ValueError(f"not a locale name: {locale!r}")
    for key in (f"{info.language}_{info.territory}", info.language):
        if key in WORDPRESS_PLURAL_FORMS:
            return WORDPRESS_PLURAL_FORMS[key]
    return _plural_forms_from_cldr(info.language)


def _plural_forms_from_cldr(language: str) -> str:
    from babel import Locale, UnknownLocaleError  # lazy: babel (CLDR) only for a plural rule WordPress lacks
    from babel.plural import to_gettext

    try:
        rule = Locale.parse(language).plural_form
    except (UnknownLocaleError, ValueError):
        return _EN
    text = to_gettext(rule)
    # babel's output may use CLDR operands (e, v, i) that gettext does not know
    try:
        evaluate_plural(parse_plural_forms(text)[1], 1)
        return text
    except (ValueError, TypeError):
        return _EN


def locale_display_name(locale: str) -> str:
    """``it_IT`` → ``Italian (Italy)``; falls back to the code itself."""
    from babel import Locale, UnknownLocaleError  # lazy: babel (CLDR) only when a name is shown

    info = parse_locale(locale)
    if info is None:
        return locale
    try:
        name = Locale.parse(f"{info.language}_{info.territory}" if info.territory else info.language)
        text = name.get_display_name("en") or locale
    except (UnknownLocaleError, ValueError):
        return locale
    if info.variant:
        text += f", {info.variant}"
    if info.modifier:
        text += f", {info.modifier}"
    return text


# -- Plural-Forms expressions --------------------------------------------------------------------
_PLURAL_FORMS_RE = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.S)


def parse_plural_forms(value: str) -> tuple[int, str] | None:
    """``"nplurals=2; plural=n != 1;"`` → ``(2, "n != 1")``; None when absent or malformed."""
    match = _PLURAL_FORMS_RE.match(value or "")
    if not match:
        return None
    nplurals = int(match.group(1))
    if not 0 < nplurals <= MAX_NPLURALS:  # no language has more than 6; a huge count is a lie
        return None
    expression = match.group(2).rstrip(";").strip()
    try:
        compile_plural(expression)
    except ValueError:
        return None
    return nplurals, expression


# the parser lives in plural.py (no recursion limit); this name stays for existing callers
_compile_plural = compile_plural


def evaluate_plural(expression: str, n: int) -> int:
    """Which plural form index the expression picks for n."""
    return compile_plural(expression)(n)


@lru_cache(maxsize=128)
def plural_examples(plural_forms: str, limit: int = 4) -> list[list[int]]:
    """For each form index, the first few numbers that select it: for Russian
    ``[[1, 21, 31, 41], [2, 3, 4, 22], [0, 5, 6, 7]]``. Forms no integer selects get ``[]``."""
    parsed = parse_plural_forms(plural_forms)
    if parsed is None:
        return [[1], [0, 2, 3, 4]]
    nplurals, expression = parsed
    examples: list[list[int]] = [[] for _ in range(nplurals)]
    for n in list(range(0, 200)) + [1000, 1001, 1002, 1000000]:
        try:
            form = evaluate_plural(expression, n)
        except ValueError:  # divides by zero for this n: no example
            continue
        if 0 <= form < nplurals and len(examples[form]) < limit:
            examples[form].append(n)
    return examples


def is_known_language(locale: str) -> bool:
    """Whether ``locale`` names a language transkit knows (WordPress's plural table or the locale
    names it can display): ``qq_QQ`` is well formed but names none, and its plural rule would be a guess."""
    info = parse_locale(locale)
    if info is None:
        return False
    return (info.language in WORDPRESS_PLURAL_FORMS or f"{info.language}_{info.territory}" in WORDPRESS_PLURAL_FORMS
            or locale_display_name(info.language) != info.language)
