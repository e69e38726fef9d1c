"""Use cases around review: approve entries chosen by a selector, and the history of a plugin.

Approving writes the PO first (the entry loses its fuzzy flag and ``#|`` previous-source lines, as
Poedit does), then records REVIEWED in the store: if the second step fails, the next sync sees a
translated entry — detail lost, never a translation.

Selector syntax (``transkit review --approve SELECTOR``): ``all``, or terms joined by ``,`` that must
all hold. A term is ``FIELD OP VALUE`` with OP one of ``=  !=  >=  <=  >  <  ~`` (``~``: contains);
``=`` and ``!=`` accept alternatives separated by ``|``. Fields: ``state`` (suggested, fuzzy,
translated…), ``provider`` (deepl, memory…), ``score`` (0–100), ``locale``, ``project``, ``msgid``,
``msgctxt`` (alias ``ctx``), ``file`` (path contains). Examples::

    provider=memory,score>=100        every memory suggestion that was an exact match
    state=suggested|fuzzy,locale=it_IT
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from transkit.errors import ExitCode, TranskitError
from transkit.jobs.catalogs import CatalogRef, catalogs_for, find_catalogs
from transkit.jobs.progress import CancelToken, ProgressReporter, ProgressSink
from transkit.jobs.team import check_may_approve
from transkit.store import CatalogKey, EntryState, HistoryEvent, Progress, ProgressPoint, ReviewState, ReviewStore
from transkit.catalog import load_catalog
from transkit.checks import CheckContext, run_checks
from transkit.errors import CatalogError
from transkit.config import load_config


class SelectorError(TranskitError):
    exit_code = ExitCode.USAGE


FIELDS = ("state", "provider", "score", "locale", "project", "msgid", "msgctxt", "ctx", "file")
_TERM = re.compile(r"^\s*([a-z_]+)\s*(!=|>=|<=|=|>|<|~)\s*(.*?)\s*$")

# (entry, stored state or None, catalog) -> bool
Predicate = Callable[[object, "EntryState | None", CatalogRef], bool]


def parse_selector(text: str) -> Predicate:
    """Turn a selector into a predicate; a SelectorError names the term that is wrong."""
    text = text.strip()
    if not text:
        raise SelectorError("empty selector (use `all` to approve every entry needing review)")
    if text == "all":
        return lambda entry, state, ref: True
    return _all_of([_parse_term(term) for term in text.split(",")])


def _all_of(predicates: list[Predicate]) -> Predicate:
    return lambda entry, state, ref: all(p(entry, state, ref) for p in predicates)


def _parse_term(term: str) -> Predicate:
    match = _TERM.match(term)
    if not match:
        raise SelectorError(f"selector term {term!r} is not FIELD=VALUE (e.g. provider=memory)")
    name, op, value = match.groups()
    if name not in FIELDS:
        raise SelectorError(f"selector field {name!r} is unknown; use one of {', '.join(FIELDS)}")
    if name == "score":
        try:
            wanted = float(value)
        except ValueError:
            raise SelectorError(f"score must be a number in {term!r}") from None
        compare = {"=": float.__eq__, "!=": float.__ne__, ">=": float.__ge__, "<=": float.__le__,
                   ">": float.__gt__, "<": float.__lt__}.get(op)
        if compare is None:
            raise SelectorError(f"score cannot be compared with {op!r} in {term!r}")
        return lambda entry, state, ref: (state is not None and state.score is not None
                                          and compare(float(state.score), wanted))
    if op not in ("=", "!=", "~"):
        raise SelectorError(f"{name} can only be compared with =, != or ~ in {term!r}")
    if name == "state":
        valid = {s.value for s in ReviewState}
        for alternative in value.split("|"):
            if alternative not in valid:
                raise SelectorError(f"state {alternative!r} is unknown; use one of {', '.join(sorted(valid))}")
    getter = _GETTERS["msgctxt" if name == "ctx" else name]

    def matches(entry, state, ref) -> bool:
        actual = getter(entry, state, ref)
        if op == "~":
            return actual is not None and value in actual
        hit = actual is not None and actual in value.split("|")
        return hit if op == "=" else not hit

    return matches


_GETTERS: dict[str, Callable] = {
    "state": lambda e, s, r: s.state.value if s else None,
    "provider": lambda e, s, r: s.provider if s else None,
    "locale": lambda e, s, r: r.locale,
    "project": lambda e, s, r: r.project,
    "msgid": lambda e, s, r: e.msgid,
    "msgctxt": lambda e, s, r: e.msgctxt,
    "file": lambda e, s, r: str(r.path),
}


MAX_ATTEMPTS = 3  # a catalog someone saves while we approve is read again, at most this often


@dataclass
class CatalogApproval:
    """What ``approve`` did to one catalog: each catalog succeeds or fails on its own."""

    path: Path
    project: str
    locale: str
    approved: list[tuple[str | None, str]] = field(default_factory=list)
    # entries the selector chose but that have an error-level problem: a person decides those
    held_back: list[tuple[tuple[str | None, str], str]] = field(default_factory=list)
    error: str | None = None
    written: bool = False  # the PO file was rewritten (approving a translated entry changes no line)
    attempts: int = 0      # > 1: the file changed while we approved, and was read again

    @property
    def status(self) -> str:
        if self.error:
            return "failed"
        return "approved" if self.approved else "nothing to approve"

    def as_dict(self) -> dict:
        return {"path": str(self.path), "project": self.project, "locale": self.locale,
                "status": self.status, "approved": len(self.approved), "written": self.written,
                "attempts": self.attempts, "error": self.error,
                "entries": [{"msgctxt": c, "msgid": i} for c, i in self.approved],
                "held_back": [{"msgctxt": c, "msgid": i, "reason": why} for (c, i), why in self.held_back]}


@dataclass
class ApproveReport:
    selector: str
    dry_run: bool
    catalogs: list[CatalogApproval] = field(default_factory=list)
    cancelled: bool = False
    left_out: list = field(default_factory=list)  # discover.LeftOut: catalog files no locale is known for

    @property
    def approved(self) -> dict[Path, list[tuple[str | None, str]]]:
        """path -> approved (msgctxt, msgid) keys, for the catalogs where something was approved."""
        return {c.path: c.approved for c in self.catalogs if c.approved}

    @property
    def failed(self) -> list[CatalogApproval]:
        return [c for c in self.catalogs if c.error]

    @property
    def errors(self) -> list[str]:
        return [c.error for c in self.failed if c.error]

    @property
    def total(self) -> int:
        return sum(len(c.approved) for c in self.catalogs)

    @property
    def held_back(self) -> int:
        return sum(len(c.held_back) for c in self.catalogs)

    def as_dict(self) -> dict:
        return {"selector": self.selector, "dry_run": self.dry_run, "approved": self.total,
                "held_back": self.held_back, "failed": len(self.failed), "cancelled": self.cancelled,
                "catalogs": [c.as_dict() for c in self.catalogs],
                "left_out": [item.as_dict() for item in self.left_out]}


class _ChangedOnDisk(Exception):
    pass


def approve(paths: "str | os.PathLike | list", selector: str, who: str | None = None,
            dry_run: bool = False, store: ReviewStore | None = None, identity=None, *,
            progress: ProgressSink | None = None, cancel: CancelToken | None = None) -> ApproveReport:
    """Approve, in every PO catalog under ``paths``, the translated entries that need review and
    match ``selector``; with ``dry_run`` nothing is written.

    Each catalog is done on its own: one that cannot be read or written is reported (``error``) and
    the others are still approved. A catalog another process saves meanwhile (the TUI, a fill) is
    read again and the selector applied to what it holds now, up to ``MAX_ATTEMPTS`` times; the
    save itself rebases onto the file (catalog/rebase.py), so unrelated entries are never lost. An
    entry with an error-level problem (a broken placeholder) is held back, as in the TUI."""
    predicate = parse_selector(selector)
    report = ApproveReport(selector, dry_run)
    found = find_catalogs(paths)
    refs, report.left_out = found.refs, list(found.left_out)
    steps = ProgressReporter(progress, "catalogs", total=len(refs), cancel=cancel)
    own_store = store is None
    store = store or ReviewStore.open()
    try:
        if not dry_run:
            check_may_approve(store, identity)
        for ref in refs:
            if steps.cancelled:
                report.cancelled = True
                break
            report.catalogs.append(_approve_catalog(ref, predicate, store, who, dry_run, identity))
            steps.advance(message=str(ref.path))
        steps.finish()
        return report
    finally:
        if own_store:
            store.close()


def _approve_catalog(ref: CatalogRef, predicate: Predicate, store: ReviewStore, who, dry_run: bool,
                     identity) -> CatalogApproval:

    result = CatalogApproval(ref.path, ref.project, ref.locale)
    key = ref.key
    while result.attempts < MAX_ATTEMPTS:
        result.attempts += 1
        result.approved, result.held_back = [], []
        try:
            signature_before = os.stat(ref.path)  # before reading: see _save_unchanged_since
            catalog = load_catalog(ref.path)
        except (CatalogError, OSError) as err:
            result.error = str(err)
            return result
        try:
            store.sync_catalog(catalog, key)  # judge by what the file says now
            states = store.states(key)
            context = None
            chosen = []
            for entry in catalog.entries:
                state = states.get(entry.key)
                if state is None or not state.needs_review:
                    continue
                if not all(entry.translations) or not predicate(entry, state, ref):
                    continue
                context = context or CheckContext.for_catalog(catalog)
                errors = [p for p in run_checks(entry, context) if p.is_error]
                if errors:
                    result.held_back.append((entry.key, "; ".join(f"{p.check}: {p.message}" for p in errors)))
                    continue
                chosen.append(entry)
            result.approved = [e.key for e in chosen]
            if dry_run or not chosen:
                return result
            for entry in chosen:
                entry.fuzzy = False
                entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
            if any(entry.is_modified for entry in chosen):  # approving a translated entry: no write
                _save_unchanged_since(catalog, ref.path, signature_before, identity)
                result.written = True
            store.approve(key, chosen, who=who)
            store.sync_catalog(catalog, key)  # remember the file as written, for the status cache
            return result
        except _ChangedOnDisk:
            continue
        except TranskitError as err:  # a save or the store refused: this catalog only
            result.approved = []
            result.error = str(err)
            return result
    result.approved = []
    result.error = (f"{ref.path}: changed on disk {MAX_ATTEMPTS} times while approving (another "
                    "program is saving it); nothing approved in it — run the command again")
    return result


def _save_unchanged_since(catalog, path: Path, before: os.stat_result, identity) -> None:
    """Save, unless someone else wrote the file since we read it: then ``_ChangedOnDisk``, and the
    caller reads it again and chooses again (their work wins, ours is redone on top of it)."""
    now = os.stat(path)
    if (now.st_mtime_ns, now.st_size) != (before.st_mtime_ns, before.st_size):
        raise _ChangedOnDisk()
    if identity is None:
        identity = load_config().identity
    catalog.save(identity=identity if identity.is_set else None)


@dataclass
class PluginHistory:
    project: str
    locale: str | None
    catalogs: list[CatalogKey]
    points: list[ProgressPoint]
    events: list[HistoryEvent]
    checkout: Path | None = None  # the project's folder the catalogs belong to, when it is known


class AmbiguousProject(TranskitError):
    """A project name the store knows in several folders (two checkouts of one plugin): their
    histories are not one; the user names the folder."""

    exit_code = ExitCode.USAGE


def checkout_of(path: str | os.PathLike, _known: dict | None = None) -> Path:
    """The folder of the project a catalog belongs to (its plugin or theme folder, also for its
    language pack in wp-content/languages), as the finder answers; the catalog's folder when the
    file is gone. ``_known`` caches answers by catalog folder."""
    path = Path(path)
    cache = {} if _known is None else _known
    if path.parent not in cache:
        root = path.parent
        if path.is_file():
            try:
                refs = catalogs_for([path])
            except TranskitError:
                refs = []
            if refs and refs[0].root is not None:
                root = refs[0].root.resolve()
        cache[path.parent] = root
    return cache[path.parent]


def plugin_history(project: str, locale: str | None = None, limit: int = 50,
                   store: ReviewStore | None = None, *, paths: "set[str] | None" = None) -> PluginHistory:
    """Daily progress points and the latest review events of one plugin (project): of its catalogs
    at ``paths`` (resolved catalog paths, from the finder) when given; else of the one folder the
    store knows it in — ``AmbiguousProject`` when it knows it in several (two checkouts of a plugin
    with the same text domain and locale are two histories, never mixed)."""
    own_store = store is None
    store = store or ReviewStore.open()
    try:
        catalogs = store.catalogs(project=project, locale=locale)
        if not catalogs:  # the text domain is also a fine name for a plugin
            by_domain = {key.project for key in store.catalogs(locale=locale) if key.domain == project}
            if len(by_domain) == 1:
                project = by_domain.pop()
                catalogs = store.catalogs(project=project, locale=locale)
        everything = list(catalogs)
        if paths is not None:
            catalogs = [key for key in catalogs if key.path in paths]
        if not catalogs:
            known = sorted({key.project for key in store.catalogs()})
            hint = f"; known: {', '.join(known[:20])}" if known and paths is None else \
                "; run `transkit status` on its folder first"
            raise TranskitError(f"no review history for {project!r}"
                                f"{' in ' + locale if locale else ''}{hint}")
        cache: dict = {}
        checkouts = sorted({checkout_of(key.path, cache) for key in catalogs})
        if paths is None and len(checkouts) > 1:
            folders = ", ".join(map(str, checkouts))
            raise AmbiguousProject(f"{project!r} has catalogs in {len(checkouts)} folders ({folders}); "
                                   f"name the folder, e.g. `transkit history {checkouts[0]}`")
        checkout = checkouts[0] if len(checkouts) == 1 else None
        if len(catalogs) == len(everything):
            points = store.daily_progress(project=project, locale=locale)
            events = store.history(project=project, locale=locale, limit=limit)
        else:
            points = _summed_points([store.daily_progress(key=key) for key in catalogs])
            events = sorted((event for key in catalogs for event in store.history(key=key, limit=limit)),
                            key=lambda event: event.at, reverse=True)[:limit]
        return PluginHistory(project, locale, catalogs, points, events, checkout)
    finally:
        if own_store:
            store.close()


def _summed_points(per_catalog: list[list[ProgressPoint]]) -> list[ProgressPoint]:
    """Daily points of several catalogs added up; a catalog with no point on a day counts with its
    latest earlier one (as the store's own sum does), so a quiet catalog does not make the line dip."""
    days = sorted({point.day for points in per_catalog for point in points})
    by_day = [{point.day: point.progress for point in points} for points in per_catalog]
    latest: dict[int, Progress] = {}
    summed = []
    for day in days:
        total = Progress()
        for number, points in enumerate(by_day):
            if day in points:
                latest[number] = points[day]
            if number in latest:
                total += latest[number]
        summed.append(ProgressPoint(day, total))
    return summed
