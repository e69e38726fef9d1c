"""The fill pipeline: load the catalogs, then run the stages in order over what is still untranslated.

``FillRun(paths, options, ...).events()`` yields ``FillEvent``s; its stages are
``memory_stage`` (the translation memory) and ``mt_stage(spec)`` (one machine-translation provider
of ``jobs.fill.providers``). Each stage offers every entry still empty; what a stage fills is written
(``#, fuzzy``) once ``jobs.fill.admission`` — i.e. ``transkit.checks`` — allows it, the rest goes to
the next stage with the reason it was refused. A provider error (retries exhausted, quota, key)
stops the whole run: finished work is saved and journalled, nothing more is sent.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from transkit.catalog import Catalog, Entry, load_catalog
from transkit.catalog.locales import parse_locale
from transkit.checks import CheckContext
from transkit.checks.glossary import glossary_rank, load_glossary, terms_counted
from transkit.checks.plurals import plural_rule_of
from transkit.errors import ExitCode, ProviderError, TranskitError
from transkit.jobs.fill.admission import refusal, writable_forms
from transkit.jobs.fill.providers import MEMORY, MT_PROVIDERS, ProviderSpec
from transkit.jobs.fill.report import FillEvent, FillOptions, FillReport, Skipped
from transkit.jobs.team import check_may_approve
from transkit.store import CatalogKey, ReviewState, ReviewStore
from transkit.store.glossary import locale_glossary
from transkit.suggest.mt import (
    BatchOutcome, EntryRequest, EntryResult, MTProvider, RequestSettings, Usage, build_request, estimate_characters,
)

CLAIM_POLL_SECONDS = 0.5  # how often a run waiting for another run's texts looks in the cache
SAVE_EVERY_SECONDS = 5.0  # catalogs are saved this often while answers arrive (and at the end)
TICK_SECONDS = 1.0  # a progress event at least this often while a provider is busy
# answers arriving within this long of each other are journalled in one durable transaction (a
# commit per HTTP answer was most of a large fill's own time); a kill loses at most this window
JOURNAL_GATHER_SECONDS = 0.1


class WrongLocale(TranskitError):
    """A PO file named to fill is in another language than the fill's locale (its Language header)."""

    exit_code = ExitCode.USAGE


def refuse_another_language(catalog: Catalog, locale: str) -> None:
    """A PO file named on the command line must be in ``locale``: filling an it_IT catalog with
    de_DE would write German into it (a folder's catalogs are found by their locale already)."""
    language = catalog.language
    found = parse_locale(language) if language else None
    wanted = parse_locale(locale)
    if found is None or wanted is None:
        return
    if found.language != wanted.language or (found.territory and wanted.territory
                                              and found.territory != wanted.territory):
        raise WrongLocale(f"{catalog.path} is a {language} catalog (its Language header), not {locale}; "
                          f"fill it with --locale {language}")


@dataclass(eq=False)
class Target:
    """An entry to fill, the request every stage builds from it, and how it went."""

    catalog: Catalog
    entry: Entry
    request: EntryRequest
    checks: CheckContext
    filled: bool = False
    reason: str | None = None  # why the last stage that tried could not fill it
    reason_provider: str = ""


@dataclass
class Written:
    """A suggestion written to a catalog and not yet recorded in the review store."""

    target: Target
    provider: str
    score: float | None
    fuzzy: bool
    origin: str | None


