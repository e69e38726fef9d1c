"""Catalog commands: ``scan``, ``init``, ``update``."""

from __future__ import annotations

import json
import os
import shlex

import click
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from transkit.cli.common import (console, err_console, escape, fitted_table, locale_option, print_folded,
                                 print_left_out, run_guarded, shown_message, shown_msgid, shown_path)
from transkit.config import load_config
from transkit.errors import ExitCode
from transkit.upstream.message import counted


KIND_NAMES = {"wordpress-core": "core", "wordpress-plugin": "plugin", "wordpress-mu-plugin": "mu-plugin",
              "wordpress-theme": "theme", "gettext": "gettext"}
ORIGIN_NAMES = {"project": "", "wp-languages": "language pack", "loco": "Loco"}


def _percent(value: float) -> str:
    """Whole percents that never round an incomplete catalog up to 100 % (or a started one to 0 %)."""
    if 99 < value < 100:
        return "99%"
    if 0 < value < 1:
        return "1%"
    return f"{value:.0f}%"


def _file_cell(locale, kind: str) -> str:
    """po / mo / l10n.php column: the catalog's own % translated for the PO, present or not for
    the others (a .mo-only language pack gives its count)."""
    path = locale.files.get(kind)
    if path is None:
        return "[dim]-[/]"
    if kind == locale.kind and locale.error:
        return "[red]unreadable[/]"
    if kind != locale.kind or locale.stats is None:
        return "yes"
    stats = locale.stats
    if kind != "po":
        return f"{stats.translated} strings"
    text = _percent(stats.percent_translated)
    if stats.fuzzy:
        text += f" [yellow]+{_percent(stats.percent_fuzzy)} fuzzy[/]"
    return text


def _notes(locale) -> str:
    notes = []
    if locale.missing_from_template:
        notes.append(f"[yellow]outdated: template has {locale.missing_from_template} strings this catalog lacks[/]")
    if any(p.code == "locale-conflict" for p in locale.problems):
        notes.append("[yellow]header names another locale (see below)[/]")
    if any(p.rename_to is not None for p in locale.problems):
        notes.append("[yellow]not loaded: misnamed (see below)[/]")
    elif any(p.code == "not-compiled" for p in locale.problems) and "po" in locale.files:
        notes.append("no .mo: not loaded")
    notes.extend(escape(p.short) for p in locale.problems if p.is_note and p.short)
    return "; ".join(notes)


def _shown_paths(paths: tuple[str, ...]) -> str:
    """The PATH… a command was given, as the user typed them, for a title or a hint."""
    return " ".join(shlex.quote(str(path)) for path in paths)


