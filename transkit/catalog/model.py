"""The catalog model: one ``Catalog`` of ``Entry`` objects, used by every layer of transkit.

Attribute names follow polib's (``msgid``, ``msgstr_plural``, ``tcomment``, ``occurrences``…) so code
and people that know polib feel at home. What polib lacks is memory of the original text: each entry
parsed from a file keeps its source lines and a snapshot of its fields, so saving writes untouched
entries back byte for byte and re-renders only what changed (see ``pofile.py``).
"""

from __future__ import annotations

import gc
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from transkit.catalog.locales import catalog_locale, parse_plural_forms, plural_forms_for

if TYPE_CHECKING:  # pragma: no cover
    from transkit.config import Identity

BOM = b"\xef\xbb\xbf"


@contextmanager
def no_cyclic_gc():
    """Around making many small objects that hold no reference cycles (a catalog's entries, a
    template's): without it Python's cycle collector walks all of them, and everything else alive,
    again and again — a third to half of the time of reading or building a big catalog."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class FileStyle:
    """How a file is written, detected on load so edited entries match their neighbours."""

    encoding: str = "utf-8"  # Python codec name
    bom: bool = False
    newline: str = "\n"  # for new lines; existing lines keep their own ending
    wrap_width: int = 79  # 0 = never wrap (xgettext --no-wrap, WP-CLI)
    references_per_line: bool = False  # WP-CLI: one "#: file:line" per line


# -- header text -------------------------------------------------------------------------------------
def parse_header(msgstr: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in msgstr.split("\n"):
        name, sep, value = line.partition(":")
        if sep and name.strip():
            fields[name.strip()] = value.strip()
    return fields


def set_header_field(msgstr: str, name: str, value: str) -> str:
    """Replace one ``Name: value`` line, or append it; every other line stays as it was."""
    lines = msgstr.split("\n")
    for index, line in enumerate(lines):
        key, sep, _ = line.partition(":")
        if sep and key.strip().lower() == name.lower():
            lines[index] = f"{key}: {value}"
            return "\n".join(lines)
    if msgstr and not msgstr.endswith("\n"):
        msgstr += "\n"
    return f"{msgstr}{name}: {value}\n"


@dataclass(eq=False)
class Entry:
    """One message of a catalog (or the header, whose ``msgid`` is empty)."""

    msgid: str = ""
    msgstr: str = ""
    msgid_plural: str = ""
    # index -> translation; non-empty only for plural entries (then ``msgstr`` is unused)
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    msgctxt: str | None = None
    flags: list[str] = field(default_factory=list)
    # translator comments (``# ...``) and extracted comments (``#. ...``), lines joined by "\n"
    tcomment: str = ""
    comment: str = ""
    # ``#:`` references as written, e.g. ["src/admin.php:42", "src/admin.php:77"]
    references: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    # 1-based line of the entry's ``msgid`` keyword in the file it came from (0 when new)
    lineno: int = 0
    # what was read: the entry's lines in the file and its fields then (``fields()``); the reader
    # and the save set them, the writer writes an unchanged entry back as these lines
    source_lines: list[str] | None = field(default=None, repr=False)
    snapshot: tuple | None = field(default=None, repr=False)

    # -- identity -------------------------------------------------------------------------------
    @property
    def key(self) -> tuple[str | None, str]:
        """What makes an entry unique in a catalog: (msgctxt, msgid)."""
        return (self.msgctxt, self.msgid)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None and not self.obsolete

    @property
    def is_plural(self) -> bool:
        return bool(self.msgid_plural)

    # -- state ----------------------------------------------------------------------------------
    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @fuzzy.setter
    def fuzzy(self, value: bool) -> None:
        if value and "fuzzy" not in self.flags:
            self.flags.insert(0, "fuzzy")
        elif not value:
            self.flags = [f for f in self.flags if f != "fuzzy"]

    @property
    def translations(self) -> list[str]:
        """Every translation form in order: ``[msgstr]`` or ``[msgstr[0], msgstr[1], …]``."""
        if self.is_plural:
            return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]
        return [self.msgstr]

    def is_translated(self) -> bool:
        """Translated as msgfmt counts it: not fuzzy, not obsolete, first form non-empty (msgfmt
        looks at ``msgstr[0]`` only; ``is_complete`` tells whether every plural form is filled)."""
        if self.obsolete or self.fuzzy:
            return False
        forms = self.translations
        return bool(forms) and bool(forms[0])

    def is_untranslated(self) -> bool:
        """Untranslated as msgfmt counts it: the first form is empty."""
        forms = self.translations
        return not self.obsolete and not (forms and forms[0])

    def is_complete(self) -> bool:
        """Every translation form is filled (what a finished plural entry needs)."""
        forms = self.translations
        return bool(forms) and all(forms)

    @property
    def occurrences(self) -> list[tuple[str, str]]:
        """polib-style view of references: ``[(path, line), …]`` (line may be "")."""
        result = []
        for ref in self.references:
            path, sep, line = ref.rpartition(":")
            result.append((path, line) if sep and line.isdigit() else (ref, ""))
        return result

    @property
    def format_flags(self) -> list[str]:
        """The ``*-format`` flags (``php-format``, ``no-c-format``…)."""
        return [f for f in self.flags if f.endswith("-format")]

    # -- change tracking (reader, writer, save, rebase) ---------------------------------------
    def fields(self) -> tuple:
        return (
            self.msgid, self.msgstr, self.msgid_plural, tuple(sorted(self.msgstr_plural.items())),
            self.msgctxt, tuple(self.flags), self.tcomment, self.comment, tuple(self.references),
            self.previous_msgctxt, self.previous_msgid, self.previous_msgid_plural, self.obsolete,
        )

    @property
    def is_modified(self) -> bool:
        """True when any field differs from what was read from the file (always true when new)."""
        return self.snapshot is None or self.snapshot != self.fields()


_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass
class CatalogStats:
    """Counts as msgfmt --statistics gives them, plus words and obsolete."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def total_words(self) -> int:
        return self.translated_words + self.fuzzy_words + self.untranslated_words

    @property
    def percent_translated(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 0.0

    @property
    def percent_fuzzy(self) -> float:
        return 100.0 * self.fuzzy / self.total if self.total else 0.0

    def as_dict(self) -> dict:
        return {
            "translated": self.translated, "fuzzy": self.fuzzy, "untranslated": self.untranslated,
            "obsolete": self.obsolete, "total": self.total,
            "translated_words": self.translated_words, "fuzzy_words": self.fuzzy_words,
            "untranslated_words": self.untranslated_words, "total_words": self.total_words,
            "percent_translated": round(self.percent_translated, 1),
        }


class Catalog:
    """A PO/POT catalog. Create with ``load_catalog(path)`` or ``Catalog.new()``."""

    def __init__(self, entries: list[Entry] | None = None, path: str | os.PathLike | None = None,
                 style: "FileStyle | None" = None):
        self.path: Path | None = Path(path) if path is not None else None
        self.style: FileStyle = style or FileStyle()
        # every entry in file order, header and obsolete ones included
        self.all_entries: list[Entry] = list(entries or [])
        self._index: dict[tuple[str | None, str], Entry] | None = None
        self._indexed_count = 0
        # lines after the last entry as read (a new catalog ends with one newline), and a digest
        # of the bytes read, so a save notices when another process wrote the file meanwhile
        self.trailer: list[str] = [""]
        self.source_digest: str | None = None
        # what msgfmt rejects but the file can still be kept byte for byte (a repeated #| line,
        # msgid_plural with a plain msgstr, a plural index gap, a BOM): (entry or None, line, message);
        # transkit.checks reports each as an error
        self.syntax_problems: list[tuple[Entry | None, int, str]] = []

    # -- entries --------------------------------------------------------------------------------
    @property
    def header_entry(self) -> Entry | None:
        for entry in self.all_entries[:2]:
            if entry.is_header:
                return entry
        return None

    @property
    def entries(self) -> list[Entry]:
        """The messages (no header, no obsolete entries), in file order."""
        return [e for e in self.all_entries if not e.obsolete and not e.is_header]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def obsolete_entries(self) -> list[Entry]:
        return [e for e in self.all_entries if e.obsolete]

    def find(self, msgid: str, msgctxt: str | None = None) -> Entry | None:
        """The live (non-obsolete) entry with this msgid and msgctxt, or None.

        The lookup index follows entries added and removed; after changing an entry's msgid or
        msgctxt in place, call ``reindex()`` before looking it up by its new key."""
        if self._index is None or self._indexed_count != len(self.all_entries):
            self.reindex()  # built lazily; entries added to all_entries directly change the count
        entry = self._index.get((msgctxt, msgid))
        if entry is not None and (entry.obsolete or entry.key != (msgctxt, msgid)):
            self.reindex()  # that entry was edited since the index was built
            entry = self._index.get((msgctxt, msgid))
        return entry

    def reindex(self) -> None:
        self._index = {}
        for entry in self.all_entries:
            if not entry.obsolete and not entry.is_header:
                self._index.setdefault(entry.key, entry)
        self._indexed_count = len(self.all_entries)

    def append(self, entry: Entry) -> Entry:
        """Add a new entry at the end of the live entries (before obsolete ones, as msgmerge does)."""
        position = len(self.all_entries)
        while position > 0 and self.all_entries[position - 1].obsolete:
            position -= 1
        self.all_entries.insert(position, entry)
        self._index = None
        return entry

    def remove(self, entry: Entry) -> None:
        self.all_entries.remove(entry)
        self._index = None

    # -- header ---------------------------------------------------------------------------------
    @property
    def header(self) -> dict[str, str]:
        """Header fields in file order (a fresh dict; change them with ``set_header``)."""
        entry = self.header_entry
        return parse_header(entry.msgstr) if entry else {}

    def set_header(self, name: str, value: str) -> None:
        """Set one header field, keeping every other header line and the field order as it was."""
        entry = self.header_entry
        if entry is None:
            entry = Entry(msgid="", msgstr="")
            self.all_entries.insert(0, entry)
        entry.msgstr = set_header_field(entry.msgstr, name, value)

    @property
    def language(self) -> str:
        """The catalog's locale code: ``catalog_locale``'s answer (header normalised, file name…)."""
        header = self.header
        return catalog_locale(self.path, header, header.get("X-Domain") or None).code or ""

    @property
    def plural_forms(self) -> str:
        return self.header.get("Plural-Forms", "").strip()

    @property
    def nplurals(self) -> int:
        """Number of plural forms: from the header, else from CLDR for the language, else 2."""
        parsed = parse_plural_forms(self.plural_forms)
        if parsed is not None:
            return parsed[0]
        if self.language:
            try:
                return parse_plural_forms(plural_forms_for(self.language))[0]
            except Exception:  # unknown language: the gettext default
                return 2
        return 2

    @property
    def is_template(self) -> bool:
        return self.path is not None and self.path.suffix.lower() == ".pot"

    # -- stats ----------------------------------------------------------------------------------
    def stats(self) -> CatalogStats:
        stats = CatalogStats()
        for entry in self.all_entries:
            if entry.obsolete:
                stats.obsolete += 1
                continue
            if entry.is_header:
                continue
            words = count_words(entry.msgid)
            if entry.fuzzy and not entry.is_untranslated():
                stats.fuzzy += 1
                stats.fuzzy_words += words
            elif entry.is_translated():
                stats.translated += 1
                stats.translated_words += words
            else:
                stats.untranslated += 1
                stats.untranslated_words += words
        return stats

    # -- persistence ----------------------------------------------------------------------------
    # The model does no I/O: reading is pofile.py, writing writer.py, the locked save save.py. These
    # three delegate for library users (``catalog.save()`` in the README and ~50 callers); the imports
    # are lazy because those modules import the model.
    def to_text(self) -> str:
        from transkit.catalog.writer import render_catalog

        return render_catalog(self)

    def to_bytes(self) -> bytes:
        from transkit.catalog.writer import encode_catalog

        return encode_catalog(self)

    def save(self, path: str | os.PathLike | None = None, identity: "Identity | None" = None) -> Path:
        """Write atomically (``save.save_catalog``). With a set identity, modified catalogs get
        PO-Revision-Date and Last-Translator updated, as Poedit does; otherwise the header is left alone."""
        from transkit.catalog.save import save_catalog

        return save_catalog(self, path, identity)

    @classmethod
    def new(cls, path: str | os.PathLike | None = None) -> "Catalog":
        return cls([], path=path)

    def __repr__(self) -> str:
        return f"<Catalog {self.path or '(new)'}: {len(self.entries)} entries>"
