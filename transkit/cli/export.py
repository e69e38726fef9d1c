"""``transkit compile PATH...`` and ``transkit export PLUGIN --locale LL``: the give-back commands."""

from __future__ import annotations

import json

from pathlib import Path

import click

from transkit.cli.common import (ORIGINS, PACK_NOTE, console, err_console, escape, locale_option, print_folded,
                                 print_left_out, print_no_catalogs, run_guarded, shown_message, shown_path)
from transkit.errors import TranskitError
from transkit.upstream.message import counted

_ONLY = click.Choice(["translated", "reviewed"])


def _po_files(paths: tuple[str, ...]):
    from transkit.jobs.catalogs import find_catalogs

    return find_catalogs(list(paths))


@click.command("compile")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--only", type=_ONLY, default="translated", show_default=True,
              help="Compile every non-fuzzy translation, or only strings reviewed in transkit.")
@click.option("--force", is_flag=True, help="Compile even when checks find errors (failing strings are left out).")
@click.option("--json", "as_json", is_flag=True,
              help="Print every catalog compiled (its files, where it lies), refused or left out as JSON.")
@run_guarded
def compile_command(paths, only, force, as_json):
    """Write .mo and .l10n.php (and JS .json files) next to each .po.

    Compiles the catalogs under PATH… (default: the current folder), as every command finds them: a
    plugin's folder also gives the language packs WordPress installed for it in
    wp-content/languages/plugins (WordPress loads those first), each named as such.
    Fuzzy and untranslated strings are left out, as msgfmt does. Folders are searched for .po files.
    With --only reviewed, a language pack is not compiled while it has translated strings nobody
    reviewed: WordPress loads it as it is, so the site would show them in English (--force compiles it).
    Exits 1 when a catalog has error-level problems (nothing is written for it unless --force),
    3 when a catalog cannot be read (the others are still compiled).
    """
    from transkit.jobs.export import blocked_strings, compile_catalog

    failed = 0
    paths = paths or (".",)
    found = _po_files(paths)
    refs = found.refs
    if not refs and not found.left_out and not as_json:
        print_no_catalogs(paths)
    if not as_json:
        print_left_out(found.left_out, stream=err_console)  # a .po no locale is known for is not compiled: said
    compiled_items = []
    asked = [Path(path).resolve() for path in paths]
    for ref in refs:
        po_path = ref.path
        outside = _outside(po_path, asked)
        item = {"path": str(po_path), "project": ref.project, "locale": ref.locale, "origin": ref.origin,
                "outside_paths": outside, "files": [], "strings": 0, "held_back": 0, "unreviewed": 0, "blocked": [],
                "problems": [problem.as_dict() for problem in ref.problems], "error": None}
        compiled_items.append(item)
        try:
            compiled = compile_catalog(po_path, only=only, force=force, live_pack=ref.origin == "wp-languages")
        except TranskitError as err:  # named as the compiled ones are, relative to the current folder
            item["error"] = str(err)
            if not as_json:
                print_folded(f"[red]error:[/] {escape(shown_message(str(err), po_path))}", hang=2,
                             stream=err_console)
            failed = max(failed, int(err.exit_code))
            continue
        selection = compiled.selection
        item.update(files=[str(po_path.parent / name) for name in compiled.files],
                    strings=len(selection.exported), held_back=len(selection.blocked),
                    unreviewed=selection.unreviewed, blocked=blocked_strings(selection))
        if as_json:
            continue
        extra = f", {compiled.json_count} JSON" if compiled.json_count else ""
        held = f"; {len(selection.blocked)} held back by errors" if selection.blocked else ""
        if selection.unreviewed:  # translated, and still not in the .mo: never in silence
            held += f"; {selection.unreviewed} translated but not reviewed, left out (--only reviewed)"
        # named relative to the current folder, as check and status name catalogs
        strings = counted(len(selection.exported), "string")
        console.print(f"{escape(shown_path(po_path))}: {strings} → .mo, .l10n.php{extra}"
                      f"{held}", soft_wrap=False)
        if outside:  # a file written outside the folder asked for is never written in silence
            print_folded(escape(f"  {_outside_note(ref, paths)}"), hang=4)
        _print_blocked(item["blocked"])
        for problem in ref.problems:  # a .mo WordPress never loads must not pass in silence
            if problem.rename_to is not None:
                err_console.print(f"[yellow]warning:[/] {escape(problem.message)} "
                                  f"(`transkit doctor` renames it to {escape(problem.rename_to.name)})")
    if as_json:
        click.echo(json.dumps({"catalogs": compiled_items,
                               "left_out": [item.as_dict() for item in found.left_out]},
                              indent=2, ensure_ascii=False))
    if failed:
        raise click.exceptions.Exit(failed)


def _outside(po_path: Path, asked: list[Path]) -> bool:
    """Whether a catalog the finder gave lies outside every PATH named (``asked``, resolved; a plugin's
    language pack in wp-content/languages/plugins): its compiled files land where the user did not point."""
    where = po_path.resolve()
    return not any(where.is_relative_to(path) for path in asked)


def _outside_note(ref, paths) -> str:
    what = ORIGINS.get(ref.origin, "a catalog of {project}").format(project=ref.project)
    note = f"{what}, outside {' '.join(shown_path(path) for path in paths)}"
    if ref.origin == "wp-languages":
        note += f"; {PACK_NOTE}"
    return f"({note})"


BLOCKED_SHOWN = 10  # strings --force left out, named one a line; the rest counted


