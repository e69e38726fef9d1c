"""What the review store says about an entry: its state, the keys that name it, and the rule that
reconciles a remembered state with what the PO file says now. Pure values; no database here."""

from __future__ import annotations

import enum
import getpass
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from transkit.errors import StoreError
from transkit.store.db import utc_now
from transkit.catalog.locales import locale_from_filename
from transkit.config import load_config
from transkit.catalog import count_words

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog, Entry


class ReviewState(str, enum.Enum):
    UNTRANSLATED = "untranslated"
    SUGGESTED = "suggested"        # written by a machine or the memory; fuzzy in the PO
    FUZZY = "fuzzy"                # needs work: fuzzy in the PO, or its source changed upstream
    TRANSLATED = "translated"      # by a person (or un-fuzzied by hand), not yet reviewed
    REVIEWED = "reviewed"          # approved
    REJECTED = "rejected"          # a suggestion that was turned down; the entry is untranslated

    @property
    def needs_review(self) -> bool:
        return self in (ReviewState.SUGGESTED, ReviewState.FUZZY, ReviewState.TRANSLATED)


# ---------------------------------------------------------------------------------------------
# identities
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CatalogKey:
    """How the store names a catalog. ``path`` (resolved) is the identity; project, domain and locale
    group catalogs for progress and let the store follow a plugin folder that was moved."""

    path: str
    project: str
    domain: str
    locale: str

    @classmethod
    def for_path(cls, path: str | os.PathLike, project: str | None = None, domain: str | None = None,
                 locale: str | None = None) -> "CatalogKey":
        resolved = Path(path).resolve()
        locale = locale or locale_from_filename(resolved, domain) or ""
        if domain is None:
            stem = resolved.name[: -len(resolved.suffix)] if resolved.suffix else resolved.name
            domain = stem[: -len(locale) - 1] if locale and stem.endswith("-" + locale) else stem
            if resolved.parent.name == "LC_MESSAGES" or domain == locale:
                domain = stem if resolved.parent.name == "LC_MESSAGES" else resolved.parent.name
        return cls(str(resolved), project or domain, domain, locale)

    @classmethod
    def for_catalog(cls, catalog: "Catalog", project: str | None = None,
                    domain: str | None = None) -> "CatalogKey":
        if catalog.path is None:
            raise StoreError("a catalog needs a path before its review state can be stored")
        return cls.for_path(catalog.path, project, domain, catalog.language or None)


def entry_key(entry: "Entry | tuple[str | None, str]") -> str:
    """``msgctxt EOT msgid`` — the key MO files use, so one string names an entry."""
    msgctxt, msgid = entry if isinstance(entry, tuple) else (entry.msgctxt, entry.msgid)
    return msgid if msgctxt is None else f"{msgctxt}\x04{msgid}"


def previous_key(entry: "Entry") -> str | None:
    """The key of the source msgmerge matched this entry to (``#| msgid``), when it says so."""
    if entry.previous_msgid is None:
        return None
    return entry_key((entry.previous_msgctxt, entry.previous_msgid))


def source_hash(entry: "Entry") -> str:
    ctxt = "\x01" if entry.msgctxt is None else entry.msgctxt  # None and "" are different contexts
    text = f"{ctxt}\x04{entry.msgid}\x00{entry.msgid_plural or ''}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def translation_hash(entry: "Entry") -> str | None:
    forms = entry.translations
    if not any(forms):
        return None
    return hashlib.sha1("\x00".join(forms).encode("utf-8")).hexdigest()


def default_who() -> str:
    """The translator identity from config, else the login name — never empty."""

    try:
        identity = load_config().identity
    except Exception:  # a broken config must not stop recording; the CLI reports it elsewhere
        identity = None
    if identity is not None and identity.is_set:
        return identity.as_header()
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


# ---------------------------------------------------------------------------------------------
# values handed back
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EntryState:
    state: ReviewState
    provider: str | None
    score: float | None
    who: str | None
    updated_at: str
    source_hash: str
    translation_hash: str | None

    @property
    def needs_review(self) -> bool:
        return self.state.needs_review


@dataclass(frozen=True)
class HistoryEvent:
    at: str
    path: str
    project: str
    locale: str
    msgctxt: str | None
    msgid: str
    state: ReviewState
    previous_state: ReviewState | None
    provider: str | None
    score: float | None
    who: str | None
    note: str | None


@dataclass
class SyncReport:
    """What ``sync_catalog`` found. ``rebuilt`` is true when the store knew nothing of the catalog."""

    key: CatalogKey
    rebuilt: bool = False
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    # entry keys (msgctxt, msgid) whose state changed, by reason
    source_changed: list[tuple[str | None, str]] = field(default_factory=list)
    edited_after_review: list[tuple[str | None, str]] = field(default_factory=list)
    fuzzied: list[tuple[str | None, str]] = field(default_factory=list)
    other_changes: int = 0

    @property
    def changed(self) -> int:
        return (len(self.source_changed) + len(self.edited_after_review) + len(self.fuzzied)
                + self.other_changes)


