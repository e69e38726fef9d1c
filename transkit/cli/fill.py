"""``transkit fill`` and ``transkit tm import|stats``: thin faces over jobs.fill and suggest.tm."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import threading
from pathlib import Path

import click
from click.core import ParameterSource

from transkit.cli.common import (console, err_console, escape, locale_option, print_folded, print_left_out,
                                 run_guarded, shown_message, shown_path)
from transkit.errors import CatalogError, ExitCode, TranskitError
from transkit.upstream.message import counted


@contextlib.contextmanager
def _ctrl_c_cancels():
    """The first Ctrl-C cancels the fill as the TUI's button does: nothing new is sent, the answers
    to requests in flight (billed already) are journalled and written, and the report is printed; a
    second Ctrl-C stops at once. Yields the job's cancel event (set: the run was interrupted)."""
    cancel = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield cancel
        return

    def on_ctrl_c(signum, frame):
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        # a plain write: the handler may interrupt the console in the middle of a line
        os.write(2, b"\nstopping: waiting for the answers in flight (Ctrl-C again to stop at once)\n")

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield cancel
    finally:
        signal.signal(signal.SIGINT, previous)


def _run_fill(paths, options, as_json):
    """Drive the job and render its events with the CLI's one progress renderer (a bar on a
    terminal, a line every few seconds in a log, nothing with --json)."""
    from transkit.cli.progress import job_progress
    from transkit.jobs.fill import fill

    report = None
    shown: list[str] = []  # notices already printed: the summary does not repeat them
    with _ctrl_c_cancels() as cancel, job_progress(as_json) as progress:
        # closed on the way out, so a second Ctrl-C still journals what the job holds
        with contextlib.closing(fill(paths, options, progress=progress, cancel=cancel)) as events:
            for event in events:
                if event.seed_failure is not None:  # a catalog the memory skipped: named as files are named
                    if not as_json:
                        failure = event.seed_failure
                        print_folded(f"memory: not learned from {escape(shown_message(str(failure), failure.path))}",
                                     hang=2, stream=err_console)
                elif event.left_out is not None:  # a catalog file no locale is known for, a vendor/: never filled
                    if not as_json:
                        print_left_out([event.left_out], stream=err_console)
                elif event.kind in ("start", "progress", "notice"):  # 'saved'/'done' repeat the last count
                    progress(event.as_progress())
                if event.kind == "notice" and not as_json:
                    shown.append(event.message)
                report = event.report or report
    return report, shown, cancel.is_set()


# tm stats: what a fresh process does about a locale's fuzzy index (TranslationMemory.index_state)
_INDEX_STATES = {"stored": "stored", "out of date": "out of date (the next lookup rebuilds and stores it)",
                 "none": "not stored yet (the first lookup builds and stores it)"}
SKIPPED_SHOWN = 10  # suggestion-not-used lines in the summary; --json lists every one


def _no_catalog_error(paths, locale: str) -> TranskitError:
    """Nothing to fill: say which locales are there and how to start this one, rather than a silent 0."""
    from transkit.jobs.catalogs import catalogs_for

    present = sorted({ref.locale for ref in catalogs_for([path for path in paths if path.is_dir()])})
    where = ", ".join(str(path) for path in paths)
    found = f" (catalogs found: {', '.join(present)})" if present else ""
    return TranskitError(f"no {locale} catalog under {where}{found}; start one with "
                         f"`{shlex.join(['transkit', 'init', str(paths[0]), '--locale', locale])}`")


