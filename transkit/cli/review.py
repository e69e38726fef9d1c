"""``transkit status``, ``transkit review --approve`` and ``transkit history``."""

from __future__ import annotations

import json
import os

import click
from rich.table import Table
from rich.text import Text

from transkit.cli.common import (ORIGINS, PACK_NOTE, console, escape, fold_markup, free_width, locale_option,
                                 print_folded, print_left_out, print_no_catalogs, run_guarded, shorten_start,
                                 shown_message, shown_msgid, shown_path)
from transkit.errors import ExitCode


def register(group: click.Group) -> None:
    group.add_command(status_command)
    group.add_command(review_command)
    group.add_command(history_command)


def _relative(path, root) -> str:
    try:
        return os.path.relpath(path, root if os.path.isdir(root) else os.path.dirname(root) or ".")
    except ValueError:
        return str(path)


_ORIGIN_MARKS = {"wp-languages": " (pack)", "loco": " (Loco)"}  # after the file name of a row (common.ORIGINS)


@click.command("status")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@run_guarded
def status_command(paths: tuple[str, ...], as_json: bool) -> None:
    """Translation and review progress of every catalog under PATH… (folders or catalog files;
    default: the current folder).

    Columns: translated, fuzzy, untranslated and obsolete entries and translated/total words, as in
    the PO files (the same counts as `msgfmt --statistics`); mem, DeepL, LLM = drafts from the
    translation memory, DeepL or an LLM not yet reviewed, rev = reviewed entries, from the review database (rebuilt from the PO files when
    missing); % = translated.

    Below the table, "Given back" lists the catalogs you have exported (`transkit export`): when, how
    (git patch, GlotPress PO, files), and what changed since — strings new upstream, reworded
    (fuzzy now), gone (obsolete), and translations not yet sent (`transkit export --since-last`).

    \b
    Exit status: 0 every catalog was read; 3 some catalogs could not be read
    (the others are listed).
    """
    from transkit.cli.progress import job_progress
    from transkit.jobs.status import folder_status

    paths = paths or (".",)
    with job_progress(as_json) as progress:
        result = folder_status(list(paths), progress=progress)
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        if result.errors:  # the same exit code as every command that meets an unreadable catalog
            raise click.exceptions.Exit(int(ExitCode.CATALOG))
        return
    if not result.catalogs:
        print_left_out(result.left_out)
        print_no_catalogs(paths)
        return
    # short headers so the table fits 80 columns; `transkit status --help` spells them out
    titles = ("catalog", "locale", "trans", "fuzzy", "untr", "obs", "words", "mem", "DeepL", "LLM", "rev", "%")
    rows: list[list[str]] = [list(titles)]
    headings: dict[int, tuple[str, str]] = {}  # row -> (project, kind) of a plugin's heading row
    project = None
    for item in result.catalogs:
        if item.ref.project != project:  # one heading row per plugin, then its catalogs by file name
            project = item.ref.project
            kind = item.ref.project_kind.removeprefix("wordpress-")  # core / plugin / mu-plugin / theme
            headings[len(rows)] = (project, kind)
            rows.append([project, kind])  # measured as if the kind sat in the locale column
        name = " " + item.ref.path.name + _ORIGIN_MARKS.get(item.ref.origin, "")
        if item.error:
            rows.append([name, item.ref.locale, "error"])  # the message follows the table
            continue
        stats, review = item.stats, item.review
        rows.append([
            name, item.ref.locale, str(stats.get("translated", 0)), str(stats.get("fuzzy", 0)),
            str(stats.get("untranslated", 0)), str(stats.get("obsolete", 0)),
            f"{stats.get('translated_words', 0)}/{stats.get('total_words', 0)}",
            *_machine_cells(item), str(review.reviewed), f"{stats.get('percent_translated', 0):.0f}"])
    # at 80 columns a long name is shortened from the start ("…notes-it_IT.po"), never folded mid-word
    # one cell between columns (not two) when two would shorten a name or cut a figure ("1…" for 100)
    longest = max(len(row[0]) for row in rows)
    between = 2 if free_width(rows, console.width) >= longest else 1
    width = free_width(rows, console.width, between=between)
    table = Table(box=None, pad_edge=False, padding=(0, 1) if between == 2 else (0, 1, 0, 0),
                  header_style="bold")
    table.add_column("catalog", no_wrap=True)
    table.add_column("locale", no_wrap=True)
    for title in titles[2:]:
        table.add_column(title, justify="right", no_wrap=True)
    for number, row in enumerate(rows[1:], 1):
        first = " " + shorten_start(row[0][1:], width - 1) if row[0].startswith(" ") else \
            shorten_start(row[0], width)
        if number in headings:
            project, kind = headings[number]
            if len(project) + 1 + len(kind) <= width:  # "quick-notes plugin" in one cell when it fits
                table.add_row(f"[bold]{escape(project)}[/] [dim]{escape(kind)}[/]")
            else:  # else the kind sits in the heading row's empty locale column
                shown = project if len(project) <= width else project[:width - 1] + "…"
                table.add_row(f"[bold]{escape(shown)}[/]", f"[dim]{escape(kind)}[/]")
        elif row[2:] == ["error"]:
            table.add_row(escape(first), escape(row[1]), "[red]error[/]")
        else:
            table.add_row(escape(first), *map(escape, row[1:]))
    console.print(table)
    marked = sorted({item.ref.origin for item in result.catalogs if item.ref.origin in _ORIGIN_MARKS})
    for origin in marked:  # a pack is not the plugin's own catalog: said once, under the table
        note = ORIGINS[origin].format(project="its plugin") + (f"; {PACK_NOTE}" if origin == "wp-languages" else "")
        print_folded(escape(f"{_ORIGIN_MARKS[origin].strip()}: {note}"), hang=2)
    for item in result.catalogs:  # a translation WordPress never loads must not look like any other
        for problem in item.ref.problems:
            if problem.rename_to is not None:
                console.print(f"[yellow]warning:[/] {escape(shown_path(item.ref.path))}: {escape(problem.message)} "
                              f"(`transkit doctor --fix` renames it)", soft_wrap=False)
    # discovery's not-compiled note (--json lists it per catalog): one line, not one per catalog
    unused = [item for item in result.catalogs if any(p.code == "not-compiled" for p in item.ref.problems)]
    if unused:
        print_folded(f"[yellow]note:[/] {len(unused)} of these catalog(s) have no .mo or .l10n.php beside "
                     f"them, so WordPress does not use them yet; `transkit compile` writes them", hang=2)
    print_left_out(result.left_out)
    _print_reviewers(result.catalogs)
    _print_given_back(result.given_back)
    rebuilt = result.rebuilt
    if rebuilt and result.store_was_empty:
        console.print(f"Review database was empty ({escape(str(result.store_path))}): rebuilt the state "
                      f"of {len(rebuilt)} catalog(s) from their PO files "
                      "(fuzzy → needs review, translated → translated).", soft_wrap=False)
    elif rebuilt:
        console.print(f"First scan of {len(rebuilt)} catalog(s): review state built from their PO files.")
    moved = sum(c.source_changed for c in result.catalogs)
    if moved:
        console.print(f"{moved} entr{'y' if moved == 1 else 'ies'} changed upstream and need review again.")
    if result.errors:
        for item in result.errors:
            console.print(f"[red]error:[/] {escape(shown_message(item.error, item.ref.path))}", soft_wrap=False)
        console.print(f"[red]{len(result.errors)} catalog(s) could not be read.[/]")
        raise click.exceptions.Exit(int(ExitCode.CATALOG))