@click.command("scan")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@run_guarded
def scan_command(paths: tuple[str, ...], as_json: bool) -> None:
    """Find WordPress core's translations, plugins, themes and gettext projects under PATH…
    (folders or catalog files; default: the current folder).

    One row per locale: the PO's % translated, whether a .mo and a .l10n.php sit beside it, and
    the share of the template's strings it translates ("of pot"). Catalogs WordPress would not
    load as they are named are listed below the table (`transkit doctor PATH --fix` renames them),
    and notes of catalogs of another text domain a plugin ships (whether it loads that domain) and
    of language packs of plugins that are not installed.
    A catalog that cannot be read is listed as unreadable, with its file and line. vendor/ and
    node_modules/ are not searched (third-party code, as WP-CLI skips it): one whose packages hold
    catalogs is listed as left out; name a package's folder to include it.

    \b
    Exit status: 0 every catalog was read; 3 some catalogs could not be read
    (the others are listed).
    """
    from transkit.cli.progress import job_progress
    from transkit.jobs.scan import scan_folder

    paths = paths or (".",)
    with job_progress(as_json) as progress:
        summaries = scan_folder(list(paths), progress=progress)
    errors = [error for summary in summaries for error in summary.errors]
    # as the user sees them: paths relative to the current folder (shorter lines)
    shown_errors = ([shown_message(s.template_error, s.project.template) for s in summaries if s.template_error]
                    + [shown_message(locale.error, locale.path) for s in summaries for locale in s.locales
                       if locale.error])
    if as_json:
        click.echo(json.dumps([s.as_dict() for s in summaries], indent=2, ensure_ascii=False))
        if errors:  # the same exit code as status, check and review on an unreadable catalog
            raise click.exceptions.Exit(int(ExitCode.CATALOG))
        return
    where = escape(_shown_paths(paths))
    left_out = [item for summary in summaries for item in summary.project.left_out]
    summaries = [s for s in summaries if not s.project.placeholder]  # no project: only its left_out is said
    if not summaries:
        console.print(f"No plugin or catalog found under {where}.")
        print_left_out(left_out)
        return
    rows = []
    for summary in summaries:
        project = summary.project
        if project.template:
            about = f"template: {summary.template_entries} strings" if summary.template_entries is not None \
                else "[red]template unreadable[/]"
        else:
            about = "[yellow]no template[/]"
        title = f"[bold]{escape(project.name)}[/]" + (f" {escape(project.version)}" if project.version else "")
        rows.append([title, KIND_NAMES.get(project.kind, project.kind), "", "", "", "",
                     f"domain {escape(project.domain)}; {about}"])
        for locale in summary.locales:
            where_from = ORIGIN_NAMES.get(locale.origin, locale.origin)
            label = f" {escape(locale.locale)}"
            if locale.domain and locale.domain != project.domain:
                label += f" [dim]({escape(locale.domain)})[/]"
            share = locale.percent_of_template
            rows.append([label, where_from, _file_cell(locale, "po"), _file_cell(locale, "mo"),
                         _file_cell(locale, "l10n.php"), _percent(share) if share is not None else "",
                         _notes(locale)])
    # folded to the terminal between words (80 columns: slugs break after "-", notes after a space)
    title = f"{len(summaries)} project(s) under {where}"
    if Text.from_markup(title).cell_len > console.width:  # long paths: its own line, folded after a "/"
        print_folded(title, hang=2)
    table = fitted_table(["project", "kind", "po", "mo", "l10n.php", "of pot", "notes"], rows,
                         console.width, wrap_column=6,
                         title=title if Text.from_markup(title).cell_len <= console.width else None)
    console.print(table)
    if any(not s.project.template and s.project.kind == "wordpress-plugin" for s in summaries):
        print_folded("Plugins without a template: `transkit extract PLUGIN` builds one from the sources "
                     "(`transkit init` does it for you).", hang=2)
    misnamed = 0
    for summary in summaries:
        for locale in summary.locales:
            for problem in locale.problems:
                if problem.code == "not-compiled":
                    continue
                misnamed += problem.rename_to is not None
                # folded between words at the terminal's width (a long path after a "/"), as the table is
                label = "note:" if problem.is_note else "[yellow]warning:[/]"
                print_folded(f"{label} {escape(shown_path(locale.path))}: {escape(problem.message)}", hang=2)
    if misnamed:
        print_folded(f"{misnamed} catalog(s) WordPress will not load as named: "
                     f"`transkit doctor {where}` lists every problem, `--fix` renames them.", hang=2)
    print_left_out(left_out)
    for error in shown_errors:
        print_folded(f"[red]unreadable:[/] {escape(error)}", hang=2)
    if errors:
        console.print(f"[red]{len(errors)} catalog(s) could not be read.[/]")
        raise click.exceptions.Exit(int(ExitCode.CATALOG))


@click.command("doctor")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--fix", "apply_fixes", is_flag=True,
              help="Rename/move misnamed catalogs to the names WordPress loads (git mv inside a checkout).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@run_guarded