def _print_report(report, providers=("tm", "deepl"), shown: list[str] = ()) -> None:
    console.print(f"catalogs: {len(report.catalogs)}, entries to fill: {report.candidates}")
    console.print(f"memory: {report.from_memory_exact} exact, {report.from_memory_fuzzy} fuzzy")
    machine = [p for p in providers if p != "tm"]
    if not machine:
        pass  # --provider tm: no machine-translation line to report
    elif report.dry_run:
        for name in machine:
            figures = report.to_send.get(name)
            if figures is None:
                continue  # the stage did not run (the language is not offered, or nothing was left)
            line = f"dry run: {name}: {figures['entries']} entries"
            if "input_tokens" in figures:
                line += (f", about {figures['input_tokens']} input + {figures['output_tokens']} output tokens "
                         f"for {figures['model']} would be sent (after memory and cache); "
                         f"{_llm_cost(figures.get('cost'))}")
            else:
                line += f", {figures['characters']} characters would be sent (after memory and cache)"
            print_folded(escape(line), hang=2)
    else:
        print_folded(escape(_written_line(report, machine)), hang=2)
        if report.input_tokens or report.output_tokens:
            source = ("estimated by transkit (the server reports no usage)" if report.usage_estimated
                      else "as the API reported")
            print_folded(escape(f"tokens: {report.input_tokens} input + {report.output_tokens} output tokens "
                                f"{source}; {_llm_cost(report.cost)}"), hang=2)
    if report.cut_off_answers:
        print_folded(f"{report.cut_off_answers} LLM answer(s) cut off at the output limit: their entries were "
                     "asked again in smaller batches (the cut-off answers' tokens are counted above)", hang=2)
    if report.left_out_answers:
        print_folded(f"{report.left_out_answers} LLM answer(s) left entries out: those entries were asked "
                     "again in smaller batches", hang=2)
    if report.earlier_usage and not report.dry_run:
        total = report.total_usage
        spend = []
        if total["input_tokens"] or total["output_tokens"]:
            spend.append(f"{total['input_tokens']} input + {total['output_tokens']} output tokens")
        if total["billed_characters"]:
            spend.append(f"{total['billed_characters']} characters billed")
        cost = f"; {_llm_cost(total['cost'])}" if total["input_tokens"] or total["output_tokens"] else ""
        print_folded(escape(f"with the interrupted run {report.resumed_run} this fill used "
                            f"{' and '.join(spend) or 'nothing billed'}{cost}"), hang=2)
    if report.max_chars is not None and not report.dry_run:
        earlier = report.total_usage["billed_characters"] - report.billed_characters
        by_earlier = f" ({earlier} by the interrupted run {report.resumed_run})" if earlier else ""
        print_folded(f"--max-chars {report.max_chars}: {report.budget_characters_used} characters billed of the "
                     f"budget{by_earlier}", hang=2)
    if report.over_budget:
        console.print(f"left out by --max-chars: {report.over_budget} strings")
    for skipped in report.skipped[:SKIPPED_SHOWN]:
        print_folded(f"suggestion not used: {escape(shown_path(skipped.path))}: "
                     f"{escape(repr(skipped.msgid))}: {escape(skipped.reason)}", hang=2)
    if len(report.skipped) > SKIPPED_SHOWN:
        console.print(f"… and {len(report.skipped) - SKIPPED_SHOWN} more suggestions not used "
                      "(--json lists them all)")
    if report.written and not report.dry_run:
        console.print(f"{report.written} suggestions written as fuzzy: review them before they count")
    if report.stopped and report.stopped not in shown:
        print_folded(f"stopped: {escape(report.stopped)}", hang=2)
    if report.left_untranslated and not report.dry_run:  # never silent about what is still English
        if report.mt_available:
            why = ""
        elif not machine:  # the user chose the memory alone: no notice above explains it
            why = ": --provider tm fills from the translation memory only"
        else:
            why = ": no machine translation ran (see above)"
        print_folded(f"left untranslated: {report.left_untranslated} of {report.candidates} entries{why}", hang=2)
    unfilled = report.left_untranslated - len(report.skipped) - report.over_budget  # what a rerun can still fill
    if report.stopped and report.mt_available and unfilled > 0 and not report.dry_run:
        print_folded(f"{unfilled} entries not filled: run the same command again to continue "
                     "(finished translations are kept and not paid for again)", hang=2)