def _print_reviewers(catalogs) -> None:
    """Who approved what (the "rev" column, by person): the team's view of a shared store."""
    reviewed = [item for item in catalogs if item.reviewed_by]
    if not reviewed:
        return
    console.print("[bold]Reviewed by[/]")
    for item in reviewed:
        people = ", ".join(f"{who} ({count})" for who, count in item.reviewed_by.items())
        console.print(escape(f" {item.ref.project}/{item.ref.path.name}: {people}"))


def _machine_cells(item) -> list[str]:
    """The machine column split by engine (``CatalogStatus.machine_split``: memory, DeepL, LLM)."""
    return [str(count) for count in item.machine_split]


def _print_given_back(catalogs) -> None:
    if not catalogs:
        return
    console.print("[bold]Given back[/]")
    for item in catalogs:
        record, since = item.last_export, item.changes_since
        counts = record.counts
        where = ""
        if record.commit_sha:
            where = f", commit {record.commit_sha[:12]}"
        if record.patch_path or record.output:
            where += f", {record.patch_path or record.output}"
        console.print(escape(
            f" {item.ref.project} {item.ref.locale}: {record.kind} on {record.at[:10]}"
            f"{f' (version {record.version})' if record.version else ''}{where} — "
            f"{counts.get('exported', 0)} strings ({counts.get('added', 0)} added, "
            f"{counts.get('changed', 0)} changed)"))
        if since is None:
            console.print("   since then: unknown (this export was recorded without a snapshot)")
        elif since.upstream or since.unsent:
            console.print(f"   since then: [yellow]{since.new} new, {since.fuzzy} fuzzy, "
                          f"{since.obsolete} obsolete[/]; {since.unsent} translation(s) not yet sent")
        else:
            console.print("   since then: nothing changed")


