"""One catalog being reviewed: its entries, their states, unsaved edits, undo, journal and save.

The catalog screen is a view of an ``EditSession``; every change a key makes goes through here, so
the rules live in one place (and are tested without a terminal):

* a person typing a translation makes it TRANSLATED (an untranslated entry stops being untranslated,
  a fuzzy one stays fuzzy until approved or toggled);
* accepting a suggestion writes it as fuzzy with its provenance (SUGGESTED, provider, score), as fill
  does, so nothing unreviewed passes as reviewed;
* approving makes the entry non-fuzzy (dropping ``#|`` lines, as Poedit does) and REVIEWED; a
  translation with an error-level problem is refused (``ApprovalRefused`` names the problems) unless
  the person says "approve anyway" (``force=True``);
* saving writes the PO through the catalog layer (atomic, faithful), then the review store.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from transkit.catalog import load_catalog
from transkit.checks import CheckContext, run_checks
from transkit.config import load_config
from transkit.errors import TranskitError
from transkit.jobs.catalogs import catalogs_for
from transkit.jobs.edit_journal import Journal, JournalEntry
from transkit.jobs.glossary import Consistency, catalog_consistency, known_translations
from transkit.jobs.team import RoleError, approval_refusal
from transkit.store import CatalogKey, ReviewState

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog, Entry
    from transkit.checks import Problem
    from transkit.store import EntryState, ReviewStore

# list statuses, in the order the filters offer them
UNTRANSLATED, FUZZY, MACHINE, TRANSLATED, REVIEWED = (
    "untranslated", "fuzzy", "machine", "translated", "reviewed")
FILTERS = ("all", UNTRANSLATED, FUZZY, MACHINE, "failing", REVIEWED)


class ApprovalRefused(TranskitError):
    """Approving would mark a translation with error-level problems as reviewed."""

    def __init__(self, problems: list["Problem"]):
        self.problems = problems
        listed = "; ".join(f"{p.check}: {p.message}" for p in problems)
        super().__init__(f"not approved: {listed}")


@dataclass
class Pending:
    """A review state to record when the catalog is saved."""

    state: ReviewState
    provider: str | None = None
    score: float | None = None


@dataclass
class _Undo:
    index: int
    typing: bool
    msgstr: str
    msgstr_plural: dict[int, str]
    flags: list[str]
    previous: tuple[str | None, str | None, str | None]
    pending: Pending | None
    was_dirty: bool


class EditSession:
    def __init__(self, catalog: "Catalog", key: CatalogKey | None = None,
                 journal: Journal | None = None):
        self.catalog = catalog
        self.entries: list[Entry] = catalog.entries
        self.read_only = catalog.is_template or catalog.path is None
        self.key = key
        self.journal = journal if journal is not None else (
            Journal(catalog.path) if catalog.path and not self.read_only else None)
        self.stored: dict[tuple[str | None, str], EntryState] = {}
        self.problems: dict[int, list[Problem]] = {}
        self.checks_ready = False
        self.pending: dict[int, Pending] = {}
        self.dirty: set[int] = set()
        self.unchecked: set[int] = set()  # typed into, checks not run again yet (see set_form)
        self._undo: list[_Undo] = []
        self._check_context = None
        self.glossary = None  # checks.glossary.Glossary of the catalog's locale (set by the face)
        self.cross_catalog = True  # compare with the locale's other catalogs the memory knows
        self.consistency: Consistency | None = None
        self.consistency_note = ""  # what the comparison with the other catalogs covered
        self.consistency_error = ""  # why it did not run (the memory could not be read)
        self.other_catalogs = 0
        self._journal_stale = False
        self.approval_refusal: str | None = None  # the team's roles say this person may not approve

    # -- loading (called from a worker) -----------------------------------------------------------
    @property
    def nforms(self) -> int:
        return self.catalog.nplurals

    def load_states(self, store: "ReviewStore") -> None:
        """Sync the store with the file and read every entry's remembered state."""
        if self.read_only:
            return
        self.key = self.key or CatalogKey.for_catalog(self.catalog)
        store.sync_catalog(self.catalog, self.key)
        self.stored = store.states(self.key)
        self.approval_refusal = approval_refusal(store)

    def run_all_checks(self, other_catalogs: bool = True) -> None:
        """Check every entry; consistency within this catalog at once, then (``other_catalogs``,
        else the face calls ``compare_with_other_catalogs`` after showing these) against the
        locale's other catalogs the memory knows."""
        self._check_context = CheckContext.for_catalog(self.catalog, self.glossary)
        # once per screen: the same source translated differently (as `check --consistency`
        # reports); rechecking an entry asks the same index about it as it reads then
        self.consistency = catalog_consistency(self.catalog, relative_to=Path.cwd())
        problems = {}
        for index, entry in enumerate(self.entries):
            found = run_checks(entry, self._check_context) + self.consistency.problems(entry, self.catalog.path)
            if found:
                problems[index] = found
        self.problems = problems
        self.checks_ready = True
        if other_catalogs:
            self.compare_with_other_catalogs()

    def compare_with_other_catalogs(self) -> None:
        """Add the consistency warnings against the locale's other catalogs (from a worker: the new
        index and problems are built aside and swapped in whole)."""
        known = self._known_translations()
        if not known:
            return
        consistency = catalog_consistency(self.catalog, known, relative_to=Path.cwd())
        problems = {}
        for index, entry in enumerate(self.entries):
            found = [p for p in self.problems.get(index, ()) if p.check != "consistency"]
            found += consistency.problems(entry, self.catalog.path)
            if found:
                problems[index] = found
        self.consistency, self.problems = consistency, problems

    def _known_translations(self) -> list:
        """The locale's other catalogs as the translation memory knows them (no file is read)."""
        locale = self.catalog.language
        self.other_catalogs = 0
        if self.read_only or not locale or not self.cross_catalog:
            return []
        try:
            known = known_translations(locale, exclude=self.catalog.path)
        except TranskitError as err:  # the memory only ever helps: said once, checks go on without it
            self.consistency_error = f"other {locale} catalogs not compared: {err}"
            return []
        self.other_catalogs = len({row.path for row in known})
        self.consistency_note = (f"compared with {self.other_catalogs} other {locale} "
                                 f"catalog{'s' if self.other_catalogs != 1 else ''}" if self.other_catalogs else "")
        return known

    def recheck(self, index: int) -> list["Problem"]:
        self.unchecked.discard(index)
        if self._check_context is None:
            self._check_context = CheckContext.for_catalog(self.catalog, self.glossary)
        entry = self.entries[index]
        found = run_checks(entry, self._check_context)
        if self.consistency is not None:
            found += self.consistency.problems(entry, self.catalog.path)
        if found:
            self.problems[index] = found
        else:
            self.problems.pop(index, None)
        return found

    # -- what an entry is ---------------------------------------------------------------------------
    def status(self, index: int) -> str:
        entry = self.entries[index]
        forms = entry.translations
        if not forms or not forms[0]:
            return UNTRANSLATED
        pending = self.pending.get(index)
        state = pending.state if pending else None
        if state is None and index not in self.dirty:
            stored = self.stored.get(entry.key)
            state = stored.state if stored else None
        if state is ReviewState.SUGGESTED and entry.fuzzy:
            return MACHINE
        if entry.fuzzy:
            return FUZZY
        if state is ReviewState.REVIEWED:
            return REVIEWED
        return TRANSLATED

    def provenance(self, index: int) -> str:
        pending = self.pending.get(index)
        if pending and pending.provider:
            score = f" {pending.score:.0f}%" if pending.score else ""
            return f"{pending.provider}{score}"
        stored = self.stored.get(self.entries[index].key)
        if stored and stored.provider:
            score = f" {stored.score:.0f}%" if stored.score else ""
            who = f", approved by {stored.who}" if stored.state is ReviewState.REVIEWED and stored.who else ""
            return f"{stored.provider}{score}{who}"
        if stored and stored.state is ReviewState.REVIEWED and stored.who:
            return f"approved by {stored.who}"
        return ""

    def matches(self, index: int, wanted: str, search: str = "") -> bool:
        if wanted == "failing":
            if index not in self.problems:
                return False
        elif wanted != "all" and self.status(index) != wanted:
            return False
        if search:
            entry = self.entries[index]
            needle = search.casefold()
            haystack = [entry.msgid, entry.msgid_plural, entry.msgctxt or "", *entry.translations]
            return any(needle in text.casefold() for text in haystack)
        return True

    def visible(self, wanted: str = "all", search: str = "") -> list[int]:
        if wanted == "all" and not search:
            return list(range(len(self.entries)))
        return [i for i in range(len(self.entries)) if self.matches(i, wanted, search)]

    # -- changes ----------------------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise TranskitError("this is a template (.pot): it holds no translations; "
                                "start one with `transkit init PATH --locale LL_CC`")

    def _remember(self, index: int, typing: bool = False) -> None:
        if typing and self._undo and self._undo[-1].typing and self._undo[-1].index == index:
            return  # one undo step per entry typed into, not one per keystroke
        entry = self.entries[index]
        self._undo.append(_Undo(index, typing, entry.msgstr, dict(entry.msgstr_plural), list(entry.flags),
                                (entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural),
                                self.pending.get(index), index in self.dirty))
        del self._undo[:-500]

    def _changed(self, index: int, check: bool = True) -> None:
        self.dirty.add(index)
        if check:
            self.unchecked.discard(index)
            self.recheck(index)
        else:
            self.unchecked.add(index)
        self._journal_stale = True

    def check_pending(self) -> list[int]:
        """Recheck the entries typed into without a check (``set_form(check=False)``); their indexes."""
        done = sorted(self.unchecked)
        self.unchecked.clear()
        for index in done:
            self.recheck(index)
        return done

    def set_form(self, index: int, form: int, text: str, check: bool = True) -> bool:
        """A person typed ``text`` into form ``form``; False when nothing changed. ``check`` False:
        the draft is kept (journal, undo) but checked only at ``check_pending`` — a face debouncing
        the checks while a person types calls that once the typing pauses."""
        self._check_writable()
        entry = self.entries[index]
        current = entry.translations
        if form < len(current) and current[form] == text:
            return False
        self._remember(index, typing=True)
        was_untranslated = not any(current)
        if entry.is_plural:
            for missing in range(self.nforms):
                entry.msgstr_plural.setdefault(missing, "")
            entry.msgstr_plural[form] = text
        else:
            entry.msgstr = text
        if was_untranslated and any(entry.translations):
            entry.fuzzy = False
        previous = self.pending.get(index)
        # a suggestion edited by a person is the person's translation, still waiting for approval
        self.pending[index] = Pending(ReviewState.TRANSLATED,
                                      previous.provider if previous else None, None)
        self._changed(index, check)
        return True

    def accept(self, index: int, forms: tuple[str, ...], provider: str, score: float | None,
               form: int = 0) -> None:
        """Put a suggestion in: every form when it has them all, else the form being edited."""
        self._check_writable()
        entry = self.entries[index]
        self._remember(index)
        if entry.is_plural:
            for missing in range(self.nforms):
                entry.msgstr_plural.setdefault(missing, "")
            if len(forms) >= self.nforms:
                for i in range(self.nforms):
                    entry.msgstr_plural[i] = forms[i]
            else:
                entry.msgstr_plural[form] = forms[0]
        else:
            entry.msgstr = forms[0]
        entry.fuzzy = True
        self.pending[index] = Pending(ReviewState.SUGGESTED, provider, score)
        self._changed(index)

    def toggle_fuzzy(self, index: int) -> bool:
        self._check_writable()
        entry = self.entries[index]
        if not any(entry.translations):
            raise TranskitError("an untranslated entry cannot be marked fuzzy")
        self._remember(index)
        entry.fuzzy = not entry.fuzzy
        previous = self.pending.get(index)
        if entry.fuzzy:
            self.pending[index] = Pending(ReviewState.FUZZY, previous.provider if previous else None)
        else:
            self.pending[index] = Pending(ReviewState.TRANSLATED,
                                          previous.provider if previous else None)
        self._changed(index)
        return entry.fuzzy

    def approve(self, index: int, force: bool = False) -> None:
        self._check_writable()
        if self.approval_refusal:
            raise RoleError(self.approval_refusal)
        entry = self.entries[index]
        missing = [i for i, text in enumerate(entry.translations) if not text]
        if not entry.translations or missing:
            which = "" if not entry.is_plural else f" (form {', '.join(str(i) for i in missing)} is empty)"
            raise TranskitError(f"only a complete translation can be approved{which}")
        errors = [problem for problem in self.recheck(index) if problem.is_error]
        if errors and not force:
            raise ApprovalRefused(errors)
        self._remember(index)
        entry.fuzzy = False
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        previous = self.pending.get(index)
        self.pending[index] = Pending(ReviewState.REVIEWED,
                                      previous.provider if previous else None,
                                      previous.score if previous else None)
        self._changed(index)

    def copy_source(self, index: int, form: int = 0) -> None:
        entry = self.entries[index]
        source = entry.msgid_plural if entry.is_plural and form > 0 else entry.msgid
        self.set_form(index, form, source)

    def undo(self) -> int | None:
        """Undo the last change; the index of the entry it touched, or None when there is none."""
        if not self._undo:
            return None
        step = self._undo.pop()
        entry = self.entries[step.index]
        entry.msgstr, entry.msgstr_plural, entry.flags = step.msgstr, step.msgstr_plural, step.flags
        entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural = step.previous
        if step.pending is None:
            self.pending.pop(step.index, None)
        else:
            self.pending[step.index] = step.pending
        if not step.was_dirty:
            self.dirty.discard(step.index)
        self.recheck(step.index)
        self._journal_stale = True
        return step.index

    @property
    def modified(self) -> bool:
        return bool(self.dirty)

    # -- journal ----------------------------------------------------------------------------------
    def flush_journal(self) -> None:
        """Write the journal if anything changed since the last write (the screen calls this each
        second, so a crash loses at most a second of typing)."""
        if self._journal_stale:
            self.write_journal()

    def write_journal(self) -> None:
        self._journal_stale = False
        if self.journal is None:
            return
        rows = []
        for index in sorted(self.dirty):
            entry = self.entries[index]
            pending = self.pending.get(index)
            rows.append(JournalEntry(entry.msgctxt, entry.msgid, entry.msgstr, dict(entry.msgstr_plural),
                                     list(entry.flags), pending.state.value if pending else None,
                                     pending.provider if pending else None,
                                     pending.score if pending else None))
        self.journal.write(rows)

    def journalled(self) -> list[JournalEntry]:
        """Unsaved edits a previous session left behind that differ from the file as it is now."""
        if self.journal is None:
            return []
        by_key = {entry.key: entry for entry in self.entries}
        left = []
        for row in self.journal.read():
            entry = by_key.get((row.msgctxt, row.msgid))
            if entry is None:
                continue
            if (entry.msgstr, entry.msgstr_plural, entry.flags) != (row.msgstr, row.msgstr_plural, row.flags):
                left.append(row)
        return left

    def restore(self, rows: list[JournalEntry]) -> int:
        positions = {entry.key: i for i, entry in enumerate(self.entries)}
        restored = 0
        for row in rows:
            index = positions.get((row.msgctxt, row.msgid))
            if index is None:
                continue
            self._remember(index)
            entry = self.entries[index]
            entry.msgstr, entry.msgstr_plural, entry.flags = row.msgstr, dict(row.msgstr_plural), list(row.flags)
            if row.state:
                self.pending[index] = Pending(ReviewState(row.state), row.provider, row.score)
            self.dirty.add(index)
            self.recheck(index)
            restored += 1
        self._journal_stale = True
        return restored

    def discard_journal(self) -> None:
        if self.journal is not None:
            self.journal.discard()

    # -- saving -----------------------------------------------------------------------------------
    def save(self, store: "ReviewStore | None" = None, identity=None) -> Path:
        """Write the PO (atomic, faithful), then record the review states; the journal goes last."""
        self._check_writable()
        if identity is None:
            identity = load_config().identity
        path = self.catalog.save(identity=identity if identity.is_set else None)
        if store is not None and self.pending:
            key = self.key or CatalogKey.for_catalog(self.catalog)
            for index, pending in sorted(self.pending.items()):
                entry = self.entries[index]
                if pending.state is ReviewState.REVIEWED:
                    if pending.provider:  # keep where an approved suggestion came from
                        store.record(key, entry, ReviewState.SUGGESTED, pending.provider, pending.score)
                    store.approve(key, [entry])
                elif any(entry.translations):
                    state = pending.state
                    if entry.fuzzy and state is ReviewState.TRANSLATED:
                        state = ReviewState.FUZZY  # a person's draft still marked as needing work
                    store.record(key, entry, state, pending.provider, pending.score)
            store.sync_catalog(self.catalog, key)
            self.stored = store.states(key)
        self.pending.clear()
        self.dirty.clear()
        self.discard_journal()
        return path


def open_catalog(path: str | os.PathLike) -> "EditSession":
    """Load a catalog and name it as ``transkit status`` does, so both see the same review state."""

    catalog = load_catalog(path)
    key = None
    if not catalog.is_template:
        resolved = Path(path).resolve()
        try:
            key = next((ref.key for ref in catalogs_for([path]) if ref.path.resolve() == resolved), None)
        except TranskitError:
            key = None
    return EditSession(catalog, key)