def doctor_command(paths: tuple[str, ...], apply_fixes: bool, as_json: bool) -> None:
    """List every catalog under PATH… (default: the current folder) that WordPress will not load as
    it is named or placed.

    Misnamed (`slug_uk_UA.po`, the folder slug where the text domain differs, `<locale>.po` in a
    plugin, `<domain>-<locale>.po` in a theme's own folder), misplaced (not in the Domain Path),
    a .po with no .mo beside it, a header naming another locale than the file name, a catalog no
    header, name or folder gives a locale (left out by every command). With --fix,
    each rename or move is done (never over an existing file) and printed. Exits 1 while problems
    remain, 0 otherwise. Notes (a catalog of another text domain the plugin ships, a language pack
    of a plugin that is not installed, a vendor/ or node_modules/ whose packages hold catalogs:
    third-party code no command searches unless you name it) are listed too and never change the
    exit status.
    """
    from transkit.jobs.doctor import diagnose, fix

    paths = paths or (".",)
    diagnosis = diagnose(list(paths))
    findings = diagnosis.findings
    problems_before = (sum(not f.problem.is_note for f in findings)
                       + sum(not item.is_note for item in diagnosis.left_out))
    changes = fix(findings) if apply_fixes else []
    if apply_fixes:
        diagnosis = diagnose(list(paths))
    remaining = diagnosis.findings
    # notes never fail the command; a file no locale is known for does (a rename or a header fixes it),
    # a vendor/ or node_modules/ not searched does not (skipped on purpose: a note)
    problems_left = ([f for f in remaining if not f.problem.is_note]
                     + [item for item in diagnosis.left_out if not item.is_note])
    renamed = sum(change.done for change in changes)
    summary = {"problems": problems_before, "renamed": renamed, "not_renamed": len(changes) - renamed,
               "left": len(problems_left)}
    if as_json:
        click.echo(json.dumps({"summary": summary, "problems": [f.as_dict() for f in findings],
                               "changes": [c.as_dict() for c in changes],
                               "remaining": [f.as_dict() for f in remaining],
                               "left_out": [item.as_dict() for item in diagnosis.left_out]},
                              indent=2, ensure_ascii=False))
    else:
        notes = sum(f.problem.is_note for f in findings) + sum(item.is_note for item in diagnosis.left_out)
        if len(findings) + len(diagnosis.left_out) == notes:
            where = escape(_shown_paths(paths))
            print_folded(f"No problems: WordPress loads every catalog under {where} as it is named."
                         if not notes else f"No problems to fix under {where}; {notes} note(s):", hang=2)
        # folded between words at the terminal's width (a long path after a "/")
        for finding in ([] if apply_fixes else findings):
            hint = f" → rename to {escape(finding.problem.rename_to.name)}" if finding.fixable else ""
            label = "note: " if finding.problem.is_note else ""
            print_folded(f"{label}{escape(shown_path(finding.ref.path))}: {escape(finding.problem.message)}{hint}",
                         hang=2)
        for change in changes:
            if change.done:
                how = "git mv" if change.with_git else "renamed"
                print_folded(f"{how}: {escape(shown_path(change.source))} → {escape(shown_path(change.target))}",
                             hang=2)
            else:
                print_folded(f"[yellow]not renamed:[/] {escape(shown_path(change.source))}: "
                             f"{escape(change.reason)}", hang=2)
        if apply_fixes:
            for finding in remaining:
                label = "note" if finding.problem.is_note else "still"
                print_folded(f"{label}: {escape(shown_path(finding.ref.path))}: {escape(finding.problem.message)}",
                             hang=2)
            if problems_before:  # what --fix did, in one line: the renames above, and what is left
                failed = f", {summary['not_renamed']} not renamed" if summary["not_renamed"] else ""
                left = (f"; {counted(len(problems_left), 'problem')} left (listed above: a rename does not fix "
                        f"them)" if problems_left else "; none left")
                print_folded(f"{counted(renamed, 'catalog')} renamed{failed} of "
                             f"{counted(problems_before, 'problem')} found{left}", hang=2)
        elif any(f.fixable for f in findings):
            print_folded(f"{sum(f.fixable for f in findings)} can be renamed: "
                         f"`transkit doctor {escape(_shown_paths(paths))} --fix`", hang=2)
        print_left_out(diagnosis.left_out)
    if problems_left:
        raise click.exceptions.Exit(1)