@click.command("review")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--approve", "selector", required=True, metavar="SELECTOR",
              help="Approve the entries needing review that match, e.g. `provider=memory,score>=100` "
                   "or `all`. Terms: state, provider, score, locale, project, msgid, msgctxt, file.")
@click.option("--dry-run", is_flag=True, help="List what would be approved; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report: every catalog, what was "
              "approved, held back or failed.")
@run_guarded
def review_command(paths: tuple[str, ...], selector: str, dry_run: bool, as_json: bool) -> None:
    """Approve entries in the catalogs under PATH… (default: the current folder), for scripted review.

    Approved entries lose their fuzzy flag in the PO file and are marked reviewed. An entry with an
    error-level problem (`transkit check` shows it) is held back for a person to look at.

    SELECTOR is `all`, or FIELD OP VALUE terms joined by commas, all of which must hold. OP is one
    of  =  !=  >=  <=  >  <  ~  (~ means "contains"; = and != take alternatives separated by |).
    Fields: state (suggested, fuzzy, translated…), provider (deepl, memory…), score (0-100), locale,
    project, msgid, msgctxt, file (path contains).

    Each catalog is approved on its own: one that cannot be read or written is listed as failed and
    the others are still approved. A catalog saved by another program meanwhile is read again.

    \b
    Examples:
      transkit review wp-content --approve 'provider=memory,score>=100'
      transkit review PLUGIN --approve 'state=suggested|fuzzy,locale=it_IT'
      transkit review PLUGIN --approve 'msgid~Settings' --dry-run

    \b
    Exit status: 0 done (held-back entries are listed, not an error);
    2 bad selector; 3 a catalog could not be read or written (the table says
    which; the others were approved).
    """
    from transkit.cli.progress import job_progress
    from transkit.jobs.review import approve

    paths = paths or (".",)
    with job_progress(as_json) as progress:
        report = approve(list(paths), selector, dry_run=dry_run, progress=progress)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        _print_approval(report, paths, dry_run)
    if report.failed:
        raise click.exceptions.Exit(int(ExitCode.CATALOG))


