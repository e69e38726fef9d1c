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
from transkit.jobs.catalogs import CatalogRef, catalogs_for
from transkit.store import CatalogKey, EntryState, HistoryEvent, ProgressPoint, ReviewState, ReviewStore


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


@dataclass
class ApproveReport:
    selector: str
    dry_run: bool
    # path -> approved (msgctxt, msgid) keys
    approved: dict[Path, list[tuple[str | None, str]]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(keys) for keys in self.approved.values())


def approve(path: str | os.PathLike, selector: str, who: str | None = None, dry_run: bool = False,
            store: ReviewStore | None = None, identity=None) -> ApproveReport:
    """Approve, in every PO catalog under ``path``, the translated entries that need review and match
    ``selector``. With ``dry_run`` nothing is written."""
    from transkit.catalog import load_catalog
    from transkit.errors import CatalogError

    predicate = parse_selector(selector)
    report = ApproveReport(selector, dry_run)
    own_store = store is None
    store = store or ReviewStore.open()
    try:
        for ref in catalogs_for([path]):
            try:
                signature_before = os.stat(ref.path)  # before reading: see _save_unchanged_since
                catalog = load_catalog(ref.path)
            except (CatalogError, OSError) as err:
                report.errors.append(str(err))
                continue
            key = ref.key
            store.sync_catalog(catalog, key)  # judge by what the file says now
            states = store.states(key)
            chosen = []
            for entry in catalog.entries:
                state = states.get(entry.key)
                if state is None or not state.needs_review:
                    continue
                if not all(entry.translations) or not predicate(entry, state, ref):
                    continue
                chosen.append(entry)
            if not chosen:
                continue
            report.approved[ref.path] = [e.key for e in chosen]
            if dry_run:
                continue
            for entry in chosen:
                entry.fuzzy = False
                entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
            if any(entry.is_modified for entry in chosen):  # approving a translated entry: no write
                _save_unchanged_since(catalog, ref.path, signature_before, identity)
            store.approve(key, chosen, who=who)
            store.sync_catalog(catalog, key)  # remember the file as written, for the status cache
        return report
    finally:
        if own_store:
            store.close()


def _save_unchanged_since(catalog, path: Path, before: os.stat_result, identity) -> None:
    """Save, unless someone else wrote the file since we read it (then their work wins)."""
    now = os.stat(path)
    if (now.st_mtime_ns, now.st_size) != (before.st_mtime_ns, before.st_size):
        raise TranskitError(f"{path}: changed on disk while approving; run the command again")
    if identity is None:
        from transkit.config import load_config

        identity = load_config().identity
    catalog.save(identity=identity if identity.is_set else None)


@dataclass
class PluginHistory:
    project: str
    locale: str | None
    catalogs: list[CatalogKey]
    points: list[ProgressPoint]
    events: list[HistoryEvent]


def plugin_history(project: str, locale: str | None = None, limit: int = 50,
                   store: ReviewStore | None = None) -> PluginHistory:
    """Daily progress points and the latest review events of one plugin (project)."""
    own_store = store is None
    store = store or ReviewStore.open()
    try:
        catalogs = store.catalogs(project=project, locale=locale)
        if not catalogs:  # the text domain is also a fine name for a plugin
            by_domain = {key.project for key in store.catalogs(locale=locale) if key.domain == project}
            if len(by_domain) == 1:
                project = by_domain.pop()
                catalogs = store.catalogs(project=project, locale=locale)
        if not catalogs:
            known = sorted({key.project for key in store.catalogs()})
            hint = f"; known: {', '.join(known[:20])}" if known else \
                "; run `transkit status` on its folder first"
            raise TranskitError(f"no review history for {project!r}"
                                f"{' in ' + locale if locale else ''}{hint}")
        return PluginHistory(project, locale, catalogs,
                             store.daily_progress(project=project, locale=locale),
                             store.history(project=project, locale=locale, limit=limit))
    finally:
        if own_store:
            store.close()
