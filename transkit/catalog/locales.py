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

import os
import re
from dataclasses import dataclass
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


def locale_from_filename(path: str | os.PathLike, domain: str | None = None) -> str | None:
    """The locale a catalog's file name (or folder) names: ``plugin-it_IT.po`` → ``it_IT``,
    ``locale/de/LC_MESSAGES/x.po`` → ``de``, ``po/pt_BR.po`` → ``pt_BR``."""
    path = Path(path)
    stem = path.name
    for suffix in (".l10n.php", ".po", ".pot", ".mo", ".json"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    if path.parent.name == "LC_MESSAGES" and parse_locale(path.parent.parent.name):
        return parse_locale(path.parent.parent.name).code
    if domain and stem.startswith(domain + "-"):
        candidate = stem[len(domain) + 1:]
        return parse_locale(candidate).code if parse_locale(candidate) else None
    info = parse_locale(stem)
    if info is not None:
        return info.code
    # "<domain>-<locale>": try every split at a hyphen, longest locale first
    for index, char in enumerate(stem):
        if char == "-":
            info = parse_locale(stem[index + 1:])
            if info is not None:
                return info.code
    return None


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
    from babel import Locale, UnknownLocaleError
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
    from babel import Locale, UnknownLocaleError

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