def _print_approval(report, paths: tuple[str, ...], dry_run: bool) -> None:
    root = paths[0] if len(paths) == 1 else "."
    shown = [c for c in report.catalogs if c.approved or c.held_back or c.error]
    if shown:
        heading = "would approve" if dry_run else "approved"
        rows = []
        for item in shown:
            if item.error:
                result = "[red]failed[/] (below)"
            elif dry_run:
                result = "dry run"
            else:
                result = "written" if item.written else ("store only" if item.approved else "—")
                if item.attempts > 1:
                    result += f", read {item.attempts}×"
            rows.append([escape(_relative(item.path, root)), item.locale, str(len(item.approved)),
                         str(len(item.held_back)) if item.held_back else "", result])
        # the catalog column takes what the others leave and folds after "/" or "-", never inside a
        # word or a locale ("tiny-gallery-it_" / "IT.po" at 80 columns before)
        width = free_width([["catalog", "locale", heading, "held back", "result"]]
                           + [[Text.from_markup(cell).plain for cell in row] for row in rows], console.width,
                           minimum=16)
        table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="bold")
        table.add_column("catalog", no_wrap=True, width=min(width, max(len(Text.from_markup(r[0]).plain)
                                                                          for r in rows)))
        table.add_column("locale", no_wrap=True)
        table.add_column(heading, justify="right", no_wrap=True)
        table.add_column("held back", justify="right", no_wrap=True)
        table.add_column("result", overflow="fold")
        for row in rows:
            table.add_row(fold_markup(row[0], width, after="-/ "), *row[1:])
        console.print(table)
    if dry_run:  # what would be approved, one line each, under its catalog when there are several
        listed = [item for item in report.catalogs if item.approved]
        for item in listed:
            if len(listed) > 1:
                print_folded(f"[bold]{escape(_relative(item.path, root))}[/]", after="/-")
            for msgctxt, msgid in item.approved:
                console.print(f"  {escape(shown_msgid(msgid, msgctxt, console.width - 2))}")
    for item in report.catalogs:
        for (msgctxt, msgid), reason in item.held_back:
            console.print(f"[yellow]held back:[/] {escape(_relative(item.path, root))}: "
                          f"{escape(shown_msgid(msgid, msgctxt))} — {escape(reason)}", soft_wrap=False)
    for error in report.errors:
        console.print(f"[red]failed:[/] {escape(error)}", soft_wrap=False)
    print_left_out(report.left_out)  # a catalog no locale is known for is not reviewed: said, as check says it
    total = report.total
    summary = (f"{'Would approve' if dry_run else 'Approved'} {total} "
               f"entr{'y' if total == 1 else 'ies'} in {len(report.approved)} catalog(s).")
    if report.held_back:
        summary += f" Held back {report.held_back} with errors."
    if report.failed:
        summary += f" {len(report.failed)} catalog(s) failed; nothing was changed in them."
    console.print(summary, soft_wrap=False)


def _history_target(plugin: str) -> tuple[str, set[str] | None]:
    """PLUGIN → (the project name status and the store use for it, the catalogs it names): a folder
    or PO file names its own catalogs (another checkout of the same plugin is another history);
    a name names the project wherever the store knows it (``None``)."""
    if not os.path.exists(plugin):
        return plugin, None
    from transkit.catalog.discover import catalog_kind
    from transkit.jobs.catalogs import catalogs_for

    if os.path.isfile(plugin) and catalog_kind(os.path.basename(plugin)) != "po":
        what = {"pot": "a template", "mo": "a compiled catalog", "l10n.php": "a compiled catalog"}.get(
            catalog_kind(os.path.basename(plugin)) or "", "not a gettext catalog")
        raise click.UsageError(f"{plugin} is {what}, and review history is kept for PO catalogs: pass a "
                               f".po file, the plugin's folder or its name (slug or text domain)")

    refs = catalogs_for([plugin])
    names = sorted({ref.project for ref in refs})
    if len(names) > 1:
        raise click.UsageError(f"{plugin} holds several projects ({', '.join(names)}); name one of them")
    name = names[0] if names else os.path.basename(os.path.normpath(os.path.abspath(plugin)))
    return name, {ref.key.path for ref in refs}