def _print_blocked(blocked: list[dict], more: str = "(`transkit check` lists them all)") -> None:
    """Each string --force left out for an error, with its line and the error: never only a count."""
    for item in blocked[:BLOCKED_SHOWN]:
        msgid = item["msgid"].replace("\n", "\\n")
        msgid = msgid if len(msgid) <= 60 else msgid[:59] + "…"
        context = f" ({item['msgctxt']})" if item["msgctxt"] else ""
        print_folded(escape(f"left out by errors: line {item['line']}: \"{msgid}\"{context}: {item['reason']}"),
                     hang=2)
    if len(blocked) > BLOCKED_SHOWN:
        console.print(f"… and {len(blocked) - BLOCKED_SHOWN} more strings left out by errors {escape(more)}")


@click.command("export")
@click.argument("plugin", type=click.Path(exists=True), default=".")
@click.option("--locale", "-l", required=True, callback=locale_option, help="Locale to give back, e.g. it_IT.")
@click.option("--git", "use_git", is_flag=True, help="Commit on branch translations/<locale> and write a patch.")
@click.option("--repo", default=None, help="Upstream repository URL or path to clone (with --git).")
@click.option("--glotpress", is_flag=True, help="Also write a PO for translate.wordpress.org import.")
@click.option("--upstream-po", type=click.Path(exists=True, dir_okay=False), default=None,
              help="translate.wordpress.org export: the GlotPress PO leaves out what is translated there.")
@click.option("--since-last", is_flag=True,
              help="Incremental: the git patch (or GlotPress PO) carries only strings new or changed since "
                   "the last export of that kind; the rest stay as the base commit has them.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Output folder (default: ./transkit-export/<plugin>-<locale>). The catalog's own folder gets "
                   "the compiled files only: its PO is never replaced by the export's copy.")
@click.option("--only", type=_ONLY, default="translated", show_default=True,
              help="Export every non-fuzzy translation, or only strings reviewed in transkit.")
@click.option("--force", is_flag=True,
              help="Export even when checks find errors (failing strings are left out), or when nothing "
                   "is new since the last export.")
@click.option("--project", "project_name", default=None,
              help="Which plugin (name, slug or text domain), when PLUGIN is a folder holding several.")
@click.option("--json", "as_json", is_flag=True,
              help="Print what was exported as JSON (files, counts, terminology warnings); progress goes to stderr.")
@run_guarded
def export_command(plugin, locale, use_git, repo, glotpress, upstream_po, since_last, out_dir, only,
                   force, project_name, as_json):
    """Give a plugin's translation back: files, a git patch, and/or a translate.wordpress.org PO.

    PLUGIN is one plugin's folder or PO file (default: the current folder): a patch and its note
    are for one maintainer, and --project picks the plugin when the folder holds several.

    Only non-fuzzy, check-clean strings go out; error-level check problems stop the export unless
    --force. A note for the maintainer (MESSAGE.md) is written next to the output.
    """
    from transkit.jobs.export import ExportOptions, export_plugin

    if repo and not use_git:
        raise click.UsageError("--repo needs --git")
    if since_last and not (use_git or glotpress):
        # a .mo of only the changed strings would wipe the others on the maintainer's site
        raise click.UsageError("--since-last needs --git or --glotpress")
    options = ExportOptions(locale=locale, out_dir=Path(out_dir) if out_dir else None, git=use_git,
                            repo=repo, glotpress=glotpress,
                            upstream_po=Path(upstream_po) if upstream_po else None, only=only, force=force,
                            since_last=since_last, project=project_name)
    result = export_plugin(plugin, options, progress=lambda message: err_console.print(escape(message)))
    hand_off = result.hand_off
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return
    # 'acme de_DE (acme-blocks)' for a catalog of another text domain than its plugin's
    label = f"{escape(locale)}{f' ({escape(result.domain)})' if result.domain else ''}"
    if result.nothing_new:
        console.print(f"[bold]{escape(result.plugin)}[/] {label}: nothing new since "
                      f"{escape(result.nothing_new)} (0 added, 0 changed); nothing written or committed "
                      "(--force to export anyway)")
        return
    console.print(f"[bold]{escape(result.plugin)}[/] {label}: {hand_off.exported} of {hand_off.total} "
                  f"strings exported ({hand_off.added} added, {hand_off.changed} changed, "
                  f"{hand_off.reviewed} reviewed); {hand_off.held_back} held back")
    _print_blocked(result.blocked_strings, more="(--json lists them all)")
    if result.since is not None:
        console.print(f"since the last export ({escape(result.since.at[:10])}): "
                      f"{hand_off.exported} new or changed strings")
    if result.patch_path:
        console.print(f"patch: {escape(str(result.patch_path))}  (branch {escape(result.branch or '')}, "
                      f"commit {(result.commit or '')[:12]})")
        console.print(f"apply with: {escape(hand_off.am_command)}")
    elif result.written:
        left = "".join(f"; {escape(item['file'])} left as it is" for item in result.not_written
                       if item["file"] == str(result.po_path))
        only = f" (compiled files only{left})" if result.not_written else ""
        console.print(f"files: {escape(str(result.out_dir))}{only}")
    if result.replaced:
        console.print(f"replaced the earlier export's {escape(', '.join(result.replaced))}", soft_wrap=True)
    if result.glotpress_path:
        console.print(f"translate.wordpress.org PO ({result.glotpress_count} strings): "
                      f"{escape(str(result.glotpress_path))}")
    if result.message_path:
        console.print(f"note for the maintainer: {escape(str(result.message_path))}")


def register(group: click.Group) -> None:
    group.add_command(compile_command)
    group.add_command(export_command)



