"""``transkit check PATH...``: the quality checks, for people (file:line lines), machines (--json)
and GitHub Actions (--format github annotations, as ``wp i18n audit`` writes them)."""

from __future__ import annotations

import json

import click

from transkit.checks import ONLY_STATES
from transkit.cli.common import console, err_console, escape, print_left_out, run_guarded, shown_msgid
from transkit.errors import ExitCode
from transkit.upstream.message import counted


def _where(finding) -> str:
    line = finding.line
    return f"{finding.path}:{line}" if line else f"{finding.path}"


def _form(finding) -> str:
    return f" msgstr[{finding.problem.form}]" if finding.problem.form is not None else ""


def _github_escape(text: str, in_property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if in_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _snippet(finding, width: int = 62) -> str:
    entry = finding.entry
    if entry is None or entry.is_header:
        return "(header)"
    return shown_msgid(entry.msgid, width=width)


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--format", "output_format", type=click.Choice(["text", "github"]), default="text",
              show_default=True, help="'github' prints GitHub Actions annotations.")
@click.option("--only", type=click.Choice(ONLY_STATES), default=None,
              help="Check only translated, fuzzy or untranslated entries.")
@click.option("--glossary", "glossary_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Glossary file to check against instead of the locale's glossary in the store "
                   "(`transkit glossary`): GlotPress/plain CSV, TBX, or term<TAB>translation lines.")
@click.option("--consistency", is_flag=True,
              help="Also compare the catalogs of each locale: a source translated differently, or "
                   "different sources given one translation.")
@click.option("--errors-only", is_flag=True, help="Do not show warnings.")
@run_guarded
def check_command(paths, as_json, output_format, only, glossary_path, consistency, errors_only):
    """Check catalogs for broken placeholders, tags, plurals and headers.

    Checks the catalogs under PATH… (default: the current folder).

    Exits 1 when any error is found (what msgfmt -c rejects, or what would break the site), 3 when
    a catalog cannot be read, 0 otherwise. Folders are searched for .po files the way every command
    finds catalogs (vendor/ and node_modules/ left out, listed when their packages hold catalogs;
    name a package's folder to check it); a catalog no header, name or folder gives a locale is
    listed as left out, not checked; a file named is checked whatever its name.
    """
    from transkit.checks.glossary import load_glossary
    from transkit.jobs.check import check_paths

    paths = paths or (".",)
    glossary = load_glossary(glossary_path) if glossary_path else None
    errors = warnings = unreadable = catalogs = 0
    records = []
    glossaries: dict[str, bool] = {}  # which glossaries the catalogs were checked against -> inherited
    left_out = []
    for result in check_paths(paths, only=only, glossary=glossary, consistency=consistency):
        if result.left_out is not None:
            left_out.append(result.left_out)
            if output_format == "github" and not as_json and result.left_out.is_folder:  # a folder: no file to annotate
                click.echo(f"::notice title=transkit check::"
                           f"{_github_escape(f'left out: {result.path}/: {result.left_out.reason}')}")
            elif output_format == "github" and not as_json:
                click.echo(f"::warning file={_github_escape(str(result.path), True)},"
                           f"title=transkit check::{_github_escape('left out: ' + result.left_out.reason)}")
            continue
        catalogs += 1
        if result.error is not None:
            unreadable += 1
            if as_json:
                records.append({"path": str(result.path), "line": result.error.line, "check": "unreadable",
                                "severity": "error", "message": result.error.message})
            elif output_format == "github":
                line = f",line={result.error.line}" if result.error.line else ""
                click.echo(f"::error file={_github_escape(str(result.path), True)}{line},"
                           f"title=transkit check::{_github_escape(result.error.message)}")
            else:
                err_console.print(f"[bold red]error:[/] {escape(str(result.error))}")
            continue
        errors += result.errors
        warnings += result.warnings
        if result.glossary:
            glossaries[result.glossary] = result.glossary_inherited
        for finding in result.findings:
            problem = finding.problem
            if errors_only and not problem.is_error:
                continue
            if as_json:
                records.append(finding.as_dict())
            elif output_format == "github":
                line = f",line={finding.line}" if finding.line else ""
                title = _github_escape(f"transkit {problem.check}", True)
                click.echo(f"::{problem.severity} file={_github_escape(str(finding.path), True)}{line},"
                           f"title={title}::{_github_escape(problem.message + _form(finding))}")
            else:
                colour = "red" if problem.is_error else "yellow"
                console.print(f"{escape(_where(finding))}: [{colour}]{problem.severity}[/] "
                              f"[dim]\\[{problem.check}][/]{escape(_form(finding))} {escape(_snippet(finding))}: "
                              f"{escape(problem.message)}")
    if as_json:
        click.echo(json.dumps({"catalogs": catalogs, "errors": errors, "warnings": warnings,
                               "unreadable": unreadable, "glossaries": list(glossaries), "findings": records,
                               "left_out": [item.as_dict() for item in left_out]},
                              ensure_ascii=False, indent=2))
    elif output_format != "github":
        for used, inherited in glossaries.items():
            if inherited:  # another locale's terms applied: say whose (--json always lists them)
                err_console.print(f"checked against {escape(used)}")
        print_left_out(left_out, stream=err_console)
        err_console.print(f"{catalogs} catalog(s): {errors} error(s), {warnings} warning(s)"
                          + (f", {unreadable} unreadable" if unreadable else "")
                          + _left_out_summary(left_out))
    if unreadable:
        raise click.exceptions.Exit(int(ExitCode.CATALOG))
    if errors:
        raise click.exceptions.Exit(int(ExitCode.PROBLEMS_FOUND))


def register(group: click.Group) -> None:
    group.add_command(check_command)


def _left_out_summary(left_out) -> str:
    """The end of check's count line: the files left out (no locale known) and the bundled folders
    not searched (with the catalog files in them), each only when there are any."""
    files = [item for item in left_out if not item.is_folder]
    folders = [item for item in left_out if item.is_folder]
    text = f"; {len(files)} left out (no locale known), not checked" if files else ""
    if folders:
        inside = sum(len(item.files) for item in folders)
        text += (f"; {len(folders)} folder(s) of third-party code not searched "
                 f"({counted(inside, 'catalog file')} in them)")
    return text
