"""The checks GNU ``msgfmt -c`` makes on each message: format strings per ``*-format`` flag and the
leading/trailing newline rule. Everything here is an ``error``: msgfmt refuses to compile it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator

from transkit.checks.formats import FORMAT_FLAGS, PARSERS, InvalidFormat, compare_formats
from transkit.checks.problem import ERROR, Problem

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Entry
    from transkit.checks.context import CheckContext, EntryView

_LANGUAGE_NAMES = {"c": "C", "php": "PHP", "python": "Python", "python-brace": "Python brace"}


def format_problems(view: "EntryView", flags: Iterable[str] | None = None) -> Iterator[Problem]:
    """Each msgstr form against msgid (msgid_plural for plural entries), as msgfmt compares them,
    for the entry's format flags (or ``flags``)."""
    entry = view.entry
    source = entry.msgid_plural or entry.msgid
    for flag in entry.flags if flags is None else flags:
        kind = FORMAT_FLAGS.get(flag)
        if kind is None:
            continue
        parse = PARSERS[kind]
        try:
            source_spec = parse(source)
        except InvalidFormat:
            continue  # msgfmt only checks strings whose source is a valid format string
        for pair in view.pairs:
            if not pair.translation:
                continue  # reported as an empty plural form
            where = "msgstr" if pair.index is None else f"msgstr[{pair.index}]"
            try:
                translation_spec = parse(pair.translation, True)
            except InvalidFormat as err:
                yield Problem("format", ERROR,
                              f"{where} is not a valid {_LANGUAGE_NAMES[kind]} format string ({flag}): "
                              f"{err.args[0]}", form=pair.index)
                continue
            reason = compare_formats(kind, source_spec, translation_spec, pair.strict)
            if reason:
                yield Problem("format", ERROR, f"{flag}: {reason}", form=pair.index)


def check_formats(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    yield from format_problems(view)


def breaks_format(entry: "Entry", flag: str, context: "CheckContext") -> bool:
    """Whether ``msgfmt -c`` would refuse the entry's translation as a ``flag`` (``php-format``…)
    string: what msgmerge asks when a template starts declaring a format an old entry did not."""
    from transkit.checks.context import EntryView

    return any(True for _ in format_problems(EntryView(entry, context), (flag,)))


def check_newlines(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    """msgid and every msgstr must agree on beginning with "\\n" and on ending with "\\n"."""
    entry = view.entry
    if not entry.msgid:
        return
    starts = entry.msgid.startswith("\n")
    ends = entry.msgid.endswith("\n")
    if entry.is_plural:
        if entry.msgid_plural.startswith("\n") != starts or entry.msgid_plural.endswith("\n") != ends:
            yield Problem("newline-source", ERROR,
                          "msgid and msgid_plural do not agree on a leading/trailing newline")
    for pair in view.pairs:
        text = pair.translation
        if not text and entry.is_plural and pair.index:
            continue  # reported as an empty plural form
        if text.startswith("\n") != starts:
            yield Problem("newline-start", ERROR,
                          "the source begins with a newline and the translation does not" if starts
                          else "the translation begins with a newline and the source does not",
                          form=pair.index, span=(0, 1) if text else None)
        if text.endswith("\n") != ends:
            yield Problem("newline-end", ERROR,
                          "the source ends with a newline and the translation does not" if ends
                          else "the translation ends with a newline and the source does not",
                          form=pair.index, span=(len(text) - 1, len(text)) if text else None)


def check_charset(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    """Every form must be writable in the catalog's charset (a "€" typed into an ISO-8859-1
    catalog cannot be saved or compiled)."""
    if context.charset in ("utf-8", "utf_8"):
        return
    for pair in view.pairs:
        try:
            pair.translation.encode(context.charset)
        except UnicodeEncodeError as exc:
            yield Problem("charset", ERROR, f"{pair.translation[exc.start]!r} cannot be written in the "
                          f"catalog's charset ({context.charset})", form=pair.index, span=(exc.start, exc.end))


CHECKS = [check_formats, check_newlines, check_charset]
