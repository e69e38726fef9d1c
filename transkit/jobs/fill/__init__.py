"""The fill use case: untranslated entries filled from the translation memory, then each
machine-translation provider in turn.

``fill(paths, FillOptions(locale, ...))`` is a generator of ``FillEvent``s (it never prints); the
last event has kind ``done`` and carries the ``FillReport``. The CLI and the TUI both drive it.
The pipeline is ``run.FillRun`` (stages ``memory_stage``, ``mt_stage``); providers are listed in
``providers.MT_PROVIDERS``; what may be written is ``admission`` (i.e. ``transkit.checks``).

Rules:
* every suggestion is written ``#, fuzzy``, so nothing unreviewed passes as reviewed, and its
  provenance (``memory`` with the match score and origin, or ``deepl``) goes to the review store as
  state SUGGESTED. That includes 100 % memory matches from the same msgctxt: another plugin's
  translation of the same words may not fit this one. ``trust_exact=True`` writes those as
  translated instead (recorded as TRANSLATED, provider ``memory``). The same words under another
  msgctxt are used too, as msgmerge does — a fuzzy candidate, often right — but score
  ``OTHER_CONTEXT_SCORE`` (99), never 100, so neither ``--trust-exact`` nor ``review --approve
  'score>=100'`` takes them; their provenance note names the msgctxt they came from;
* a suggestion is written only when ``transkit.checks`` finds no error-level problem in it that the
  source lacks; otherwise the entry goes to the next stage, and is reported with the reason if none
  fills it;
* identical texts are sent once per run; the MT cache is asked first and written per HTTP batch, and
  catalogs are saved every few seconds and at the end, so a quota stop, Ctrl-C or a kill keeps
  finished work and a rerun sends only what is left;
* a provider error (retries exhausted on a silent or rate-limiting server, quota, key) stops the
  whole run once: one message, work kept, nothing more sent; retries are announced as they happen;
* one live run per catalog: a fill over a catalog a live run holds is refused before it reads,
  writes or sends anything (``FillInProgress``); runs over other catalogs claim each text before
  sending it and wait for a text another live run has claimed, so no text is paid for twice
  (see ``suggest/cache.py``);
* plural entries get every ``msgstr[n]`` for the language's plural count; the form covering n=1
  is translated from msgid, the others from msgid_plural (``suggest.mt.plural_sources``);
* the request for an entry is ``suggest.mt.build_request`` — the TUI's DeepL suggestions use it too;
* ``dry_run`` writes nothing and needs no key: it reports strings and characters still to send.
"""

from __future__ import annotations

import os
import threading
from dataclasses import fields
from pathlib import Path
from typing import Iterable, Iterator

from transkit.jobs.fill.admission import refusal, writable_forms
from transkit.jobs.fill.providers import MT_PROVIDERS, earlier_cost, known_providers, require_a_usable_provider
from transkit.jobs.fill.report import FillEvent, FillOptions, FillReport, Skipped
from transkit.jobs.fill.run import CLAIM_POLL_SECONDS, FillRun, WrongLocale
from transkit.jobs.catalogs import find_catalogs
from transkit.jobs.memory import seed_from
from transkit.suggest.cache import MTCache

__all__ = ["CLAIM_POLL_SECONDS", "FillEvent", "FillOptions", "FillReport", "FillRun", "MT_PROVIDERS",
           "Skipped", "WrongLocale", "fill", "known_providers", "refusal",
           "require_a_usable_provider",
           "writable_forms"]

_OPTION_NAMES = {f.name for f in fields(FillOptions)}


