"""The machine-translation cache and the fill journal: no character is billed twice.

Every answer a provider gives is written here, one committed transaction per HTTP batch, before the
fill job touches a catalog. The key holds everything that changes DeepL's answer — provider, source
language, target code, effective formality, glossary, context and the text — so a rerun, a run killed
half-way, or another plugin that shares strings finds the answer here instead of paying again.
Unusable answers (a placeholder lost) are cached too: they were billed, and sending the same text
again would most likely fail the same way.

The journal (``runs``) remembers each fill run, so a run that never finished can be named when the
next one resumes it; the cache is what makes the resume free. What each run paid is journalled per model (``run_usage``:
DeepL's billed characters, an LLM's input and output tokens as the API reported them, those of
answers that were unusable or cut off too) in the same transaction as the answers, so a killed run's
spend is known and the run resuming it reports the total (``run_usage(run, earlier=True)``). A run also records its process id,
host and a heartbeat (refreshed by a thread every ``HEARTBEAT_SECONDS``): while it is alive, another
fill over any of its catalogs is refused (``FillInProgress``) rather than "resumed" — both would pay
for the same texts and save over each other's catalogs. A run is alive while its status is
``running``, its heartbeat is under ``STALE_AFTER_SECONDS`` old and, on this host, its process exists;
a killed run is therefore resumable at once. A run stopped by Ctrl-C, a quota or a network failure after
paying for something is resumed too, so the next run over the same catalogs counts its spend
(``fill --max-chars``/``--max-tokens`` budgets hold across the stop). Runs over other catalogs may run side by side: before
sending a text a run *claims* its cache key (``claim``), and a text claimed by another live run is
waited for, not sent again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from transkit.errors import ProviderError, StoreError
from transkit.store.db import open_component, store_url
from transkit.store.sql import Connection
from transkit.suggest.mt import (
    EntryRequest, EntryResult, TranslationRequest, TranslationResult, Usage, deepl_target_code, formality_for,
)
from transkit.config import data_dir

FILE_NAME = "mtcache.sqlite"

HEARTBEAT_SECONDS = 5.0
STALE_AFTER_SECONDS = 60.0  # a run whose heartbeat is older is dead, whatever its pid says


class FillInProgress(StoreError):
    """Another live fill run holds some of the same catalogs."""


def _process_exists(pid: int) -> bool:
    if os.name == "nt":  # os.kill would terminate it there: trust the heartbeat alone
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    try:  # a killed child its parent has not reaped yet is a zombie: dead for our purpose
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return True


def _is_live(pid: int | None, host: str | None, heartbeat_at: float | None, now: float) -> bool:
    if pid is None or heartbeat_at is None:  # a run journalled before pids were recorded
        return False
    if now - heartbeat_at > STALE_AFTER_SECONDS:
        return False
    return host != socket.gethostname() or _process_exists(pid)


def _age(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


class _Heartbeat(threading.Thread):
    """Refreshes a run's heartbeat from its own connection, so a long provider call never makes a
    live run look dead."""

    def __init__(self, target, run_id: int):
        super().__init__(name=f"transkit-fill-heartbeat-{run_id}", daemon=True)
        self.target, self.run_id = target, run_id
        self.stopped = threading.Event()

    def run(self) -> None:
        if self.stopped.wait(HEARTBEAT_SECONDS):
            return  # a short run ends before its first beat: no second connection for it
        try:
            conn = open_component("mtcache", self.target)
        except StoreError:
            return  # the run's own connection reports trouble; a missed beat only ages the run
        try:
            while True:
                try:
                    conn.execute("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'",
                                 (time.time(), self.run_id))
                except StoreError:
                    pass  # busy for longer than the timeout: the next beat will do
                if self.stopped.wait(HEARTBEAT_SECONDS):
                    break
        finally:
            conn.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=HEARTBEAT_SECONDS + 1)



@dataclass(frozen=True)
class CachedTranslation:
    text: str
    translation: str | None
    problem: str | None
    billed_characters: int


def entry_result_from_cache(request: EntryRequest, cached: list[CachedTranslation]) -> EntryResult:
    problem = next((c.problem or "no translation" for c in cached if c.translation is None), None)
    forms = None if problem else tuple(c.translation for c in cached)
    return EntryResult(request, forms, problem, Usage(), sent=False)


def _target_and_formality(request: TranslationRequest) -> tuple[str, str | None]:
    return _target_and_formality_of(request.target_locale, request.formality)


@functools.lru_cache(maxsize=256)
def _target_and_formality_of(locale: str, formality: str | None) -> tuple[str, str | None]:
    try:
        return deepl_target_code(locale), formality_for(locale, formality)
    except ProviderError:  # a language DeepL lacks: still a valid key for other providers
        return locale, formality


_IN_CHUNK = 500  # keys per IN (...) query: far below every backend's parameter limit


def _chunks(items: list, size: int = _IN_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# json.dumps(..., ensure_ascii=False) would build a new encoder per call; this one writes the same text
_KEY_ENCODER = json.JSONEncoder(ensure_ascii=False)


# a fill asks the key of each text three times (look-up, claim, store): worked out once
@functools.lru_cache(maxsize=32768)
def cache_key(provider: str, request: TranslationRequest) -> str:
    target, formality = _target_and_formality(request)
    fields = [provider, request.source_lang.upper(), target, formality, request.glossary_id,
              request.context, request.text]
    return hashlib.sha256(_KEY_ENCODER.encode(fields).encode("utf-8")).hexdigest()


class MTCache:
    """Open with ``MTCache()`` (the configured PostgreSQL database, else ``<data dir>/mtcache.sqlite``)
    or a path or URL. Shareable between the threads of a process."""

    def __init__(self, path: str | os.PathLike | None = None):
        if path is None:
            path = store_url() or data_dir() / FILE_NAME
        self._target = path
        # FULL: a committed batch survives even a power cut, not only a killed process
        self._conn: Connection = open_component("mtcache", path, synchronous="FULL")
        self.path = self._conn.path  # the file, or the URL with its password masked
        self._heartbeats: dict[int, _Heartbeat] = {}

    def _write(self):
        """A write transaction; check-then-insert inside it is atomic across processes."""
        return self._conn.transaction("transkit mtcache")

    def close(self) -> None:
        for heartbeat in self._heartbeats.values():
            heartbeat.stop()
        self._heartbeats.clear()
        self._conn.close()

    def __enter__(self) -> "MTCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- translations ---------------------------------------------------------------------------
    def get(self, provider: str, request: TranslationRequest) -> CachedTranslation | None:
        row = self._conn.execute("SELECT text, translation, problem, billed_characters FROM translations "
                                 "WHERE key = ?", (cache_key(provider, request),)).fetchone()
        return CachedTranslation(*row) if row else None

    def put_results(self, provider: str, results: Iterable[TranslationResult], run_id: int | None = None,
                    *, tokens: Usage = Usage(), journal_as: str | None = None) -> int:
        """Store a finished batch in one durable transaction, with what it cost added to run
        ``run_id``'s journal under ``journal_as`` (the model: ``deepl``, ``llm:<api>/<model>``;
        default ``provider``): the characters billed for the results and the ``tokens`` the API
        reported. Results never sent (nothing to translate, or too long to send) are not cached:
        they cost nothing to recompute."""
        now = time.time()
        rows = []
        for result in results:
            if not result.sent:
                continue
            request = result.request
            target, formality = _target_and_formality(request)
            rows.append((cache_key(provider, request), provider, request.source_lang.upper(), target,
                         formality, request.glossary_id, request.context, request.text, result.text,
                         result.problem, result.billed_characters, now))
        billed = sum(row[10] for row in rows)
        spent = Usage(billed, tokens.input_tokens, tokens.output_tokens)
        if rows or (run_id is not None and spent != Usage()):
            with self._write():
                if run_id is not None:
                    self._journal(run_id, journal_as or provider, spent)
                # a duplicate within the batch carries billed 0: never let it overwrite the real count
                self._conn.executemany(
                    "INSERT INTO translations(key, provider, source_lang, target, formality, glossary_id, "
                    "context, text, translation, problem, billed_characters, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET translation = excluded.translation, "
                    "problem = excluded.problem, billed_characters = CASE WHEN excluded.billed_characters "
                    "> translations.billed_characters THEN excluded.billed_characters "
                    "ELSE translations.billed_characters END", rows)
        return len(rows)

    def get_many(self, provider: str, requests: Iterable[TranslationRequest]
                 ) -> dict[TranslationRequest, CachedTranslation]:
        """The cached answers among ``requests``, a few queries for any number of them."""
        keys = {cache_key(provider, request): request for request in requests}
        return {keys[key]: found for key, found in self._rows(list(keys)).items()}

    def _rows(self, keys: list[str]) -> dict[str, CachedTranslation]:
        found: dict[str, CachedTranslation] = {}
        for chunk in _chunks(keys):
            marks = ", ".join("?" * len(chunk))
            for key, *row in self._conn.execute(
                    "SELECT key, text, translation, problem, billed_characters FROM translations "
                    f"WHERE key IN ({marks})", chunk).fetchall():
                found[key] = CachedTranslation(*row)
        return found

    # -- entries (the provider protocol's unit), stored form by form ---------------------------
    def get_entry(self, provider: str, request: EntryRequest,
                  units: Sequence[TranslationRequest] | None = None) -> EntryResult | None:
        """The cached answer for every form of ``request``, or None when a form was never answered.
        ``units`` are the keys of its forms (default ``request.text_requests()``; an LLM keys each
        form by the whole entry, since its forms differ where their texts are equal)."""
        units_of = (lambda _request: units) if units is not None else None
        return self.get_entries(provider, [request], units_of).get(request)

    def get_entries(self, provider: str, requests: Iterable[EntryRequest],
                    units_of: Callable[[EntryRequest], Sequence[TranslationRequest]] | None = None
                    ) -> dict[EntryRequest, EntryResult]:
        """The entries among ``requests`` whose every form is cached (a few queries for all)."""
        keyed = [(request, tuple(units_of(request)) if units_of is not None else request.text_requests())
                 for request in requests]
        found = self.get_many(provider, (u for _, units in keyed for u in units))
        answers: dict[EntryRequest, EntryResult] = {}
        for request, units in keyed:
            cached = [found.get(unit) for unit in units]
            if all(cached):
                answers[request] = entry_result_from_cache(request, cached)
        return answers

    def put_entries(self, provider: str, results: Iterable[EntryResult],
                    units_of: Callable[[EntryRequest], Sequence[TranslationRequest]] | None = None,
                    run_id: int | None = None, *, extra_usage: Usage = Usage(),
                    journal_as: str | None = None) -> int:
        """Store finished entries (one durable transaction, see ``put_results``): each form under its
        key (``units_of``, as for ``get_entry``); the characters are recorded on the first form. The
        journal gets every token the results carry, those of unusable answers (not cached) too, and
        ``extra_usage`` (answers no result carries: an LLM answer cut off and asked again in halves)."""
        rows: list[TranslationResult] = []
        tokens = extra_usage
        for result in results:
            tokens = tokens + Usage(0, result.usage.input_tokens, result.usage.output_tokens)
            if not result.sent:
                continue
            units = units_of(result.request) if units_of is not None else result.request.text_requests()
            for form, unit in enumerate(units):
                rows.append(TranslationResult(
                    form, unit, result.forms[form] if result.forms else None, problem=result.problem,
                    billed_characters=result.usage.characters if form == 0 else 0))
        return self.put_results(provider, rows, run_id, tokens=Usage(0, tokens.input_tokens, tokens.output_tokens),
                                journal_as=journal_as)

    def stats(self) -> dict:
        count, billed = self._conn.execute(
            "SELECT count(*), CAST(coalesce(sum(billed_characters), 0) AS BIGINT) FROM translations").fetchone()
        return {"path": str(self.path), "translations": count, "billed_characters": billed}

    # -- journal --------------------------------------------------------------------------------

    def start_run(self, locale: str, paths: list[str]) -> tuple[int, dict | None]:
        """Open a run over the catalogs ``paths`` (resolved paths); also return the last unfinished,
        dead run over the same locale and paths, if any. Raises ``FillInProgress`` (nothing opened)
        when a live run holds any of these catalogs."""
        paths_json = json.dumps(sorted(paths))
        wanted = set(paths)
        now = time.time()
        with self._write():
            for run, started, paths_of_run, pid, host, beat in self._conn.execute(
                    "SELECT id, started_at, paths, pid, host, heartbeat_at "
                    "FROM runs WHERE status = 'running' ORDER BY id").fetchall():
                shared = wanted & set(json.loads(paths_of_run))
                if shared and _is_live(pid, host, beat, now):
                    where = f"pid {pid}" + ("" if host == socket.gethostname() else f" on {host}")
                    more = f" and {len(shared) - 1} more" if len(shared) > 1 else ""
                    raise FillInProgress(
                        f"another fill is running over {sorted(shared)[0]}{more} (run {run}, {where}, "
                        f"started {_age(now - started)} ago); wait for it to finish, then run this again")
            # the last run over the same locale and catalogs, when it did not finish: killed (still
            # 'running', and dead by now), or stopped by Ctrl-C, a quota or a network failure after
            # paying for something — its spend belongs to this fill (the report, the budgets)
            resumable = None
            last = self._conn.execute(
                "SELECT id, started_at, billed_characters, status FROM runs WHERE locale = ? AND paths = ? "
                "ORDER BY id DESC LIMIT 1", (locale, paths_json)).fetchone()
            if last is not None and (last[3] == "running" or (last[3] == "stopped" and self._conn.execute(
                    "SELECT 1 FROM run_usage WHERE run_id = ? LIMIT 1", (last[0],)).fetchone())):
                resumable = tuple(last[:3])
            if resumable:
                self._conn.execute("UPDATE runs SET status = 'resumed' WHERE id = ?", (resumable[0],))
                self._conn.execute("DELETE FROM claims WHERE run_id = ?", (resumable[0],))
            run_id = self._conn.execute(
                "INSERT INTO runs(started_at, locale, paths, pid, host, heartbeat_at, resumed_from) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (now, locale, paths_json, os.getpid(), socket.gethostname(), now,
                 resumable[0] if resumable else None)).fetchone()[0]
        heartbeat = self._heartbeats[run_id] = _Heartbeat(self._target, run_id)
        heartbeat.start()
        unfinished = ({"run": resumable[0], "started_at": resumable[1], "billed_characters": resumable[2],
                       "usage": self.run_usage(resumable[0])} if resumable else None)
        return run_id, unfinished

    def claim(self, run_id: int, provider: str, requests: Iterable[TranslationRequest]
              ) -> tuple[list[TranslationRequest], dict[TranslationRequest, CachedTranslation], dict[TranslationRequest, int]]:
        """Claim the texts this run is about to send: ``(mine, answered, taken)``. ``answered`` are in
        the cache by now (another run paid for them); ``taken`` maps a text another live run has
        claimed to that run: wait for its answer rather than pay for it twice. A dead run's claims
        pass to this one."""
        mine: list[TranslationRequest] = []
        answered: dict[TranslationRequest, CachedTranslation] = {}
        taken: dict[TranslationRequest, int] = {}
        now = time.time()
        keys = {cache_key(provider, request): request for request in requests}
        with self._write():
            cached = self._rows(list(keys))
            open_keys = [key for key in keys if key not in cached]
            holders: dict[str, int] = {}
            for chunk in _chunks(open_keys):
                marks = ", ".join("?" * len(chunk))
                holders.update((key, run) for key, run in self._conn.execute(
                    f"SELECT key, run_id FROM claims WHERE key IN ({marks})", chunk).fetchall())
            live: dict[int, bool] = {}
            for other in set(holders.values()) - {run_id}:
                run = self._conn.execute("SELECT pid, host, heartbeat_at, status FROM runs WHERE id = ?",
                                         (other,)).fetchone()
                live[other] = bool(run) and run[3] == "running" and _is_live(*run[:3], now)
            claims = []
            for key, request in keys.items():
                if key in cached:
                    answered[request] = cached[key]
                elif live.get(holders.get(key, run_id), False):
                    taken[request] = holders[key]
                else:
                    claims.append((key, run_id, now))
                    mine.append(request)
            if claims:
                self._conn.executemany("INSERT INTO claims VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                                       "run_id = excluded.run_id, claimed_at = excluded.claimed_at", claims)
        return mine, answered, taken

    def add_billed(self, run_id: int, characters: int, journal_as: str = "deepl") -> None:
        if characters:
            with self._write():
                self._journal(run_id, journal_as, Usage(characters=characters))

    def _journal(self, run_id: int, name: str, spent: Usage) -> None:
        """Add ``spent`` to run ``run_id``'s journal (inside a write transaction)."""
        if spent == Usage():
            return
        if spent.characters:
            self._conn.execute("UPDATE runs SET billed_characters = billed_characters + ? WHERE id = ?",
                               (spent.characters, run_id))
        self._conn.execute(
            "INSERT INTO run_usage(run_id, provider, characters, input_tokens, output_tokens) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(run_id, provider) DO UPDATE SET characters = run_usage.characters + excluded.characters, "
            "input_tokens = run_usage.input_tokens + excluded.input_tokens, "
            "output_tokens = run_usage.output_tokens + excluded.output_tokens",
            (run_id, name, spent.characters, spent.input_tokens, spent.output_tokens))

    def run_usage(self, run_id: int, *, earlier: bool = True) -> dict[str, Usage]:
        """What run ``run_id`` used per model (``deepl``, ``llm:<api>/<model>``), as the APIs reported
        it; with ``earlier``, added to that of the runs it resumed, and theirs (a run killed twice)."""
        total: dict[str, Usage] = {}
        seen: set[int] = set()
        current: int | None = run_id
        while current is not None and current not in seen:
            seen.add(current)
            for name, characters, input_tokens, output_tokens in self._conn.execute(
                    "SELECT provider, characters, input_tokens, output_tokens FROM run_usage WHERE run_id = ?",
                    (current,)).fetchall():
                total[name] = total.get(name, Usage()) + Usage(characters, input_tokens, output_tokens)
            if not earlier:
                break
            row = self._conn.execute("SELECT resumed_from FROM runs WHERE id = ?", (current,)).fetchone()
            current = row[0] if row else None
        return total

    def finish_run(self, run_id: int, status: str = "finished", note: str | None = None) -> None:
        heartbeat = self._heartbeats.pop(run_id, None)
        if heartbeat is not None:
            heartbeat.stop()
        with self._write():
            self._conn.execute("UPDATE runs SET status = ?, finished_at = ?, note = ? WHERE id = ?",
                               (status, time.time(), note, run_id))
            self._conn.execute("DELETE FROM claims WHERE run_id = ?", (run_id,))
