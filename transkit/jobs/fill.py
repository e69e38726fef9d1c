"""The fill use case: untranslated entries filled from the translation memory, then DeepL.

``fill(...)`` is a generator of ``FillEvent``s (it never prints); the last event has kind ``done``
and carries the ``FillReport``. The CLI and the TUI both drive it.

Rules:
* every suggestion is written ``#, fuzzy``, so nothing unreviewed passes as reviewed, and its
  provenance (``memory`` with the match score and origin, or ``deepl``) goes to the review store as
  state SUGGESTED. That includes 100 % memory matches from the same msgctxt: another plugin's
  translation of the same words may not fit this one. ``trust_exact=True`` writes those as
  translated instead (recorded as TRANSLATED, provider ``memory``). The same words under another
  msgctxt are used too, as msgmerge does — a fuzzy candidate, often right — but score
  ``OTHER_CONTEXT_SCORE`` (99), never 100, so neither ``--trust-exact`` nor ``review --approve
  'score>=100'`` takes them; their provenance note names the msgctxt they came from;
* a suggestion whose placeholders differ from the source's is not written (reason reported);
* identical texts are sent once per run; the MT cache is asked first and written per HTTP batch, and
  catalogs are saved after every chunk, so a quota stop, Ctrl-C or a kill keeps finished work and a
  rerun sends only what is left;
* one live run per catalog: a fill over a catalog a live run holds is refused before it reads,
  writes or sends anything (``FillInProgress``); runs over other catalogs claim each text before
  sending it and wait for a text another live run has claimed, so no text is paid for twice
  (see ``suggest/cache.py``);
* plural entries get every ``msgstr[n]`` for the language's plural count (``plural_sources``);
* ``dry_run`` writes nothing and needs no key: it reports strings and characters still to send.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from transkit.catalog import Catalog, Entry, load_catalog
from transkit.catalog.locales import plural_forms_for
from transkit.checks.placeholders import find_placeholders
from transkit.errors import CatalogError, ProviderError
from transkit.suggest.mt import TranslationRequest, build_context, estimate_characters, plural_sources
from transkit.suggest.tm import DEFAULT_THRESHOLD

CHUNK_TEXTS = 200  # unique texts per provider call; catalogs are saved after each chunk
CLAIM_POLL_SECONDS = 0.5  # how often a run waiting for another run's texts looks in the cache


@dataclass
class FillEvent:
    kind: str  # start | notice | progress | saved | done
    message: str = ""
    done: int = 0
    total: int = 0
    report: "FillReport | None" = None


@dataclass
class Skipped:
    path: str
    msgid: str
    reason: str


@dataclass
class FillReport:
    locale: str
    catalogs: list[str] = field(default_factory=list)
    candidates: int = 0  # entries that needed a translation
    from_memory_exact: int = 0
    from_memory_fuzzy: int = 0
    from_mt: int = 0
    from_cache: int = 0  # of from_mt: answered by the cache, not sent
    skipped: list[Skipped] = field(default_factory=list)
    unique_texts_to_send: int = 0
    characters_to_send: int = 0
    texts_sent: int = 0
    billed_characters: int = 0
    over_budget: int = 0  # unique texts left out by max_chars
    stopped: str | None = None  # why the MT stage stopped early
    mt_available: bool = False
    dry_run: bool = False
    resumed_run: int | None = None
    provenance_in_store: bool = False

    @property
    def written(self) -> int:
        return self.from_memory_exact + self.from_memory_fuzzy + self.from_mt

    def as_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "skipped"}
        data["written"] = self.written
        data["skipped"] = [s.__dict__ for s in self.skipped]
        return data


@dataclass
class _Target:
    """An entry to fill and what its translation forms are made of."""

    catalog: Catalog
    entry: Entry
    sources: list[str]  # the source text of each form
    context: str | None


def find_catalogs(paths: Iterable[str | os.PathLike], locale: str) -> list[Path]:
    """PO files named by ``paths``; a folder contributes the locale's PO of every project found in
    it (discovery knows WordPress and gettext layouts). The other catalogs found seed the memory."""
    from transkit.catalog.discover import scan
    from transkit.catalog.locales import parse_locale
    from transkit.jobs.memory import po_files_of, seed_memory

    info = parse_locale(locale)
    wanted = info.code if info else locale
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            projects = scan(path)
            seed_memory(po_files_of(projects))
            found.extend(p for project in projects if (p := project.po_for(wanted)) is not None)
        elif path.exists():
            found.append(path)
        else:
            raise CatalogError("no such file or folder", path)
    return found


def _plugin_name(catalog: Catalog) -> str | None:
    project = catalog.header.get("Project-Id-Version", "").strip()
    return re.sub(r"\s+v?\d[\w.\-]*$", "", project) or None


def _placeholders(text: str, flags: list[str]) -> Counter:
    return Counter(p.text for p in find_placeholders(text, flags) if p.kind != "tag")


def _placeholder_problem(target: _Target, forms: list[str]) -> str | None:
    flags = target.entry.flags
    for source, form in zip(target.sources, forms):
        expected, got = _placeholders(source, flags), _placeholders(form, flags)
        # nplurals=1 forms may drop a %d the singular lacked; every other form must keep them all
        if expected != got:
            missing = sorted((expected - got).elements())
            extra = sorted((got - expected).elements())
            return "placeholders differ: " + ", ".join(
                [f"missing {m}" for m in missing] + [f"unexpected {e}" for e in extra])
    return None


def _targets(catalog: Catalog, include_fuzzy: bool) -> list[_Target]:
    plural_forms = catalog.plural_forms or plural_forms_for(catalog.language or "en")
    plugin = _plugin_name(catalog)
    targets = []
    for entry in catalog.entries:
        if not (entry.is_untranslated() or (include_fuzzy and entry.fuzzy)):
            continue
        if entry.is_plural:
            sources = plural_sources(entry.msgid, entry.msgid_plural, plural_forms)
        else:
            sources = [entry.msgid]
        context = build_context(msgctxt=entry.msgctxt, comment=entry.comment, plugin_name=plugin)
        targets.append(_Target(catalog, entry, sources, context))
    return targets


def _write(target: _Target, forms: list[str], fuzzy: bool = True) -> None:
    entry = target.entry
    if entry.is_plural:
        entry.msgstr_plural = {n: form for n, form in enumerate(forms)}
    else:
        entry.msgstr = forms[0]
    entry.fuzzy = fuzzy


def fill(paths: Iterable[str | os.PathLike], locale: str, providers: Iterable[str] = ("tm", "deepl"), *,
         include_fuzzy: bool = False, dry_run: bool = False, max_chars: int | None = None,
         threshold: float = DEFAULT_THRESHOLD, trust_exact: bool = False, tm=None, cache=None,
         provider=None, record_provenance: bool = True, formality: str | None = None,
         glossary_id: str | None = None, glossary_csv: str | os.PathLike | None = None,
         cancel: threading.Event | None = None) -> Iterator[FillEvent]:
    """Fill the catalogs at ``paths`` for ``locale``; yields progress, ends with a ``done`` event.

    ``glossary_csv`` (``source,target`` rows) is pushed to DeepL as a glossary before sending; its
    id then takes part in the cache key, so a changed glossary never reuses old translations."""
    from transkit.suggest.cache import MTCache

    providers = tuple(providers)
    report = FillReport(locale=locale, dry_run=dry_run)
    catalog_paths = find_catalogs(paths, locale)
    own_cache = cache is None
    cache = MTCache() if own_cache else cache
    run_id = None
    if not dry_run and catalog_paths:
        # registered before the catalogs are read: a second fill over them is refused (while this
        # one lives) before it reads, writes or sends anything
        try:
            run_id, unfinished = cache.start_run(locale, [str(Path(p).resolve()) for p in catalog_paths])
        except BaseException:
            if own_cache:
                cache.close()
            raise
        if unfinished:
            report.resumed_run = unfinished["run"]
    try:
        yield from _fill_run(report, catalog_paths, locale, providers, cache, run_id, include_fuzzy=include_fuzzy,
                             dry_run=dry_run, max_chars=max_chars, threshold=threshold, trust_exact=trust_exact,
                             tm=tm, provider=provider, record_provenance=record_provenance,
                             formality=formality, glossary_id=glossary_id, glossary_csv=glossary_csv,
                             cancel=cancel)
    except BaseException as error:
        if run_id is not None:
            cache.finish_run(run_id, "stopped", f"{type(error).__name__}: {error}"[:200])
            run_id = None
        raise
    finally:
        if run_id is not None:
            cache.finish_run(run_id, "stopped" if report.stopped else "finished", report.stopped)
        if own_cache:
            cache.close()


def _fill_run(report: FillReport, catalog_paths: list[Path], locale: str, providers: tuple[str, ...],
              cache, run_id: int | None, *, include_fuzzy, dry_run, max_chars, threshold, trust_exact, tm,
              provider, record_provenance, formality, glossary_id, glossary_csv, cancel) -> Iterator[FillEvent]:
    from transkit.suggest.tm import TranslationMemory

    catalogs = [load_catalog(path) for path in catalog_paths]
    report.catalogs = [str(c.path) for c in catalogs]
    targets = [t for c in catalogs for t in _targets(c, include_fuzzy)]
    report.candidates = len(targets)
    yield FillEvent("start", f"{len(targets)} entries to fill in {len(catalogs)} catalog(s)", 0, len(targets))
    if report.resumed_run is not None:
        yield FillEvent("notice", f"resuming unfinished run {report.resumed_run}: finished batches come "
                                  "from the cache", 0, len(targets))

    store = None
    if record_provenance and not dry_run:
        from transkit.store import ReviewStore

        store = ReviewStore.open()
        report.provenance_in_store = True
    own_tm = tm is None and "tm" in providers
    tm = TranslationMemory() if own_tm else tm
    touched: dict[int, Catalog] = {}
    written: list[tuple] = []  # (target, provider, score, fuzzy, origin) not yet in the store

    def save() -> FillEvent | None:
        if dry_run or not touched:
            return None
        for catalog in touched.values():
            catalog.save()
        if store is not None:
            _record(store, written)
        names = len(touched)
        touched.clear()
        written.clear()
        return FillEvent("saved", f"saved {names} catalog(s)", done, len(targets))

    done = 0

    def stages() -> Iterator[FillEvent]:
        nonlocal done, provider, glossary_id
        remaining: list[_Target] = []
        # -- translation memory ------------------------------------------------------------------
        for target in targets:
            match = _memory_match(tm, target, locale, threshold) if tm is not None else None
            if match is None:
                remaining.append(target)
                continue
            forms = list(match.targets)
            problem = _placeholder_problem(target, forms)
            if problem:
                report.skipped.append(Skipped(str(target.catalog.path), target.entry.msgid,
                                              f"memory match ({match.score:.0f}%) not used: {problem}"))
                remaining.append(target)
                continue
            trusted = match.exact and trust_exact
            if match.exact:
                report.from_memory_exact += 1
            else:
                report.from_memory_fuzzy += 1
            done += 1
            if not dry_run:
                _write(target, forms, fuzzy=not trusted)
                touched[id(target.catalog)] = target.catalog
                origin = match.origin if match.same_context else (
                    f"{match.origin} (msgctxt {match.msgctxt or ''!r} there)")
                written.append((target, "memory", match.score, not trusted, origin))
        if tm is not None:
            yield FillEvent("progress", "translation memory done", done, len(targets))
        event = save()
        if event:
            yield event
        if "deepl" not in providers or not remaining:
            return
        if glossary_csv is not None and dry_run:
            yield FillEvent("notice", "dry run: the glossary is not pushed, so translations cached "
                                      "with it are not counted as cached", done, len(targets))
        elif glossary_csv is not None:
            if provider is None:
                from transkit.suggest.deepl_provider import DeepLProvider

                provider = DeepLProvider()  # a glossary needs a key: an auth error stops the run
            glossary_id = provider.ensure_glossary(glossary_csv, locale)

        # -- machine translation: dedupe, cache, budget --------------------------------------
        wanted: dict[TranslationRequest, list[tuple[_Target, int]]] = {}
        for target in remaining:
            for form, source in enumerate(target.sources):
                request = TranslationRequest(source, locale, context=target.context,
                                             formality=formality, glossary_id=glossary_id)
                wanted.setdefault(request, []).append((target, form))
        answers: dict[TranslationRequest, tuple[str | None, str | None]] = {}
        to_send: list[TranslationRequest] = []
        budget_used = 0
        for request in wanted:
            cached = cache.get("deepl", request)
            if cached is not None:
                answers[request] = (cached.translation, cached.problem)
                continue
            characters = estimate_characters(request.text)
            if max_chars is not None and budget_used + characters > max_chars:
                report.over_budget += 1
                continue
            budget_used += characters
            to_send.append(request)
        report.unique_texts_to_send = len(to_send)
        report.characters_to_send = budget_used
        cached_targets = {id(t) for r in answers for t, _ in wanted[r]}

        def apply(requests: Iterable[TranslationRequest]) -> Iterator[FillEvent]:
            nonlocal done
            ready = {id(t): t for r in requests for t, _ in wanted[r]}
            for target in ready.values():
                results = [answers.get(TranslationRequest(s, locale, context=target.context,
                                                          formality=formality, glossary_id=glossary_id))
                           for s in target.sources]
                if any(r is None for r in results):
                    continue  # another form is still to come
                problems = [p for text, p in results if text is None]
                forms = [text for text, _ in results]
                problem = problems[0] if problems else _placeholder_problem(target, forms)
                done += 1
                if problem:
                    report.skipped.append(Skipped(str(target.catalog.path), target.entry.msgid, problem))
                    continue
                report.from_mt += 1
                if id(target) in cached_targets:
                    report.from_cache += 1
                _write(target, forms)
                touched[id(target.catalog)] = target.catalog
                written.append((target, "deepl", None, True, None))
            event = save()
            yield event or FillEvent("progress", "", done, len(targets))

        if not dry_run:
            yield from apply(list(answers))
        if dry_run or not to_send:
            return
        if provider is None:
            from transkit.suggest.deepl_provider import DeepLProvider

            try:
                provider = DeepLProvider()
            except ProviderError as error:
                if error.kind != ProviderError.AUTH:
                    raise
                report.stopped = "no DeepL key: filled from the translation memory only"
                yield FillEvent("notice", report.stopped, done, len(targets))
                return
        report.mt_available = True
        status_notice_given = False
        pending, waiting = list(to_send), {}
        while pending or waiting:
            if not pending:
                # left: texts another live run is translating; their answers land in the cache
                if not status_notice_given:
                    runs = ", ".join(str(run) for run in sorted(set(waiting.values())))
                    yield FillEvent("notice", f"waiting for {len(waiting)} text(s) another fill (run {runs}) "
                                              "is translating, rather than paying for them twice",
                                    done, len(targets))
                    status_notice_given = True
                if cancel is not None and cancel.wait(CLAIM_POLL_SECONDS):
                    report.stopped = "cancelled"
                    break
                if cancel is None:
                    time.sleep(CLAIM_POLL_SECONDS)
                pending, waiting = list(waiting), {}
            chunk, pending = pending[:CHUNK_TEXTS], pending[CHUNK_TEXTS:]
            mine, answered_now, taken = cache.claim(run_id, "deepl", chunk)
            waiting.update(taken)
            for request, cached in answered_now.items():
                answers[request] = (cached.translation, cached.problem)
                cached_targets.update(id(t) for t, _ in wanted[request])
            if answered_now:
                yield from apply(list(answered_now))
            if not mine:
                continue

            def journal(results, run_id=run_id):
                cache.put_results("deepl", results)
                cache.add_billed(run_id, sum(r.billed_characters for r in results))

            outcome = provider.translate_batch(mine, on_results=journal, cancel=cancel)
            for result in outcome.completed:
                answers[result.request] = (result.text, result.problem)
                report.billed_characters += result.billed_characters
                report.texts_sent += 1 if result.sent else 0
            yield from apply([r.request for r in outcome.completed])
            if outcome.error is not None:
                report.stopped = str(outcome.error)
                yield FillEvent("notice", report.stopped, done, len(targets))
                if outcome.error.kind in (ProviderError.QUOTA, ProviderError.AUTH):
                    break
            if outcome.cancelled:
                report.stopped = "cancelled"
                break
    event = None
    try:
        yield from stages()
        event = save()
    except BaseException:
        save()  # keep finished work on Ctrl-C, a kill signal turned exception, or a bug
        raise
    finally:
        if own_tm and tm is not None:
            tm.close()
        if store is not None:
            store.close()
    if event:
        yield event
    yield FillEvent("done", "", done, len(targets), report=report)


def _memory_match(tm, target: _Target, locale: str, threshold: float):
    """The best memory suggestion with the right shape (as many forms as the entry needs)."""
    entry = target.entry
    for match in tm.suggest(entry.msgid, locale, entry.msgctxt, entry.msgid_plural, threshold, limit=5):
        if entry.is_plural:
            if match.source_plural == entry.msgid_plural and len(match.targets) == len(target.sources):
                return match
        elif not match.source_plural and len(match.targets) == 1:
            return match
    return None


def _record(store, written: list) -> None:
    from transkit.store import CatalogKey, ReviewState

    groups: dict[tuple, tuple[Catalog, list[Entry]]] = {}
    for target, provider, score, fuzzy, origin in written:
        state = ReviewState.SUGGESTED if fuzzy else ReviewState.TRANSLATED
        key = (id(target.catalog), provider, score, state, origin)
        groups.setdefault(key, (target.catalog, []))[1].append(target.entry)
    for (_, provider, score, state, origin), (catalog, entries) in groups.items():
        note = f"transkit fill from {origin}" if origin else "transkit fill"
        store.record_many(CatalogKey.for_catalog(catalog), entries, state, provider=provider,
                          score=score, note=note)