def _written_line(report, machine: list[str]) -> str:
    """``deepl: 7 written (0 from the cache), 7 texts sent, 120 characters billed``: the split by
    provider only when more than one could write (``deepl, llm: 12 written (deepl 6, llm 6; …)``)."""
    cache = f"{report.from_cache} from the cache"
    if len(machine) > 1 and report.by_provider:
        cache = ", ".join(f"{name} {count}" for name, count in report.by_provider.items()) + f"; {cache}"
    billed = f", {report.billed_characters} characters billed" if "deepl" in machine else ""  # DeepL's unit
    return (f"{', '.join(machine)}: {report.from_mt} written ({cache}), {report.texts_sent} texts sent{billed}")


def _llm_cost(cost: float | None) -> str:
    """What tokens cost at the [llm] prices of the config, or that it names none (and how to)."""
    if cost is None:
        from transkit.suggest.llm import HOW_TO_SET_PRICES  # lazy: as the jobs this face runs

        return f"no prices configured for a cost estimate: {HOW_TO_SET_PRICES}"
    if 0 < cost < 0.01:
        return "under $0.01 at the configured prices"  # not "$0.00": it was not free
    return f"about ${cost:.2f} at the configured prices"


def register(group: click.Group) -> None:
    @group.command("fill")
    @click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
    @click.option("--locale", "-l", required=True, callback=locale_option, help="Locale to fill, e.g. it_IT.")
    @click.option("--provider", "providers", default="tm,deepl", show_default=True,
                  help="Comma-separated providers, tried in this order: tm (the memory), deepl, llm "
                       "(an OpenAI-compatible or Anthropic model, see [llm] in the config). "
                       "tm,deepl,llm: DeepL where it has the language, the LLM elsewhere.")
    @click.option("--fuzzy", "include_fuzzy", is_flag=True, help="Also refill fuzzy entries.")
    @click.option("--dry-run", is_flag=True, help="Report what would be sent; write nothing, need no key.")
    @click.option("--max-chars", type=click.IntRange(min=0), help="Send at most N characters to DeepL.")
    @click.option("--max-tokens", type=click.IntRange(min=0),
                  help="Stop sending to the LLM before the tokens it reports pass N.")
    @click.option("--max-cost", type=click.FloatRange(min=0),
                  help="Stop sending to the LLM before its cost passes N US dollars ([llm] prices).")
    @click.option("--trust-exact", is_flag=True,
                  help="Write 100% memory matches of the same msgctxt as translated, not fuzzy.")
    @click.option("--glossary", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  help="CSV of source,target terms, pushed to DeepL as a glossary, instead of the "
                       "locale's glossary in the store (`transkit glossary`).")
    @click.option("--no-glossary", is_flag=True, help="Do not use the locale's glossary.")
    @click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
    @run_guarded
    def fill_command(paths, locale, providers, include_fuzzy, dry_run, max_chars, max_tokens, max_cost, trust_exact,
                     glossary, no_glossary, as_json):
        """Fill untranslated entries from the translation memory, then DeepL or an LLM (written fuzzy).

        Works on the catalogs under PATH… (default: the current folder). Exits 4 when a provider
        stopped the run (finished translations are kept), 3 when a catalog cannot be read, 6 when
        the providers named with --provider cannot run (no key: nothing is written; without
        --provider the memory still fills and DeepL's missing key is a notice).
        """
        from transkit.jobs.fill import FillOptions, known_providers, require_a_usable_provider

        paths = paths or (Path("."),)
        chosen = tuple(dict.fromkeys(p.strip().lower() for p in providers.split(",") if p.strip()))
        unknown = set(chosen) - set(known_providers())
        if unknown or not chosen:
            raise click.BadParameter(f"unknown provider(s): {', '.join(sorted(unknown)) or '(none)'}; "
                                     f"known: {', '.join(known_providers())}", param_hint="--provider")
        options = FillOptions(locale, chosen, include_fuzzy=include_fuzzy, dry_run=dry_run, max_chars=max_chars,
                              max_tokens=max_tokens, max_cost=max_cost, trust_exact=trust_exact,
                              glossary_csv=glossary, locale_glossary=not no_glossary)
        if click.get_current_context().get_parameter_source("providers") != ParameterSource.DEFAULT:
            require_a_usable_provider(options)  # named providers none of which can run: an error, not a 0
        report, shown, interrupted = _run_fill(paths, options, as_json)
        if not report.catalogs:
            raise _no_catalog_error(paths, locale)
        if as_json:
            click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            _print_report(report, chosen, shown)
        if interrupted:  # Ctrl-C: the report is printed, the exit code says it was interrupted
            raise click.exceptions.Exit(int(ExitCode.INTERRUPTED))
        if report.stopped and report.mt_available and report.stopped != "cancelled":
            raise click.exceptions.Exit(int(ExitCode.PROVIDER))

    @group.group("tm")
    def tm_group():
        """The translation memory: import files, show its size."""

    @tm_group.command("import")
    @click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--locale", "-l", callback=locale_option,
                  help="Locale of the PO files, over their Language header (needed when they have none).")
    @click.option("--json", "as_json", is_flag=True, help="Print what each file gave as JSON.")
    @run_guarded
    def tm_import(files, locale, as_json):
        """Add the translated, non-fuzzy entries of PO files, or the units of TMX files.

        Each file is read on its own: one that cannot be read is reported (file, line, why) and the
        others are still imported. Entries and units that give no segment are counted by why.
        Exits 3 when a file could not be read."""
        from collections import Counter

        from transkit.cli.progress import job_progress
        from transkit.jobs.progress import ProgressReporter
        from transkit.suggest.tm import TranslationMemory

        results = []
        with TranslationMemory() as tm:
            for path in files:
                skipped: Counter = Counter()
                try:
                    with job_progress(as_json) as sink:  # a large TMX is read and stored in batches
                        steps = ProgressReporter(sink, "segments")
                        heard = lambda count, where=str(path): steps.update(count, message=where)  # noqa: E731
                        if path.suffix.lower() == ".tmx":
                            count = tm.import_tmx(path, progress=heard, skipped=skipped)
                        else:
                            count = tm.import_po(path, locale=locale, progress=heard, skipped=skipped)
                        steps.finish()
                except CatalogError as error:  # this file is refused; the next ones are still read
                    results.append({"path": str(path), "segments": 0, "skipped": {}, "error": str(error)})
                    if not as_json:
                        print_folded(f"[bold red]error:[/] {escape(shown_message(str(error), path))}", hang=2,
                                     stream=err_console)
                    continue
                results.append({"path": str(path), "segments": count, "skipped": dict(skipped), "error": None})
                if not as_json:
                    left = ", ".join(f"{n} {why}" for why, n in skipped.most_common())
                    print_folded(f"{escape(shown_path(path))}: {counted(count, 'segment')}"
                                 + (f" (not imported: {escape(left)})" if left else ""), hang=2)
        refused = [result for result in results if result["error"]]
        if as_json:
            click.echo(json.dumps({"files": results, "segments": sum(r["segments"] for r in results),
                                   "refused": len(refused)}, indent=2, ensure_ascii=False))
        elif len(files) > 1 and refused:
            # refused: unreadable, or read but giving no locale (each named above with the reason)
            print_folded(f"{len(files) - len(refused)} of {len(files)} files imported "
                         f"({counted(sum(r['segments'] for r in results), 'segment')}); "
                         f"{len(refused)} refused (named above)",
                         hang=2)
        if refused:
            raise click.exceptions.Exit(int(ExitCode.CATALOG))

    @tm_group.command("stats")
    @click.option("--json", "as_json", is_flag=True)
    @run_guarded
    def tm_stats(as_json):
        """Segments per locale."""
        from transkit.suggest.tm import TranslationMemory

        with TranslationMemory() as tm:
            stats = tm.stats()
        if as_json:
            click.echo(json.dumps(stats, indent=2))
            return
        console.print(f"{stats['segments']} segments in {escape(stats['path'])}")
        print_folded(f"fuzzy search of a large memory: {escape(stats['fuzzy_scan'])}", hang=2)
        for locale, info in stats["locales"].items():
            console.print(f"  {locale}: {info['segments']} segments, {info['sources']} sources, "
                          f"{info['origins']} origins; fuzzy index: {_INDEX_STATES[info['fuzzy_index']]}")