class FillRun:
    """One fill over some catalogs. ``providers`` maps a provider name to a ready instance (tests,
    the TUI); any other is built from ``MT_PROVIDERS`` when first needed and closed at the end."""

    def __init__(self, catalog_paths: list[Path], options: FillOptions, *, cache, run_id: int | None,
                 tm=None, providers: dict[str, MTProvider] | None = None,
                 cancel: threading.Event | None = None, named_files: Iterable[Path] = ()):
        self.catalog_paths = catalog_paths
        # PO files the user named (not found in a folder): each must be in the fill's locale
        self.named_files = {Path(path).resolve() for path in named_files}
        self.options = options
        self.cache, self.run_id = cache, run_id
        self.tm, self._own_tm = tm, False
        self.providers = dict(providers or {})
        self._built: list[MTProvider] = []
        self.cancel = cancel
        self.report = FillReport(locale=options.locale, dry_run=options.dry_run, max_chars=options.max_chars)
        self.targets: list[Target] = []
        self.store = None
        self.halted = False  # a provider error stopped the run
        self._touched: dict[int, Catalog] = {}
        self._written: list[Written] = []
        self._last_save = time.monotonic()
        self._save_seconds = 0.0  # how long the last save took: big catalogs are saved less often
        self._settled = 0  # targets filled or refused so far (the progress count)
        self.glossary = None  # checks.glossary.Glossary: its terms go into every request

    # -- the run ---------------------------------------------------------------------------------
    def events(self) -> Iterator[FillEvent]:
        options, report = self.options, self.report
        catalogs = [load_catalog(path) for path in self.catalog_paths]
        for catalog in catalogs:
            if self.named_files and Path(catalog.path).resolve() in self.named_files:
                refuse_another_language(catalog, options.locale)
        report.catalogs = [str(c.path) for c in catalogs]
        self.glossary = self._glossary()
        self.targets = [t for c in catalogs for t in self._targets_of(c)]
        report.candidates = len(self.targets)
        yield self._event("start", f"{len(self.targets)} entries to fill in {len(catalogs)} catalog(s)")
        if self.glossary is not None and options.glossary_csv is None:
            report.glossary = self.glossary.described
            sources = self.glossary.sources
            if sources and (sources[0][0] != options.locale or len(sources) > 1):
                yield self._event("notice", f"glossary: {report.glossary}")  # another locale's terms apply
        if report.resumed_run is not None:
            yield self._event("notice", f"resuming unfinished run {report.resumed_run}: finished batches "
                                        "come from the cache")
        if options.trust_exact and not options.dry_run:  # writing memory matches as finished approves them
            with ReviewStore.open() as store:
                check_may_approve(store)
        if options.record_provenance and not options.dry_run:
            self.store = ReviewStore.open()
            report.provenance_in_store = True
        try:
            for stage in options.providers:
                if self.cancel is not None and self.cancel.is_set() and not self.halted:
                    report.stopped, self.halted = "cancelled", True
                if self.halted or not self._remaining():
                    break
                if stage == MEMORY:
                    yield from self.memory_stage()
                else:
                    yield from self.mt_stage(MT_PROVIDERS[stage])
                event = self._flush(force=True)
                if event:
                    yield event
        except BaseException:
            self._flush(force=True)  # keep finished work on Ctrl-C, a kill signal turned exception, or a bug
            raise
        finally:
            self._close()
        report.skipped = [Skipped(str(t.catalog.path), t.entry.msgid, t.reason, t.reason_provider)
                          for t in self.targets if not t.filled and t.reason]
        yield self._event("done", report=report)

    def _targets_of(self, catalog: Catalog) -> list[Target]:
        options = self.options
        settings = RequestSettings.for_catalog(catalog, locale=options.locale, formality=options.formality,
                                               glossary_id=options.glossary_id, glossary=self.glossary)
        # the checks' context for the catalog, with the placeholder rules the requests already hold
        checks = CheckContext.for_rule(catalog.language, *plural_rule_of(catalog.plural_forms, catalog.language),
                                       placeholder_rules=settings.rules)
        return [Target(catalog, entry, build_request(entry, settings), checks)
                for entry in catalog.entries
                if entry.is_untranslated() or (options.include_fuzzy and entry.fuzzy)]

    def _glossary(self):
        """The terms every request carries: the --glossary CSV's, else the locale's stored glossary."""
        options = self.options
        if options.glossary_csv is not None:
            return load_glossary(options.glossary_csv)
        if options.locale_glossary and options.glossary_id is None:
            return locale_glossary(options.locale)
        return None

    def _remaining(self) -> list[Target]:
        return [t for t in self.targets if not t.filled]

    def _done(self) -> int:
        return self._settled

    def _refuse(self, target: Target, reason: str, provider: str) -> None:
        """``target`` stays empty for now: ``reason`` is reported unless a later stage fills it."""
        if not target.reason and not target.filled:
            self._settled += 1
        target.reason, target.reason_provider = reason, provider

    def _event(self, kind: str, message: str = "", report: FillReport | None = None) -> FillEvent:
        return FillEvent(kind, message, self._done(), len(self.targets), report)

    # -- stage: translation memory ---------------------------------------------------------------
    def memory_stage(self) -> Iterator[FillEvent]:
        from transkit.suggest.tm import DEFAULT_THRESHOLD, TranslationMemory  # lazy: numpy, rapidfuzz

        options, report = self.options, self.report
        threshold = DEFAULT_THRESHOLD if options.threshold is None else options.threshold
        if self.tm is None:
            self.tm, self._own_tm = TranslationMemory(), True
        for target in self._remaining():
            match = _memory_match(self.tm, target, options.locale, threshold, self.glossary)
            if match is None:
                continue
            forms = tuple(match.targets)
            reason = refusal(target.entry, forms, target.request.sources, target.checks)
            if reason:
                self._refuse(target, f"memory match ({match.score:.0f}%) not used: {reason}", "memory")
                continue
            trusted = match.exact and options.trust_exact
            if match.exact:
                report.from_memory_exact += 1
            else:
                report.from_memory_fuzzy += 1
            origin = match.origin if match.same_context else (
                f"{match.origin} (msgctxt {match.msgctxt or ''!r} there)")
            self._write(target, forms, "memory", fuzzy=not trusted, score=match.score, origin=origin)
        report.memory_warnings = list(self.tm.warnings)  # on stderr already (logged); --json carries them
        yield self._event("progress", "translation memory done")

    def _push_glossary(self, provider, terms, locale: str, what: str,
                       named: bool = False) -> tuple[str | None, str | None]:
        """The DeepL glossary id for ``terms``, and a notice to show once. A glossary DeepL will not
        take (a server error, the account's glossary quota, terms it refuses) does not stop the
        fill: it goes on without one and says so (the report keeps why); a wrong key still stops
        it, and so does a glossary file the user ``named`` that cannot be read."""
        try:
            glossary_id = provider.ensure_glossary(terms, locale)
        except ProviderError as err:
            if err.kind == ProviderError.AUTH or (named and err.kind == ProviderError.INVALID):
                raise
            self.report.glossary_not_used = f"{what} could not be pushed to DeepL: {err}"
            return None, f"{self.report.glossary_not_used}; translating without it (the checks still apply it)"
        removed = getattr(provider, "removed_glossaries", 0)
        self.report.glossaries_removed += removed
        if removed:
            return glossary_id, (f"DeepL: {what} pushed as a new glossary; {removed} superseded transkit "
                                 f"glossar{'y' if removed == 1 else 'ies'} deleted")
        return glossary_id, None

    # -- stage: one machine-translation provider -------------------------------------------------
    def mt_stage(self, spec: ProviderSpec) -> Iterator[FillEvent]:
        options, report, locale = self.options, self.report, self.options.locale
        remaining = self._remaining()
        if not spec.supports(locale):
            for target in remaining:
                self._refuse(target, target.reason or f"{spec.label} cannot translate into {locale}",
                             target.reason_provider or spec.name)
            yield self._event("notice", f"{spec.label} cannot translate into {locale}: "
                                        f"{len(remaining)} entries left for the next provider")
            return
        provider = self.providers.get(spec.name)
        glossary_id = options.glossary_id
        # a DeepL glossary is DeepL's; an LLM gets the terms in each request (self.glossary)
        if options.glossary_csv is not None and spec.name != "deepl":
            pass
        elif options.glossary_csv is not None and options.dry_run:
            yield self._event("notice", "dry run: the glossary is not pushed, so translations cached "
                                        "with it are not counted as cached")
        elif options.glossary_csv is not None:
            provider = provider or self._build(spec)  # a glossary needs a key: an auth error stops the run
            glossary_id, notice = self._push_glossary(provider, options.glossary_csv, locale,
                                                      f"the glossary {options.glossary_csv}", named=True)
            if notice:
                yield self._event("notice", notice)
        elif self.glossary is not None and spec.name == "deepl" and remaining:
            if options.dry_run:
                yield self._event("notice", f"dry run: the {locale} glossary ({terms_counted(len(self.glossary))}) is "
                                            "not pushed to DeepL")
            else:
                # the locale glossary as a DeepL glossary, named by its content hash: pushed once, a new
                # one when terms change; its id is part of the cache key
                provider = provider or self._build(spec)
                glossary_id, notice = self._push_glossary(provider, self.glossary.pairs(), locale,
                                                          f"the {locale} glossary ({terms_counted(len(self.glossary))})")
                if notice:
                    yield self._event("notice", notice)
        key = spec.key(provider, locale)
        if spec.cost is not None and not options.dry_run and report.cost is None:
            report.cost = spec.cost(Usage(), locale)  # 0.0 at known prices until tokens are reported

        # -- dedupe, cache, budget ---------------------------------------------------------------
        wanted: dict[EntryRequest, list[Target]] = {}
        for target in remaining:
            request = target.request
            if glossary_id != request.glossary_id:
                request = replace(request, glossary_id=glossary_id)
            wanted.setdefault(request, []).append(target)
        known = self.cache.get_entries(key, wanted, spec.units_of)
        cached: list[EntryResult] = list(known.values())
        to_send: list[EntryRequest] = []
        # what the interrupted run this one resumes was billed counts against --max-chars as well
        earlier_characters = (report.earlier_usage.get(spec.provenance_for(provider, locale), {}).get("characters", 0)
                              if options.max_chars is not None else 0)
        if earlier_characters:
            yield self._event("notice", f"the --max-chars {options.max_chars} budget counts the "
                                        f"{earlier_characters} characters the interrupted run "
                                        f"{report.resumed_run} was billed")
        budget_used = earlier_characters
        seen_units: set = set()
        for request in wanted:
            if request in known:
                continue
            units = [u for u in dict.fromkeys(spec.units_of(request)) if u not in seen_units]
            # the estimate masks every text once more: only a budget or a dry run needs it
            characters = (sum(estimate_characters(u.text, u.flags, u.rules) for u in units)
                          if options.max_chars is not None or options.dry_run else 0)
            if options.max_chars is not None and budget_used + characters > options.max_chars:
                report.over_budget += len(wanted[request])
                continue
            seen_units.update(units)
            budget_used += characters
            to_send.append(request)
        budget_used -= earlier_characters  # what this run is to send
        report.unique_texts_to_send += len(seen_units)
        report.characters_to_send += budget_used
        if options.dry_run:
            figures = {"entries": len(to_send), "characters": budget_used}
            if spec.estimate is not None:
                figures.update(spec.estimate(to_send, locale))
            report.to_send[spec.name] = figures
            return
        self._apply(spec, wanted, cached, from_cache=True)
        if cached:
            yield self._flush() or self._event("progress")
        if not to_send:
            return
        if provider is None:
            try:
                provider = self._build(spec)
            except ProviderError as error:
                if error.kind != ProviderError.AUTH:
                    raise
                later = options.providers[options.providers.index(spec.name) + 1:]
                # the provider's own message says where a key goes (for an LLM: that a local server needs none)
                report.stopped = (f"{error}; filled from the translation memory only" if not later
                                  else f"{error}; left for {', '.join(later)}")
                yield self._event("notice", report.stopped)
                return
        report.mt_available = True
        earlier = report.earlier_usage.get(spec.provenance_for(provider, locale))
        count_spent = getattr(provider, "count_spent", None)  # an LLM's: its budget is in tokens
        if earlier and count_spent is not None and (options.max_tokens is not None or options.max_cost is not None):
            count_spent(Usage(0, earlier["input_tokens"], earlier["output_tokens"]))
            yield self._event("notice", f"the budget counts the {earlier['input_tokens']} input + "
                                        f"{earlier['output_tokens']} output tokens the interrupted run "
                                        f"{report.resumed_run} used")

        # -- claim, send, wait for what another run is translating -------------------------------
        notice_given = False
        pending, waiting = to_send, []
        while pending or waiting:
            if not pending:
                if not notice_given:
                    yield self._event("notice", f"waiting for {len(waiting)} entries another fill is "
                                                "translating, rather than paying for them twice")
                    notice_given = True
                if self.cancel is not None and self.cancel.wait(CLAIM_POLL_SECONDS):
                    report.stopped, self.halted = "cancelled", True
                    return
                if self.cancel is None:
                    time.sleep(CLAIM_POLL_SECONDS)
                pending, waiting = waiting, []
            units = list(dict.fromkeys(u for r in pending for u in spec.units_of(r)))
            mine, answered, taken = self.cache.claim(self.run_id, key, units)
            mine_set = set(mine)
            send: list[EntryRequest] = []
            ready: list[EntryRequest] = []
            for request in pending:
                request_units = spec.units_of(request)
                if any(u in taken for u in request_units):
                    waiting.append(request)
                elif any(u in mine_set for u in request_units):
                    send.append(request)
                else:
                    ready.append(request)
            if ready:
                self._apply(spec, wanted, self.cache.get_entries(key, ready, spec.units_of).values(), from_cache=True)
            pending = []
            if send:
                outcome = yield from self._send(spec, provider, key, wanted, send)
                if outcome.error is not None:
                    report.stopped, self.halted = str(outcome.error), True
                    yield self._event("notice", report.stopped)
                    return
                if outcome.cancelled:
                    report.stopped, self.halted = "cancelled", True
                    return

    def _send(self, spec: ProviderSpec, provider: MTProvider, key: str, wanted: dict[EntryRequest, list[Target]],
              requests: list[EntryRequest]):
        """Run ``provider.translate_batch`` on a worker thread and turn what it reports into events
        here: answers are journalled in the cache and written as they arrive, retries and a silent
        server are notices, and a tick keeps the progress alive meanwhile. Returns the outcome."""
        inbox: queue.SimpleQueue = queue.SimpleQueue()
        stop = threading.Event()
        finished: list = []

        def work() -> None:
            try:
                finished.append(provider.translate_batch(
                    requests, cancel=stop, on_results=lambda results: inbox.put(("results", results)),
                    on_notice=lambda message: inbox.put(("notice", message)),
                    on_usage=lambda usage: inbox.put(("usage", usage))))
            except BaseException as error:  # handed to the generator's thread
                finished.append(error)
            inbox.put(("end", None))

        worker = threading.Thread(target=work, name=f"fill-{spec.name}", daemon=True)
        worker.start()
        notices: set[str] = set()
        try:
            while True:
                if self.cancel is not None and self.cancel.is_set():
                    stop.set()  # no new request; those in flight are answered, journalled and written
                try:
                    kind, payload = inbox.get(timeout=TICK_SECONDS)
                except queue.Empty:
                    yield self._event("progress", f"waiting for {spec.label}")
                    continue
                if kind == "notice":
                    if payload not in notices:
                        notices.add(payload)
                        yield self._event("notice", payload)
                    continue
                if kind == "end":
                    break
                # answers that arrive together are journalled in one durable transaction; usage no
                # result carries (an LLM answer cut off, asked again in halves) goes with them
                extra = payload if kind == "usage" else Usage()
                payload = [] if kind == "usage" else list(payload)
                ended = False
                gather_until = time.monotonic() + JOURNAL_GATHER_SECONDS
                while not ended:
                    try:
                        more_kind, more = inbox.get(timeout=max(gather_until - time.monotonic(), 0))
                    except queue.Empty:
                        break
                    if more_kind == "results":
                        payload.extend(more)
                    elif more_kind == "usage":
                        extra = extra + more
                    elif more_kind == "notice" and more not in notices:
                        notices.add(more)
                        yield self._event("notice", more)
                    ended = more_kind == "end"
                self._record_answers(spec, provider, key, wanted, payload, extra)
                yield self._flush() or self._event("progress")
                if ended:
                    break
        finally:
            if worker.is_alive():  # the consumer stopped early (Ctrl-C, closed generator)
                stop.set()
                worker.join(timeout=5)
                self._keep_late_answers(spec, provider, key, wanted, inbox)
        (result,) = finished
        if isinstance(result, ProviderError):
            return BatchOutcome([None] * len(requests), error=result)
        if isinstance(result, BaseException):
            raise result
        if self.cancel is not None and self.cancel.is_set():
            result.cancelled = True
        self.report.cut_off_answers += result.cut_off
        self.report.left_out_answers += result.left_out
        self.report.usage_estimated = self.report.usage_estimated or result.usage_estimated
        return result

    def _keep_late_answers(self, spec: ProviderSpec, provider: MTProvider, key: str,
                           wanted: dict[EntryRequest, list[Target]], inbox: queue.SimpleQueue) -> None:
        """The answers to requests in flight when the consumer stopped (Ctrl-C): the API billed them,
        so they are journalled (the next run's report and budget count them, and does not pay for
        them again) and written like any other."""
        results: list[EntryResult] = []
        extra = Usage()
        while True:
            try:
                kind, payload = inbox.get_nowait()
            except queue.Empty:
                break
            if kind == "results":
                results.extend(payload)
            elif kind == "usage":
                extra = extra + payload
        if results or extra != Usage():
            self._record_answers(spec, provider, key, wanted, results, extra)

    def _record_answers(self, spec: ProviderSpec, provider: MTProvider, key: str,
                        wanted: dict[EntryRequest, list[Target]], results: list[EntryResult], extra: Usage) -> None:
        """Answers the provider gave: journalled (durably, before any catalog changes), counted, written."""
        self.cache.put_entries(key, results, spec.units_of, self.run_id, extra_usage=extra,
                               journal_as=spec.provenance_for(provider, self.options.locale))
        self._tally(spec, results, extra)
        self._apply(spec, wanted, results, from_cache=False)

    def _tally(self, spec: ProviderSpec, results: list[EntryResult], extra: Usage = Usage()) -> None:
        report = self.report
        usage = extra
        for result in results:
            if result.sent:
                report.texts_sent += len(set(result.request.sources))
            usage = usage + result.usage
        report.billed_characters += usage.characters
        report.input_tokens += usage.input_tokens
        report.output_tokens += usage.output_tokens
        billed_tokens = usage.input_tokens or usage.output_tokens
        cost = spec.cost(usage, self.options.locale) if spec.cost is not None and billed_tokens else None
        if cost is not None:
            report.cost = (report.cost or 0.0) + cost

    def _apply(self, spec: ProviderSpec, wanted: dict[EntryRequest, list[Target]],
               results: Iterable[EntryResult], *, from_cache: bool) -> None:
        for result in results:
            for target in wanted.get(result.request, ()):
                if target.filled:
                    continue
                forms, reason = writable_forms(target.entry, result, target.checks)
                if reason:
                    self._refuse(target, reason, spec.name)
                    continue
                self.report.from_mt += 1
                self.report.by_provider[spec.name] = self.report.by_provider.get(spec.name, 0) + 1
                if from_cache:
                    self.report.from_cache += 1
                self._write(target, forms, spec.provenance_for(self.providers.get(spec.name), self.options.locale))

    # -- writing, saving, provenance ---------------------------------------------------------------
    def _write(self, target: Target, forms: tuple[str, ...], provider: str, *, fuzzy: bool = True,
               score: float | None = None, origin: str | None = None) -> None:
        if not target.reason:
            self._settled += 1
        target.filled, target.reason = True, None
        if self.options.dry_run:
            return
        entry = target.entry
        if entry.is_plural:
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = forms[0]
        entry.fuzzy = fuzzy
        self._touched[id(target.catalog)] = target.catalog
        self._written.append(Written(target, provider, score, fuzzy, origin))

    def _flush(self, force: bool = False) -> FillEvent | None:
        """Save the changed catalogs (every ``SAVE_EVERY_SECONDS``, or 20 times as long as the last
        save took, or now when forced): the MT cache already holds every answer, so a kill in
        between loses no money, only a rerun's moment."""
        if self.options.dry_run or not self._touched:
            return None
        if not force and time.monotonic() - self._last_save < max(SAVE_EVERY_SECONDS, 20 * self._save_seconds):
            return None
        started = time.monotonic()
        for catalog in self._touched.values():
            catalog.save()
        if self.store is not None:
            _record(self.store, self._written)
        self._save_seconds = time.monotonic() - started
        count = len(self._touched)
        self._touched.clear()
        self._written.clear()
        self._last_save = time.monotonic()
        return self._event("saved", f"saved {count} catalog(s)")

    def _build(self, spec: ProviderSpec) -> MTProvider:
        provider = self.providers[spec.name] = spec.create(self.options)
        self._built.append(provider)
        return provider

    def _close(self) -> None:
        for provider in self._built:
            try:
                provider.close()
            except Exception:  # closing must never hide the run's own outcome
                pass
        if self._own_tm and self.tm is not None:
            self.tm.close()
        if self.store is not None:
            self.store.close()