def _unknown_language_warning(locale: str) -> str | None:
    """A locale that is well formed but names no language transkit knows (a typo like ``xx_XX``),
    created anyway with --force-locale: its Plural-Forms is a guess, said so."""
    from transkit.catalog.locales import is_known_language, parse_locale, plural_forms_for

    info = parse_locale(locale)
    if info is None or is_known_language(locale):
        return None
    return (f"{info.language!r} is not a language transkit knows: Plural-Forms was set to "
            f"\"{plural_forms_for(locale)}\"; check the locale name and the plural rule before translating")


def _known_locale_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--locale`` of a new catalog: well formed (exit 2 otherwise) and a language transkit knows,
    unless ``--force-locale`` (WordPress has rare locales; a typo like ``zz`` must not pass)."""
    from transkit.catalog.locales import is_known_language, parse_locale

    value = locale_option(ctx, param, value)
    if value is not None and not ctx.params.get("force_locale") and not is_known_language(value):
        language = parse_locale(value).language
        raise click.BadParameter(f"{language!r} in {value!r} is not a language transkit knows; check the "
                                 "name, or pass --force-locale to start it anyway (its plural rule is then a guess)")
    return value


@click.command("init")
@click.argument("paths", metavar="[PATH]", nargs=-1, type=click.Path(exists=True))
@click.option("--force-locale", is_flag=True, is_eager=True,
              help="Start a locale whose language transkit does not know (its plural rule is a guess).")
@click.option("--locale", "-l", required=True, callback=_known_locale_option,
              help="Locale to start, e.g. it_IT, pt_BR, de_DE_formal.")
@click.option("--project", "project_name", help="Which project, when PATH holds several.")
@run_guarded
def init_command(paths: tuple[str, ...], force_locale: bool, locale: str, project_name: str | None) -> None:
    """Start a translation of the plugin at PATH from its template (msginit semantics).

    PATH defaults to the current folder. One plugin per run: init writes a new catalog into one
    project (building its template from the sources first when none ships) and --project picks it
    when PATH holds several; for many plugins, run it once each
    (`for p in plugins/*/; do transkit init -l it_IT "$p"; done`).
    """
    from transkit.jobs.catalogs import init_translation

    if len(paths) > 1:
        raise click.UsageError(f"init starts one plugin per run, got {len(paths)} paths; run it once for each "
                               "(`for p in plugins/*/; do transkit init -l LOCALE \"$p\"; done`)")
    path = paths[0] if paths else "."
    result = init_translation(path, locale, load_config().identity, project_name)
    if result.template_built:
        console.print(f"No template shipped: built {escape(shown_path(result.template))} from the sources.",
                      soft_wrap=False)
        for problem in result.template_problems:
            err_console.print(f"[yellow]warning:[/] {escape(problem)}")
    console.print(f"Created {escape(shown_path(result.path))} ({result.counts}).", soft_wrap=False)
    if result.carried_from is not None:
        console.print(f"Kept {result.carried} translations from {escape(shown_path(result.carried_from))}; "
                      "fuzzy ones stay fuzzy.", soft_wrap=False)
    if result.linguas_without is not None:  # said, never edited: the maintainer's file
        code = escape(result.locale)
        print_folded(f"note: {escape(shown_path(result.linguas_without))} does not list {code}: the build "
                     f"compiles only the languages it lists; add {code} to it", hang=2)
    warning = _unknown_language_warning(locale)
    if warning:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}")


@click.command("update")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--template", "-t", type=click.Path(exists=True, dir_okay=False), help="Newer template (.pot).")
@click.option("--locale", "-l", callback=locale_option, help="Only this locale.")
@click.option("--no-fuzzy-matching", is_flag=True, help="Only exact matches, as msgmerge -N.")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report of every catalog.")
@run_guarded
def update_command(paths, template, locale, no_fuzzy_matching, dry_run, as_json) -> None:
    """Merge a newer template into the translations under PATH… (default: the current folder),
    msgmerge semantics, with #| previous.

    Every catalog is read and merged first: when one cannot be read, nothing is written and each
    catalog is listed with what would have changed (exit status 3). Among several projects, the
    translations of one that has no template are listed as skipped. Untranslated entries gone from
    the template are dropped, as msgmerge drops them, and counted.
    """
    from transkit.cli.progress import job_progress
    from transkit.jobs.update import UpdateRefused, update_translations

    paths = paths or (".",)
    try:
        with job_progress(as_json) as progress:
            results = update_translations(list(paths), template, locale,
                                          fuzzy_matching=not no_fuzzy_matching, dry_run=dry_run,
                                          progress=progress)
    except UpdateRefused as refused:
        if as_json:
            click.echo(json.dumps({"written": 0, "failed": sum(1 for r in refused.results if r.error),
                                   "catalogs": [r.as_dict() for r in refused.results]}, indent=2))
            raise click.exceptions.Exit(int(refused.exit_code)) from None
        if len(refused.results) == 1:
            raise
        _print_update(refused.results, dry_run=True, root=paths[0] if len(paths) == 1 else ".")
        failed = [r for r in refused.results if r.error]
        for result in failed:
            err_console.print(f"[bold red]error:[/] {escape(result.error or '')}")
        err_console.print(f"Nothing written: {len(failed)} of {len(refused.results)} catalogs could not "
                          "be read. Fix them, or name only the others, and run update again.")
        raise click.exceptions.Exit(int(refused.exit_code)) from None
    failed = [r for r in results if r.error]
    if as_json:
        click.echo(json.dumps({"written": sum(r.written for r in results), "failed": len(failed),
                               "catalogs": [r.as_dict() for r in results]}, indent=2))
    elif not results:
        console.print("No translations to update.")
    else:
        _print_update(results, dry_run, root=paths[0] if len(paths) == 1 else ".")
        for result in failed:  # a write failed after the reads: the others were written
            err_console.print(f"[bold red]error:[/] {escape(result.error or '')}")
    if failed:
        raise click.exceptions.Exit(int(ExitCode.CATALOG))


def _print_update(results, dry_run: bool, root: str) -> None:
    base = root if os.path.isdir(root) else os.path.dirname(root) or "."
    for result in results:
        shown = escape(_relative_to(result.path, base))
        if result.error:
            console.print(f"{shown}: [red]failed[/]")
            continue
        if result.skipped:
            hint = (f"; `transkit extract {escape(shlex.quote(shown_path(result.project_root)))}` builds one"
                    if result.project_root else "")
            print_folded(f"{shown}: [yellow]skipped[/] — {escape(result.skipped)}{hint}", hang=2)
            continue
        report = result.report
        verb = {"updated": "updated", "unchanged": "unchanged",
                "would change": "would change"}[result.status]
        if result.error is None and result.changed and not result.written and not dry_run:
            verb = "not written"
        counts = (f"{report.kept} kept, {len(report.fuzzy)} fuzzy, {report.added} new, "
                  f"{report.obsoleted} obsolete" + (f", {report.dropped} untranslated dropped" if report.dropped else "")
                  + (f", {len(report.turned_fuzzy)} turned fuzzy" if report.turned_fuzzy else ""))
        if cell_len(f"{shown}: {verb} — {counts}") <= console.width:
            console.print(f"{shown}: {verb} — {counts}")
        else:  # the counts stay one phrase, on the line under the catalog
            console.print(f"{shown}: {verb} —")
            console.print(f"  {counts}")
        for item in report.turned_fuzzy:  # translations no longer used: each is said, with its line
            print_folded(f"  {shown}:{item.line}: {escape(shown_msgid(item.msgid, item.msgctxt, 40))} turned fuzzy: "
                         f"{escape(item.reason)}", hang=4)


def _relative_to(path, base: str) -> str:
    try:
        relative = os.path.relpath(path, base)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def register(group: click.Group) -> None:
    for command in (scan_command, init_command, update_command, doctor_command):
        group.add_command(command)
