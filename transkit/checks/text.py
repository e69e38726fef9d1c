"""Checks of the text itself: GlotPress's warnings (placeholders, tags, newlines, URLs, ###NAME###,
start/end space, uppercase start, length) and pofilter's (escapes, entities, double spaces, end
punctuation, unchanged). Placeholder checks may also raise an ``error`` where PHP would fail."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Iterator

from transkit.checks.formats import FORMAT_FLAGS
from transkit.checks.placeholders import TOKEN_KINDS
from transkit.checks.problem import ERROR, WARNING, Problem

if TYPE_CHECKING:  # pragma: no cover
    from transkit.checks.context import CheckContext, EntryView

_POSITION = re.compile(r"^%[1-9]\d*\$")
# attributes whose value is prose a translator should translate
_TRANSLATABLE_ATTRIBUTE = re.compile(
    r"""\s(?:title|alt|aria-label|placeholder|value|label|data-[\w-]+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""",
    re.IGNORECASE)
# Scripts without letter case, or languages that translate ". ! ?" to their own marks
_OWN_PUNCTUATION = {"ja", "zh", "ko", "th", "lo", "km", "my", "bo", "am", "ti", "hy", "el", "ar", "fa",
                    "ur", "ps", "he", "hi", "bn", "mr", "ne", "pa", "gu", "or", "ta", "te", "kn", "ml",
                    "si", "dz", "ckb", "ug", "sd", "ks"}
_CJK = {"ja", "zh", "ko"}
_END_PUNCTUATION = ".!?:…"


def _printf_key(text: str) -> str:
    """``%2$s`` and ``%s`` are the same placeholder once reordering is allowed."""
    return _POSITION.sub("%", text)


def _kinds_checked_by_msgfmt(flags: list[str]) -> set[str]:
    kinds = set()
    for flag in flags:
        kind = FORMAT_FLAGS.get(flag)
        if kind in ("c", "php"):
            kinds.add("printf")
        elif kind == "python":
            kinds.update(("printf", "python"))
        elif kind == "python-brace":
            kinds.add("brace")
    return kinds


# Kinds code substitutes by name or position: a translation that loses or invents one shows the raw
# token (or nothing) on the site, so it is an error as GlotPress and Weblate flag it; printf has its
# own rule (PHP throws only when the translation needs more arguments than the code passes).
_SUBSTITUTED_KINDS = TOKEN_KINDS - {"printf", "python"}


def check_placeholders(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    """The same placeholders in source and translation (any order; a form used only for a few
    numbers may drop the count). Kinds that a format flag puts under msgfmt's check only get a
    warning when the spelling changed (``%1s`` → ``% 1s``); the rest (unflagged ``%s``,
    ``%plural%``, ``%%sitename%%``, ``{name}``, ``[gallery]``, ``###NAME###``) are compared here."""
    entry = view.entry
    by_msgfmt = _kinds_checked_by_msgfmt(entry.flags)
    # C code substitutes printf directives only: a "{HEXNUMBER}" of its usage text is prose
    substituted = set() if "c-format" in entry.flags else _SUBSTITUTED_KINDS
    for pair in view.pairs:
        if not pair.translation:
            continue
        source_keys = _placeholder_keys(view, pair.source)
        translation_keys = _placeholder_keys(view, pair.translation)
        if source_keys == translation_keys:
            continue  # the same placeholders in the same order (most entries): nothing to count
        source = Counter(source_keys)
        translation = Counter(translation_keys)
        if source == translation:
            continue
        missing = source - translation
        extra = translation - source
        if not pair.strict and not extra:
            continue  # a form used for a few numbers ("one") may leave the count out
        for (kind, text), count in sorted(missing.items()):
            if kind not in by_msgfmt:
                severity = ERROR if kind in substituted and pair.strict else WARNING
                shown, _ = _spelled(view, pair.source, pair.translation, (kind, text), count)
                yield Problem("placeholders", severity, f"placeholder {shown} is missing from the translation",
                              form=pair.index)
        for (kind, text), count in sorted(extra.items()):
            # name the placeholder as the translation spells it (%2$s), not its reordering key (%s)
            shown, span = _spelled(view, pair.translation, pair.source, (kind, text), count)
            if kind in by_msgfmt:
                if missing:
                    respelled = ", ".join(_spelled(view, pair.source, pair.translation, key, n)[0]
                                          for key, n in sorted(missing.items()))
                    yield Problem("placeholders", WARNING,
                                  f"placeholder {shown} of the translation is not in the source "
                                  f"(respelled from {respelled}?)",
                                  form=pair.index, span=span)
                continue
            if kind == "printf":
                # PHP's sprintf throws when the translation needs more arguments than the code passes
                severity = ERROR if _arguments_needed(view, pair.translation) > \
                    _arguments_needed(view, pair.source) > 0 else WARNING
            else:
                severity = ERROR if kind in substituted else WARNING
            yield Problem("placeholders", severity,
                          f"placeholder {shown} of the translation is not in the source",
                          form=pair.index, span=span)


def check_stray_percent(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    """GlotPress's unexpected sprintf token: where the code formats the string (the source has a
    printf directive) and no format flag lets msgfmt decide, a lone ``%`` the translation adds is read
    by sprintf as a directive ("toutes les % semaines" has "% s", "100 % de" has "% d")."""
    if any(flag in FORMAT_FLAGS or flag.startswith("no-") and flag.endswith("-format") for flag in view.entry.flags):
        return
    for pair in view.pairs:
        if "%" not in pair.translation or not any(
                p.kind == "printf" and p.text != "%%" for p in view.placeholders(pair.source)):
            continue
        lone = _lone_percent_signs(view, pair.translation)
        if len(lone) > len(_lone_percent_signs(view, pair.source)):
            at = lone[-1]
            shown = pair.translation[max(0, at - 8):at + 3].strip()
            yield Problem("percent-sign", WARNING,
                          f"lone % in the translation ({shown!r}) would be read as a placeholder; "
                          "write %% for a percent sign", form=pair.index, span=(at, at + 1))


def _lone_percent_signs(view: "EntryView", text: str) -> list[int]:
    covered = [(p.start, p.end) for p in view.placeholders(text)]
    return [at for at, char in enumerate(text)
            if char == "%" and not any(start <= at < end for start, end in covered)]


def _arguments_needed(view: "EntryView", text: str) -> int:
    """How many arguments the printf-style placeholders of text consume: the highest %n$, or the
    count of unnumbered ones."""
    unnumbered = 0
    highest = 0
    for placeholder in view.placeholders(text):
        if placeholder.kind != "printf" or placeholder.text == "%%":
            continue
        match = _POSITION.match(placeholder.text)
        if match:
            highest = max(highest, int(placeholder.text[1:match.end() - 1]))
        else:
            unnumbered += 1
    return max(highest, unnumbered)


def _placeholder_keys(view: "EntryView", text: str) -> list[tuple[str, str]]:
    return [(p.kind, _printf_key(p.text) if p.kind == "printf" else p.text)
            for p in view.placeholders(text) if p.kind in TOKEN_KINDS]


def _spelled(view: "EntryView", text: str, other: str, key: tuple[str, str],
             count: int) -> tuple[str, tuple[int, int] | None]:
    """How ``text`` itself spells the ``count`` placeholders of ``key`` that ``other`` lacks, and where
    the first of them is: with source ``%s`` and translation ``%1$s %2$s`` the extra one is ``%2$s``.
    Spellings ``other`` shares are matched off first; of the rest the last ``count`` are the extra."""
    kind, _ = key
    found = [p for p in view.placeholders(text)
             if p.kind == kind and (_printf_key(p.text) if kind == "printf" else p.text) == key[1]]
    shared = Counter(p.text for p in view.placeholders(other) if p.kind == kind)
    unmatched = []
    for placeholder in found:
        if shared[placeholder.text] > 0:
            shared[placeholder.text] -= 1
        else:
            unmatched.append(placeholder)
    extra = (unmatched or found)[-count:] if count > 0 else []
    if not extra:
        return key[1], None
    return ", ".join(dict.fromkeys(p.text for p in extra)), (extra[0].start, extra[0].end)


def _span_of(view: "EntryView", text: str, wanted: str) -> tuple[int, int] | None:
    for placeholder in view.placeholders(text):
        if placeholder.text == wanted or _printf_key(placeholder.text) == wanted:
            return (placeholder.start, placeholder.end)
    return None


def _tag_signature(tag: str) -> str:
    """A tag without its translatable attributes, whitespace normalised: ``<a href="x">``."""
    return " ".join(_TRANSLATABLE_ATTRIBUTE.sub("", tag).split()).replace(" >", ">").replace(" />", "/>")


def check_tags(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    """HTML tags kept, attributes other than translatable ones (title, alt…) unchanged."""
    for pair in view.pairs:
        if "<" not in pair.source and "<" not in pair.translation:
            continue
        source = Counter(_tag_signature(p.text) for p in view.placeholders(pair.source) if p.kind == "tag")
        translation = Counter(_tag_signature(p.text) for p in view.placeholders(pair.translation)
                              if p.kind == "tag")
        if source == translation:
            continue
        for tag in sorted(source - translation):
            yield Problem("tags", WARNING, f"tag {tag} is missing from the translation", form=pair.index)
        for tag in sorted(translation - source):
            yield Problem("tags", WARNING, f"tag {tag} of the translation is not in the source",
                          form=pair.index, span=_span_of(view, pair.translation, tag))


# Entities that stand for markup characters: writing them out would change the HTML. Others
# (&#8217;, &rarr;, &eacute;) may rightly become the character itself.
_MARKUP_ENTITIES = {"&amp;", "&lt;", "&gt;", "&quot;", "&#039;", "&#39;", "&#038;", "&#38;", "&#60;", "&#62;",
                    "&nbsp;", "&#160;"}


def check_entities(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    for pair in view.pairs:
        if "&" not in pair.source or not pair.translation:
            continue
        source = Counter(p.text for p in view.placeholders(pair.source)
                         if p.kind == "entity" and p.text.lower() in _MARKUP_ENTITIES)
        if not source:
            continue
        translation = Counter(p.text for p in view.placeholders(pair.translation) if p.kind == "entity")
        for entity in sorted(source - translation):
            if entity in ("&nbsp;", "&#160;") and "\u00a0" in pair.translation:
                continue
            yield Problem("entities", WARNING, f"HTML entity {entity} is missing from the translation",
                          form=pair.index)


def _same_url(source_url: str, translated_url: str) -> bool:
    """A translation may point at the localised site: wordpress.org → de.wordpress.org."""
    if source_url == translated_url:
        return True
    rest = source_url.partition("://")[2] or source_url  # "www.example.com" has no scheme
    other_rest = translated_url.partition("://")[2] or translated_url
    host, _, path = rest.partition("/")
    other_host, _, other_path = other_rest.partition("/")
    return other_host.endswith("." + host.removeprefix("www.")) and path.rstrip("/") in other_path


def _texts_of(view: "EntryView", text: str, kind: str) -> list[str]:
    return [p.text for p in view.placeholders(text) if p.kind == kind]


def check_urls_and_emails(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    for pair in view.pairs:
        if not pair.translation or ("://" not in pair.source and "@" not in pair.source):
            continue
        translated_urls = _texts_of(view, pair.translation, "url")
        for url in dict.fromkeys(_texts_of(view, pair.source, "url")):
            if not any(_same_url(url, other) for other in translated_urls):
                yield Problem("urls", WARNING, f"URL {url} is missing from the translation", form=pair.index)
        translated_emails = set(_texts_of(view, pair.translation, "email"))
        for email in dict.fromkeys(_texts_of(view, pair.source, "email")):
            if email not in translated_emails:
                yield Problem("emails", WARNING, f"e-mail address {email} is missing from the translation",
                              form=pair.index)


def check_whitespace(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    """GlotPress's unexpected start/end space, pofilter's newline count, double space, escapes."""
    for pair in view.pairs:
        source, text = pair.source, pair.translation
        if not text:
            continue
        if source[:1] in (" ", "\t") and text[:1] not in (" ", "\t"):
            yield Problem("start-space", WARNING, "the source begins with a space, the translation does not",
                          form=pair.index)
        elif text[:1] in (" ", "\t") and source[:1] not in (" ", "\t"):
            yield Problem("start-space", WARNING, "the translation begins with a space, the source does not",
                          form=pair.index, span=(0, 1))
        if source[-1:] in (" ", "\t") and text[-1:] not in (" ", "\t"):
            yield Problem("end-space", WARNING, "the source ends with a space, the translation does not",
                          form=pair.index)
        elif text[-1:] in (" ", "\t") and source[-1:] not in (" ", "\t"):
            yield Problem("end-space", WARNING, "the translation ends with a space, the source does not",
                          form=pair.index, span=(len(text) - 1, len(text)))
        if source.count("\n") != text.count("\n"):
            yield Problem("newline-count", WARNING,
                          f"{source.count(chr(10))} line breaks in the source, {text.count(chr(10))} "
                          "in the translation", form=pair.index)
        if "  " in text and "  " not in source:
            at = text.find("  ")
            yield Problem("double-space", WARNING, "double space in the translation", form=pair.index,
                          span=(at, at + 2))
        for escape in ("\t", "\\"):
            if source.count(escape) != text.count(escape):
                yield Problem("escapes", WARNING, f"{escape!r} appears {source.count(escape)} times in the "
                              f"source, {text.count(escape)} times in the translation", form=pair.index)


def check_case_and_punctuation(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    """GlotPress's missing uppercase beginning; pofilter's end punctuation."""
    own_marks = context.base_language in _OWN_PUNCTUATION
    for pair in view.pairs:
        source, text = pair.source.strip(), pair.translation.strip()
        if not text or not source:
            continue
        # GlotPress looks at the very first character only ("%s invalide" is fine)
        if source[0].isupper() and text[0].islower():
            yield Problem("uppercase-start", WARNING,
                          "the source starts with an uppercase letter, the translation does not",
                          form=pair.index, span=(0, 1))
        if not own_marks and source[-1] in _END_PUNCTUATION and text[-1] not in _END_PUNCTUATION \
                and text[-1] not in "。！？：;»\"'”’)" and source[-1] != text[-1]:
            if not (source.endswith("...") and text.endswith("…")):
                yield Problem("end-punctuation", WARNING,
                              f"the source ends with {source[-1]!r}, the translation does not",
                              form=pair.index)


def check_length(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    """GlotPress's length warning (translation under 1/5 or over 5 times the source), on sources
    long enough for the ratio to mean something; CJK translations are naturally much shorter."""
    for pair in view.pairs:
        if len(pair.source) < 20 or not pair.translation:
            continue
        ratio = len(pair.translation) / len(pair.source)
        if ratio > 5 or (ratio < 0.2 and context.base_language not in _CJK):
            yield Problem("length", WARNING,
                          f"the translation is {ratio:.1f} times as long as the source", form=pair.index)


_WORDS = re.compile(r"[^\W\d_]{3,}")


def check_unchanged(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    """Translation identical to a source with real words (brand names, codes and single
    capitalised words are often rightly left alone)."""
    for pair in view.pairs:
        if pair.translation != pair.source or not pair.translation:
            continue
        words = _WORDS.findall(_strip_placeholders(view, pair.source))
        if len(words) >= 2 or (words and words[0].islower()):
            yield Problem("unchanged", WARNING, "the translation is identical to the source", form=pair.index)
            return


def _strip_placeholders(view: "EntryView", text: str) -> str:
    pieces, position = [], 0
    for placeholder in view.placeholders(text):
        pieces.append(text[position:placeholder.start])
        position = placeholder.end
    pieces.append(text[position:])
    return " ".join(pieces)


CHECKS = [check_placeholders, check_stray_percent, check_tags, check_entities, check_urls_and_emails, check_whitespace,
          check_case_and_punctuation, check_length, check_unchanged]
# the only check here that can find an error (a substituted placeholder lost); the others warn
ERROR_CHECKS = [check_placeholders]