def _event_lines(event, width: int) -> list[str]:
    """One history event as the lines to print at ``width`` columns: one line when it fits, else
    what happened (date, locale, change, who) on the first line, shortened with "…" (the e-mail goes
    first), and the entry folded between words below it."""
    change = f"{event.previous_state.value if event.previous_state else '—'} → {event.state.value}"
    if event.provider:
        change += f" ({event.provider}{'' if event.score is None else f' {event.score:g}'})"
    entry = event.msgid if event.msgctxt is None else f"[{event.msgctxt}] {event.msgid}"
    if len(entry) > 60:
        entry = entry[:59] + "…"
    who = event.who or "(the PO file)"
    note = f" — {event.note}" if event.note else ""
    when = f"{event.at.replace('T', ' ')[:16]}  {event.locale}  {change}"
    whole = f"{when}  {entry!r}  by {who}{note}"
    if len(whole) <= width:
        return [whole]
    head = f"{when}  by {who}{note}"
    if len(head) > width and "<" in who:  # "Ada Lovelace <ada@example.org>": the name says who
        head = f"{when}  by {who.split('<')[0].strip()}{note}"
    if len(head) > width:
        head = head[:width - 1] + "…"
    return [head, *fold_markup(escape("    " + repr(entry)), width).plain.split("\n")]


@click.command("history")
@click.argument("plugin", default=".")
@click.option("--locale", default=None, callback=locale_option, help="Only this locale (e.g. it_IT).")
@click.option("--limit", default=20, show_default=True, help="How many recent events to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@run_guarded
def history_command(plugin: str, locale: str | None, limit: int, as_json: bool) -> None:
    """Review progress of PLUGIN day by day, and its latest review events.

    PLUGIN is its folder (default: the current folder), a .po file, or its name (slug or text
    domain): one project's history at a time. A folder (or file) is that copy's history only; a
    name known in two folders (two checkouts of one plugin) is refused: name the folder.

    \b
    Exit status: 0 shown; 2 PLUGIN names a project in several folders (or
    several projects); 3 no review history for it.
    """
    from transkit.jobs.review import plugin_history

    name, paths = _history_target(plugin)
    history = plugin_history(name, locale=locale, limit=limit, paths=paths)
    if as_json:
        click.echo(json.dumps({
            "project": history.project, "locale": history.locale,
            "checkout": str(history.checkout) if history.checkout else None,
            "catalogs": [key.path for key in history.catalogs],
            "days": [{"day": p.day, **p.progress.as_dict()} for p in history.points],
            "events": [{"at": e.at, "path": e.path, "locale": e.locale, "msgctxt": e.msgctxt,
                        "msgid": e.msgid, "state": e.state.value,
                        "previous_state": e.previous_state.value if e.previous_state else None,
                        "provider": e.provider, "score": e.score, "who": e.who, "note": e.note}
                       for e in history.events],
        }, indent=2, ensure_ascii=False))
        return
    shown = shown_path(history.checkout) if history.checkout else "."
    title = f"{history.project}: progress by day"
    if shown != ".":  # which copy of the plugin, unless the one we are in; its end when the line is long
        room = console.width - len(title) - 3
        title = f"{history.project} ({shorten_start(shown, room)}): progress by day" if room >= 12 else title
    console.print(f"[italic]{escape(title)}[/]")
    days = Table(box=None, header_style="bold", pad_edge=False)
    days.add_column("day")
    for title in ("untransl.", "machine", "fuzzy", "translated", "reviewed", "reviewed %"):
        days.add_column(title, justify="right")
    for point in history.points:
        p = point.progress
        days.add_row(point.day, str(p.untranslated), str(p.machine), str(p.fuzzy), str(p.translated),
                     str(p.reviewed), f"{p.percent_reviewed:.0f}")
    console.print(days)
    if not history.events:
        console.print("No review events yet.")
        return
    console.print("[bold]latest events[/]")
    for event in history.events:
        # one line per event when it fits (easy to read and to grep), else two, inside the terminal
        for line in _event_lines(event, console.width):
            console.print(escape(line), soft_wrap=True)