def _memory_match(tm, target: Target, locale: str, threshold: float, glossary=None):
    """The best memory suggestion with the right shape (as many forms as the entry needs); with a
    glossary, ranked as the editor ranks them: one that keeps to its terms beats one that does not."""
    entry = target.entry
    shaped = []
    for match in tm.suggest(entry.msgid, locale, entry.msgctxt, entry.msgid_plural, threshold, limit=5):
        if entry.is_plural:
            if match.source_plural == entry.msgid_plural and len(match.targets) == len(target.request.sources):
                shaped.append(match)
        elif not match.source_plural and len(match.targets) == 1:
            shaped.append(match)
        if shaped and glossary is None:
            return shaped[0]
    if not shaped or glossary is None or not len(glossary):
        return shaped[0] if shaped else None

    language = locale.split("_")[0]
    return min(shaped, key=lambda m: glossary_rank(
        m.score, glossary.missing(entry.msgid, m.targets[0], language, entry.flags)))


def _record(store, written: list[Written]) -> None:
    groups: dict[tuple, tuple[Catalog, list[Entry]]] = {}
    for item in written:
        state = ReviewState.SUGGESTED if item.fuzzy else ReviewState.TRANSLATED
        key = (id(item.target.catalog), item.provider, item.score, state, item.origin)
        groups.setdefault(key, (item.target.catalog, []))[1].append(item.target.entry)
    for (_, provider, score, state, origin), (catalog, entries) in groups.items():
        note = f"transkit fill from {origin}" if origin else "transkit fill"
        store.record_many(CatalogKey.for_catalog(catalog), entries, state, provider=provider,
                          score=score, note=note)