def fill(paths: Iterable[str | os.PathLike], options: FillOptions | str, providers: Iterable[str] | None = None,
         *, tm=None, cache=None, provider=None, mt_providers: dict | None = None,
         cancel: threading.Event | None = None, progress=None, **settings) -> Iterator[FillEvent]:
    """Fill the catalogs at ``paths``; yields progress, ends with a ``done`` event.

    ``options`` is a ``FillOptions``; the older call ``fill(paths, locale, providers, dry_run=...)``
    still works (the keywords are ``FillOptions`` fields). ``provider`` is a ready provider for the
    stage of its name (tests), ``mt_providers`` several; others are built when first needed.
    ``glossary_csv`` (``source,target`` rows) is pushed to DeepL as a glossary before sending; its
    id then takes part in the cache key, so a changed glossary never reuses old translations.
    ``progress`` (a ``ProgressSink``) hears the memory seeding that comes before the first event."""
    if not isinstance(options, FillOptions):
        unknown = set(settings) - _OPTION_NAMES
        if unknown:
            raise TypeError(f"fill() got unexpected keyword(s): {', '.join(sorted(unknown))}")
        if providers is not None:
            settings["providers"] = tuple(providers)
        options = FillOptions(locale=options, **settings)
    elif providers is not None or settings:
        raise TypeError("fill(paths, FillOptions(...)) takes the settings in the options")
    ready = dict(mt_providers or {})
    if provider is not None:
        ready.setdefault(provider.name, provider)
    return _fill(list(paths), options, tm=tm, cache=cache, providers=ready, cancel=cancel, progress=progress)


def _fill(paths, options: FillOptions, *, tm, cache, providers, cancel, progress=None) -> Iterator[FillEvent]:
    # the one seam to catalog discovery: the locale's PO of each project a folder holds (a file
    # stands for itself), and the catalog files no locale is known for, reported
    found = find_catalogs(list(paths), options.locale, editable=True)
    catalog_paths = [ref.path for ref in found.refs]
    seed_failures = []
    if "tm" in options.providers:  # a step of its own: the memory learns the folders' catalogs first
        # a step before the first event: reported to the sink
        seed_failures = seed_from(paths, progress=progress, cancel=cancel).failures
    own_cache = cache is None
    cache = MTCache() if own_cache else cache
    run_id, resumed, unfinished = None, None, None
    if not options.dry_run and catalog_paths:
        # registered before the catalogs are read: a second fill over them is refused (while this
        # one lives) before it reads, writes or sends anything
        try:
            run_id, unfinished = cache.start_run(options.locale, [str(Path(p).resolve()) for p in catalog_paths])
        except BaseException:
            if own_cache:
                cache.close()
            raise
        resumed = unfinished["run"] if unfinished else None
    named_files = [path for path in map(Path, paths) if path.is_file() and path.suffix.lower() == ".po"]
    run = FillRun(catalog_paths, options, cache=cache, run_id=run_id, tm=tm, providers=providers, cancel=cancel,
                  named_files=named_files)
    run.report.resumed_run = resumed
    earlier = unfinished["usage"] if unfinished else {}
    if earlier:  # what the killed run(s) had paid: the report shows the whole fill's spend
        run.report.earlier_usage = {name: {"characters": u.characters, "input_tokens": u.input_tokens,
                                           "output_tokens": u.output_tokens} for name, u in earlier.items()}
        run.report.earlier_cost = earlier_cost(earlier, options.locale)
    run.report.memory_unreadable = [str(failure) for failure in seed_failures]
    run.report.left_out = found.left_out
    try:
        for item in found.left_out:  # never filled, and said so
            yield FillEvent("notice", f"left out: {item}", left_out=item)
        for failure in seed_failures:  # a catalog the memory skipped is said, not silently left out
            yield FillEvent("notice", f"memory: not learned from {failure}", seed_failure=failure)
        yield from run.events()
    except BaseException as error:
        if run_id is not None:
            cache.finish_run(run_id, "stopped", f"{type(error).__name__}: {error}"[:200])
            run_id = None
        raise
    finally:
        if run_id is not None:
            stopped = run.report.stopped
            cache.finish_run(run_id, "stopped" if stopped else "finished", stopped)
        if own_cache:
            cache.close()
