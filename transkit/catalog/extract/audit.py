"""Possible mistakes in the strings of a template, as ``wp i18n make-pot`` warns about them (its audit).

Each finding is named by the code WP-CLI's ``wp i18n audit`` gives it, and located at the string's
first reference:

* ``missing-translator-comment``: placeholders, and no ``translators:`` comment to say what they are;
* ``multiple-translator-comments``: one string, several different ``translators:`` comments (the
  plugin/theme header fields' own comments do not count);
* ``empty-string``: nothing but placeholders and blanks to translate (an empty msgid too: such a
  call gives no entry, so the call itself is reported);
* ``unordered-placeholders``: two or more placeholders without a position (``%s %s``), which a
  translator cannot put in another order;
* ``missing-singular-placeholder``: the plural has more placeholders than the singular (languages
  that use the singular for 21 or 31 then lose the number);
* ``mismatched-placeholders``: singular and plural have different placeholders.

The placeholder rule is make-pot's (``calls.sprintf_placeholders``), the one that sets php-format;
the template's build hands over what it found when it set the flags, so a msgid is matched once.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

from transkit.catalog.extract.calls import sprintf_placeholders
from transkit.catalog.model import Entry

AUDIT_CODES = ("missing-translator-comment", "multiple-translator-comments", "empty-string",
               "unordered-placeholders", "missing-singular-placeholder", "mismatched-placeholders")


_TRIMMED = " \t\n\r\0\x0b"  # what PHP's trim() removes (make-pot's test for "nothing to translate")
_QUOTES = "'\""  # make-pot takes the quotes off a msgid that is all quoted before that test


class AuditFinding(NamedTuple):
    code: str
    path: str
    line: int | None
    message: str


def _location(entry: Entry) -> tuple[str, int | None]:
    path, _, line = entry.references[0].rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (entry.references[0], None)


def _shown(text: str, limit: int = 60) -> str:
    text = text.replace("\n", "\\n")
    return f'"{text}"' if len(text) <= limit else f'"{text[:limit - 1]}…"'


def audit_entries(entries: Iterable[Entry], header_comment_prefixes: tuple[str, ...] = (),
                  placeholders_of: dict[str, list[str]] | None = None) -> list[AuditFinding]:
    """The findings over ``entries`` (a template's messages), in entry order. Entries without a
    reference (WP-CLI: the header fields) are not audited. ``placeholders_of``: msgid ->
    ``sprintf_placeholders(msgid)`` already found (the php-format flags'); the others are found here."""
    found: list[AuditFinding] = []
    add = found.append
    known = placeholders_of or {}
    for entry in entries:
        msgid, plural, comment = entry.msgid, entry.msgid_plural, entry.comment
        # most strings: no placeholder, no comment, words to translate — nothing to look at
        if "%" not in msgid and not plural and not comment and msgid.strip(_TRIMMED) and msgid[0] not in _QUOTES \
                or not entry.references:
            continue
        codes: list[tuple[str, str]] = []  # (code, message) of this entry
        placeholders = known.get(msgid) if "%" in msgid else []
        if placeholders is None:
            placeholders = sprintf_placeholders(msgid)
        if placeholders and not comment:
            codes.append(("missing-translator-comment",
                          f"the string {_shown(msgid)} has placeholders ({', '.join(dict.fromkeys(placeholders))}) "
                          "but no translators: comment saying what they stand for"))
        if comment and "\n" in comment:
            texts = [text for text in dict.fromkeys(comment.split("\n"))
                     if text and not text.startswith(header_comment_prefixes)]
            if len(texts) > 1:
                codes.append(("multiple-translator-comments",
                              f"the string {_shown(msgid)} has {len(texts)} different translators: comments: "
                              + " | ".join(texts)))
        if not _has_text(msgid, placeholders):
            codes.append(("empty-string",
                          f"the string {_shown(msgid)} has nothing to translate besides placeholders and blanks"))
        if len(placeholders) >= 2:
            # a placeholder without a position: what make-pot's unordered rule finds (the same rule minus "n$")
            unordered = [placeholder for placeholder in placeholders if "$" not in placeholder]
            if len(unordered) >= 2:
                codes.append(("unordered-placeholders",
                              f"the string {_shown(msgid)} has {len(unordered)} placeholders without a position "
                              f"({' '.join(unordered)}): a translator cannot reorder them; number them (%1$s, %2$s)"))
        if plural:
            plural_placeholders = sprintf_placeholders(plural)
            if len(placeholders) < len(plural_placeholders):
                codes.append(("missing-singular-placeholder",
                              f"the singular {_shown(msgid)} has fewer placeholders than the plural "
                              f"{_shown(plural)}: languages that use the singular form for other numbers "
                              "(21, 31 … in Russian) would lose the number"))
            elif placeholders != plural_placeholders and sorted(placeholders) != sorted(plural_placeholders):
                codes.append(("mismatched-placeholders",
                              f"the singular {_shown(msgid)} and the plural {_shown(plural)} have different "
                              f"placeholders ({' '.join(placeholders) or 'none'} / "
                              f"{' '.join(plural_placeholders) or 'none'})"))
        if codes:
            path, line = _location(entry)
            for code, message in codes:
                add(AuditFinding(code, path, line, message))
    return found


def _has_text(msgid: str, placeholders: list[str]) -> bool:
    """Whether make-pot's audit finds something to translate in ``msgid``: without the quotes
    around it (``"%s"``), trimmed as PHP's trim(), then without its placeholders, something is
    left. Trimming comes first: ``%1$s %2$s`` keeps its space (a translator may reorder the two),
    `` %s `` has nothing. The placeholders are the matches of make-pot's regex and lie inside
    the trimmed text (one starts with "%" and ends with its type letter), so its length
    decides, with no second pass of the regex."""
    if len(msgid) > 1 and msgid[0] == msgid[-1] and msgid[0] in _QUOTES:
        msgid = msgid[1:-1]
    text = msgid.strip(_TRIMMED)
    return len(text) > sum(map(len, placeholders)) if placeholders else bool(text)
