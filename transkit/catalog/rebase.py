"""Saving over a file someone else changed since we read it: the TUI and a `transkit fill` in
another shell both write the same PO. Before writing, the catalog is rebased onto the file as it
is now, field by field: what this process changed wins, everything else comes from disk (entries
the other process added, translations it wrote), so neither side's work is lost.
"""

from __future__ import annotations

import hashlib

from transkit.catalog.model import Catalog, Entry, parse_header, set_header_field

# positions in Entry.fields(), and how to put a snapshot value back on an entry
_FIELDS = ("msgid", "msgstr", "msgid_plural", "msgstr_plural", "msgctxt", "flags", "tcomment",
           "comment", "references", "previous_msgctxt", "previous_msgid", "previous_msgid_plural",
           "obsolete")
_FROM_SNAPSHOT = {"msgstr_plural": dict, "flags": list, "references": list}
_HEADER_MSGSTR = 1


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _original_key(entry: Entry) -> tuple:
    fields = entry.snapshot or entry.fields()
    return fields[4], fields[0], fields[12]  # msgctxt, msgid, obsolete


def _set_field(entry: Entry, index: int, value) -> None:
    name = _FIELDS[index]
    setattr(entry, name, _FROM_SNAPSHOT.get(name, lambda v: v)(value))


def _merge_header(ours: Entry, theirs: Entry) -> str:
    """Their header with the fields we changed (e.g. PO-Revision-Date) set to ours."""
    before = parse_header(ours.snapshot[_HEADER_MSGSTR]) if ours.snapshot else {}
    merged = theirs.msgstr
    for name, value in parse_header(ours.msgstr).items():
        if before.get(name) != value:
            merged = set_header_field(merged, name, value)
    return merged


def rebase_onto(catalog: Catalog, disk: Catalog) -> None:
    """Make ``catalog`` = ``disk`` + this process's changes. Entry objects are kept (a TUI holds
    them), so only their fields, raw lines and snapshots move."""
    on_disk: dict[tuple, Entry] = {}
    for theirs in disk.all_entries:
        on_disk.setdefault((theirs.msgctxt, theirs.msgid, theirs.obsolete), theirs)
    ours_for: dict[int, Entry] = {}
    unmatched: list[Entry] = []
    for ours in catalog.all_entries:
        theirs = on_disk.get(_original_key(ours))
        if theirs is None or id(theirs) in ours_for:
            if ours.is_modified:  # our new or edited entry the other side does not have: keep it
                ours.source_lines, ours.snapshot = None, None
                unmatched.append(ours)
            continue  # untouched here and gone from disk: the other side removed it
        ours_for[id(theirs)] = ours
        now = ours.fields()
        changed = {i for i in range(len(_FIELDS)) if ours.snapshot is None or now[i] != ours.snapshot[i]}
        merged_header = _merge_header(ours, theirs) if ours.is_header and _HEADER_MSGSTR in changed else None
        for index, value in enumerate(theirs.fields()):
            if index not in changed:
                _set_field(ours, index, value)
        if merged_header is not None:
            ours.msgstr = merged_header
        ours.lineno = theirs.lineno
        ours.source_lines, ours.snapshot = theirs.source_lines, theirs.snapshot
    catalog.all_entries = [ours_for.get(id(theirs), theirs) for theirs in disk.all_entries]
    for entry in unmatched:
        catalog.append(entry)
    catalog.trailer = disk.trailer
    catalog.style = disk.style
    catalog.reindex()