def _split_key(key: str) -> tuple[str | None, str]:
    ctxt, sep, msgid = key.partition("\x04")
    return (ctxt, msgid) if sep else (None, key)


# ---------------------------------------------------------------------------------------------
# the reconciliation rule, kept pure so it can be read (and tested) on its own
# ---------------------------------------------------------------------------------------------

def po_bucket(entry: "Entry") -> str:
    """"translated", "fuzzy" or "untranslated", exactly as ``msgfmt --statistics`` counts."""
    if entry.is_untranslated():
        return "untranslated"
    return "fuzzy" if entry.fuzzy else "translated"


def reconcile(entry: "Entry", stored: EntryState | None) -> tuple[ReviewState, str | None]:
    """The state an entry should have given its PO form and what the store remembers, plus the reason
    when that is a demotion worth an event (``source changed``, ``edited after review``, …)."""
    bucket = po_bucket(entry)
    if bucket == "untranslated":
        if stored is not None and stored.state is ReviewState.REJECTED:
            return ReviewState.REJECTED, None
        return ReviewState.UNTRANSLATED, None
    if stored is None:
        return (ReviewState.FUZZY if bucket == "fuzzy" else ReviewState.TRANSLATED), None
    source_moved = stored.source_hash != source_hash(entry)
    text_moved = stored.translation_hash != translation_hash(entry)
    if bucket == "fuzzy":
        if source_moved:
            return ReviewState.FUZZY, "source changed"
        if stored.state is ReviewState.SUGGESTED and not text_moved:
            return ReviewState.SUGGESTED, None  # a machine draft still waiting for a person
        if stored.state in (ReviewState.REVIEWED, ReviewState.TRANSLATED):
            return ReviewState.FUZZY, "marked fuzzy"
        return ReviewState.FUZZY, None
    # translated in the PO
    if source_moved:
        return ReviewState.TRANSLATED, "source changed"
    if stored.state is ReviewState.REVIEWED:
        if text_moved:
            return ReviewState.TRANSLATED, "edited after review"
        return ReviewState.REVIEWED, None
    return ReviewState.TRANSLATED, None


def plan_sync(catalog: "Catalog", catalog_id: int, stored: dict[str, EntryState],
               report: SyncReport) -> tuple[list, list, list, list[str]]:
    """Rows to write, events to add, events to re-key and entry keys to drop, so the store says what
    the PO file says; fills in ``report``."""

    now = utc_now()
    seen: set[str] = set()
    rows, events = [], []
    renamed: list[tuple[str, int, str]] = []  # (new key, catalog, old key)
    live = {entry_key(entry) for entry in catalog.entries}
    for entry in catalog.entries:
        k = entry_key(entry)
        if k in seen:  # a duplicate msgid (msgfmt rejects the file); count it once
            continue
        seen.add(k)
        before = stored.get(k)
        if before is None and entry.previous_msgid is not None:
            # msgmerge kept the old source in "#| msgid": the same string, reworded upstream
            old_key = entry_key((entry.previous_msgctxt, entry.previous_msgid))
            if old_key not in live and old_key in stored:
                before = stored[old_key]
                renamed.append((k, catalog_id, old_key))
        state, reason = reconcile(entry, before)
        if before is None:
            report.added += 1
        elif (state is before.state and before.source_hash == source_hash(entry)
              and before.translation_hash == translation_hash(entry)
              and stored.get(k) is before):
            report.unchanged += 1
            continue
        elif reason == "source changed":
            report.source_changed.append(entry.key)
        elif reason == "edited after review":
            report.edited_after_review.append(entry.key)
        elif reason == "marked fuzzy":
            report.fuzzied.append(entry.key)
        else:
            report.other_changes += 1
        # provenance survives a sync; "who" is unknown when the change came from the file
        same_state = before is not None and state is before.state and reason is None
        provider = before.provider if before is not None else None
        score = before.score if before is not None else None
        rows.append((catalog_id, k, source_hash(entry), translation_hash(entry), state.value,
                     provider, score, count_words(entry.msgid), before.who if same_state else None, now,
                     previous_key(entry)))
        # entries seen for the first time get no event: their history starts with the file
        if before is not None and not same_state:
            events.append((catalog_id, k, state.value, before.state.value, provider, score,
                           None, reason or "changed in the PO file", now))
    gone = [k for k in stored if k not in seen]
    report.removed = len(gone)
    return rows, events, renamed, gone
