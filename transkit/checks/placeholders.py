"""The one placeholder vocabulary: what parts of a message a translation must carry over unchanged.

Every module that needs to know "what are this entry's placeholders" asks here: the checks (compare
source and translation), masking before machine translation (``suggest/masking.py``), the fill's
write rule, the TUI's highlighting and export's blocking (both through the checks). No other module
matches placeholders.

``find_placeholders(text, flags, rules)`` returns exact spans that never overlap, in text order.
Kinds:

* ``printf`` (``%s``, ``%1$s``, ``%.2f``, ``%-10s``, ``%%``) and ``python`` (``%(name)s``);
* ``variable``: WordPress-style ``%name%`` (``%plural%``, ``%user_name%``, ``%postname%``) and
  Yoast's replacement variables ``%%sitename%%``, each one token: ``%plural%`` is never printf
  ``%p`` + "lural%", ``%user_name%`` never ``%u``;
* ``brace`` (``{name}``, ``{0}``, ``{x:>10}``) and ``mustache`` (``{{name}}``, ``{{{raw}}}``);
* ``glotpress`` (``###NAME###``), ``shortcode`` (``[gallery id="1"]``, ``[/caption]``,
  ``[contact-form-7]``; a bare ``[word]`` only next to the word "shortcode", next to another
  shortcode, or where the catalog uses that name as a shortcode elsewhere: Sphinx's ``[source]``
  link and ``[Optional]`` are prose);
* ``dollar``: ``${name}`` everywhere, ``$name`` in ``javascript-format``/``sh-format`` entries or
  where the catalog uses them, ``colon`` (``:name``, Laravel/Sphinx) only where the catalog uses them;
* markup the translation must keep: ``tag`` (``<a href="…">``, ``</a>``), ``entity``
  (``&amp;``), ``url``, ``email`` and ``control`` characters.

How a piece is read depends on the entry and its catalog:

* with a ``c-format``/``php-format``/``python-format`` flag, gettext's parser of that language decides
  what a directive is (``% 1s`` is valid PHP), as ``msgfmt -c`` does; ``no-*-format`` turns printf
  recognition off; without a flag printf is recognised conservatively (GlotPress's rule) so that
  "100% sure" stays prose;
* ``rules_for_catalog(catalog)`` looks at what the catalog's msgids contain: a token style seen in
  many msgids (``:attribute`` in a Laravel catalog, ``$name`` in a template-literal one) is a token
  in every entry of that catalog. Weblate does the same per component with its ``laravel-format``,
  ``es-format`` and ``percent-placeholders`` flags; those flags are honoured per entry too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from transkit.checks.formats import FORMAT_FLAGS, PARSERS, InvalidFormat

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog

__all__ = ["MARKUP_KINDS", "Placeholder", "PlaceholderRules", "TOKEN_KINDS", "find_placeholders",
           "placeholder_texts", "rules_for_catalog", "rules_for_entry"]


@dataclass(frozen=True)
class Placeholder:
    kind: str
    text: str
    start: int
    end: int


# Kinds a translation must reproduce exactly (code substitutes them); markup kinds are compared by
# their own checks (tags may change attributes, URLs may point at a localised site).
TOKEN_KINDS = frozenset({"printf", "python", "variable", "brace", "mustache", "glotpress", "shortcode",
                         "dollar", "colon"})
MARKUP_KINDS = frozenset({"tag", "entity", "url", "email", "control"})


@dataclass(frozen=True)
class PlaceholderRules:
    """What a catalog uses beyond the always-known styles: ``colon`` (``:name``) and ``dollar``
    (``$name`` outside js/sh-format entries) are tokens in all its entries; bare ``[name]`` is a
    shortcode for the ``shortcodes`` names.
    ``evidence`` says how many msgids showed each optional style (for explaining the decision)."""

    colon: bool = False
    dollar: bool = False
    shortcodes: frozenset[str] = frozenset()  # names used as [name attr="…"] or [/name] in its msgids
    evidence: tuple[tuple[str, int], ...] = ()


DEFAULT_RULES = PlaceholderRules()
# "Many msgids": a style is the catalog's convention, not an accident of one string.
MANY_MSGIDS = 3

_SIZE = r"(?:hh|h|ll|l|L|q|j|z|t)"
_BARE_DIRECTIVE = _SIZE + r"?[diouxXeEfFgGaAcsSpbn]"
_NAME = r"[A-Za-z_][A-Za-z0-9_-]*[A-Za-z0-9_]"  # two characters at least: "%d%" is a typo
# Word boundaries are ASCII: a Japanese or Chinese translation glues tokens to its words ("削除%plural%",
# "详见https://…"), and a Unicode \b or \w would make them vanish from the translation only.
_GLUED = r"A-Za-z0-9_"

# Order matters: earlier alternatives win where spans would overlap (a URL's "%20" is part of the URL,
# %user_name% is one variable, not %u).
_ALWAYS = [
    ("url", rf"(?<![{_GLUED}])(?:https?|ftp)://[^\s<>\"'\])]*[^\s<>\"'\]).,;:!?]"
            rf"|(?<![{_GLUED}.])www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)])?"),
    ("email", rf"(?<![{_GLUED}.+-])[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[a-zA-Z]{{2,}}"
              rf"(?![{_GLUED}])"),
    ("tag", r"</?[a-zA-Z][a-zA-Z0-9:.-]*(?:\s+[^<>]*?)?/?>|<!--.*?-->"),
    ("entity", r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});"),
    ("control", r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"),
    ("glotpress", r"#{2,}[A-Za-z0-9_]+#{2,}"),
    # %%sitename%% (Yoast), then %name% not glued to a word: "%sGPL%s" is two printf directives
    ("variable", rf"%%{_NAME}%%|(?<![{_GLUED}])%(?!{_BARE_DIRECTIVE}%){_NAME}%(?![{_GLUED}])"),
    ("python", r"%\([A-Za-z_][\w.-]*\)[-+ #0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"),
    # flags only before a width/precision ("%-10s"), so that "50%-off" stays prose
    ("printf", r"%%|%(?:[1-9]\d*\$)?(?:(?:'.|[-+0#])+(?=[\d.*]))?(?:\d+|\*)?(?:\.(?:\d+|\*))?"
               + _SIZE + r"?[bcdeEfFgGiosuxX@]"),
    ("mustache", r"\{\{\{[^{}]*\}\}\}|\{\{[^{}]*\}\}"),
    ("dollar", r"\$\{[A-Za-z_][\w.]*\}"),  # a template literal's ${name}: unambiguous everywhere
    ("brace", r"\{[A-Za-z_0-9][\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}"),
    ("shortcode", r"\[/?[a-z][a-z0-9_-]*(?:\s[^\[\]]*?[=\"'][^\[\]]*)?/?\]"),
]
# a bare lowercase word in brackets: a shortcode only with evidence (see find_placeholders)
_BARE_SHORTCODE = re.compile(r"\[([a-z][a-z0-9]*)\]")
_SHORTCODE_NAME = re.compile(r"\[/?([a-z][a-z0-9_-]*)")
_DOLLAR = ("dollar", rf"(?<![{_GLUED}\\$])\$[A-Za-z_][A-Za-z0-9_]*")
_COLON = ("colon", rf"(?<![{_GLUED}:/\\.&%@#-]):[A-Za-z_][A-Za-z0-9_]*(?::(?=`))?")
_DOLLAR_FLAGS = frozenset({"javascript-format", "js-format", "es-format", "sh-format"})
_COLON_FLAGS = frozenset({"laravel-format"})
_NO_PRINTF = frozenset({"no-c-format", "no-php-format", "no-python-format"})
_MAYBE = re.compile(r"[%<&{#@\[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|://|www\.")


@lru_cache(maxsize=None)
def _pattern(dollar: bool, colon: bool) -> tuple[re.Pattern, dict[str, str]]:
    """The combined expression, and the kind of each of its groups (a kind may have two)."""
    parts = [*_ALWAYS, *([_DOLLAR] if dollar else []), *([_COLON] if colon else [])]
    groups = {f"g{index}": kind for index, (kind, _) in enumerate(parts)}
    return re.compile("|".join(f"(?P<g{index}>{pattern})" for index, (_, pattern) in enumerate(parts)),
                      re.S), groups


def find_placeholders(text: str, flags: Iterable[str] = (),
                      rules: PlaceholderRules | None = None) -> list[Placeholder]:
    """Every placeholder of ``text``, in order, without overlaps.

    ``flags`` are the entry's flags; ``rules`` what its catalog uses (``rules_for_catalog``; None
    knows only the styles every catalog shares).
    """
    if not text:
        return []
    flags = tuple(flags)
    rules = rules or DEFAULT_RULES
    dollar = rules.dollar or any(flag in _DOLLAR_FLAGS for flag in flags)
    colon = rules.colon or any(flag in _COLON_FLAGS for flag in flags)
    if not (_MAYBE.search(text) or (dollar and "$" in text) or (colon and ":" in text)):
        return []
    precise_spans: list[tuple[int, int]] = []
    for flag in flags:
        kind = FORMAT_FLAGS.get(flag)
        if kind is None or kind == "python-brace":
            continue  # {name} is found the same way with or without python-brace-format
        try:
            precise_spans.extend(PARSERS[kind](text, True).spans)
        except InvalidFormat:
            pass  # msgfmt's check reports it; here the conservative reading stays
    # once a language's parser has spoken only "%%" is left for the regular expression (parse_php
    # does not report it as a directive); a no-*-format flag says there are no directives at all
    printf_decided = bool(precise_spans) or any(flag in _NO_PRINTF for flag in flags)
    found: list[Placeholder] = []
    pattern, kinds = _pattern(dollar, colon)
    for match in pattern.finditer(text):
        kind = kinds[match.lastgroup]
        if printf_decided and kind in ("printf", "python") and not (precise_spans and match.group() == "%%"):
            continue
        found.append(Placeholder(kind, match.group(), match.start(), match.end()))
    if any(p.kind == "shortcode" for p in found):
        found = _without_prose_brackets(text, found, rules)
    if precise_spans:
        occupied = [(p.start, p.end) for p in found]
        for start, end in sorted(set(precise_spans)):
            if not any(s < end and start < e for s, e in occupied):
                found.append(Placeholder("python" if text.startswith("%(", start) else "printf",
                                         text[start:end], start, end))
        found.sort(key=lambda p: p.start)
    return found


def _without_prose_brackets(text: str, found: list[Placeholder], rules: PlaceholderRules) -> list[Placeholder]:
    """Drop bare ``[word]``s nothing shows to be shortcodes (Sphinx's "[source]" link is prose)."""
    bare = [p for p in found if p.kind == "shortcode" and _BARE_SHORTCODE.fullmatch(p.text)]
    if not bare or "shortcode" in text.lower() or len(bare) < sum(p.kind == "shortcode" for p in found):
        return found
    prose = {id(p) for p in bare if p.text[1:-1] not in rules.shortcodes}
    return [p for p in found if id(p) not in prose]


def rules_for_entry(rules: PlaceholderRules | None, sources: Iterable[str],
                    flags: Iterable[str] = ()) -> PlaceholderRules:
    """The catalog's rules plus what an entry's own source shows, for reading its translations: a
    bare ``[name]`` the source shows to be a shortcode (next to the word "shortcode") stays one in a
    translation that says "Kurzcode"."""
    rules = rules or DEFAULT_RULES
    flags = tuple(flags)
    names = {p.text[1:-1] for source in sources if source and "[" in source
             for p in find_placeholders(source, flags, rules)
             if p.kind == "shortcode" and _BARE_SHORTCODE.fullmatch(p.text)}
    if names <= rules.shortcodes:
        return rules
    return replace(rules, shortcodes=rules.shortcodes | names)


def placeholder_texts(placeholders: Iterable[Placeholder], kinds: Iterable[str]) -> list[str]:
    wanted = set(kinds)
    return [p.text for p in placeholders if p.kind in wanted]


_OPTIONAL_STYLES = {"colon": re.compile(_COLON[1]), "dollar": re.compile(_DOLLAR[1])}


def rules_for_catalog(catalog: "Catalog") -> PlaceholderRules:
    """The placeholder rules a catalog's own msgids show: an optional token style (``:name``,
    ``$name``) found in at least ``MANY_MSGIDS`` different msgids is a token in all its entries."""
    seen: Counter[str] = Counter()
    shortcodes: set[str] = set()
    for entry in catalog.entries:
        if entry.is_header:
            continue
        sources = [source for source in (entry.msgid, entry.msgid_plural) if source]
        for style, pattern in _OPTIONAL_STYLES.items():
            if any(pattern.search(source) for source in sources):
                seen[style] += 1
        for source in sources:
            if "[" in source:
                shortcodes.update(_SHORTCODE_NAME.match(p.text).group(1) for p in find_placeholders(source)
                                  if p.kind == "shortcode" and not _BARE_SHORTCODE.fullmatch(p.text))
    return PlaceholderRules(colon=seen["colon"] >= MANY_MSGIDS, dollar=seen["dollar"] >= MANY_MSGIDS,
                            shortcodes=frozenset(shortcodes), evidence=tuple(sorted(seen.items())))
