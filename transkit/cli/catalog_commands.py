"""Catalog commands: ``scan``, ``init``, ``update``."""

from __future__ import annotations

import json

import click
from rich.table import Table

from transkit.cli.common import console, err_console, escape, locale_option, run_guarded
from transkit.config import load_config


def _percent_cell(summary) -> str:
    if summary.error:
        return f"[red]{escape(summary.locale)} unreadable[/]"
    stats = summary.stats
    if stats is None:
        return f"{escape(summary.locale)} ({summary.kind})"
    text = f"{escape(summary.locale)} {stats.percent_translated:.0f}%"
    if stats.fuzzy:
        text += f" [yellow]+{stats.percent_fuzzy:.0f}% fuzzy[/]"
    if summary.kind != "po":
        text += f" ({summary.kind})"
    return text


@click.command("scan")
@click.argument("path", type=click.Path(exists=True), default=".")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@run_guarded
def scan_command(path: str, as_json: bool) -> None:
    """Find plugins, themes and gettext projects under PATH and their catalogs."""
    from transkit.jobs.catalogs import scan_folder

    summaries = scan_folder(path)
    if as_json:
        click.echo(json.dumps([s.as_dict() for s in summaries], indent=2, ensure_ascii=False))
        return
    if not summaries:
        console.print(f"No plugin or catalog found under {escape(path)}.")
        return
    table = Table(title=f"{len(summaries)} project(s) under {escape(path)}")
    for column in ("project", "version", "domain", "template", "locales (% translated)"):
        table.add_column(column, overflow="fold")
    for summary in summaries:
        project = summary.project
        template = f"yes ({summary.template_entries})" if project.template else "[yellow]no[/]"
        table.add_row(escape(project.name), escape(project.version or "-"), escape(project.domain), template,
                      ", ".join(_percent_cell(s) for s in summary.locales) or "-")
    console.print(table)
    if any(not s.project.template and s.project.kind == "wordpress-plugin" for s in summaries):
        console.print("Plugins without a template: `transkit extract PLUGIN` builds one from the sources "
                      "(`transkit init` does it for you).")
    for summary in summaries:
        for locale in summary.locales:
            if locale.error:
                console.print(f"[red]unreadable:[/] {escape(locale.error)}")


def _unknown_language_warning(locale: str) -> str | None:
    """A locale that is well formed but names no language transkit knows (a typo like ``xx_XX``):
    the catalog is still created — WordPress has rare locales — but its Plural-Forms is a guess."""
    from transkit.catalog.locales import (WORDPRESS_PLURAL_FORMS, locale_display_name, parse_locale,
                                          plural_forms_for)

    info = parse_locale(locale)
    if info is None or info.language in WORDPRESS_PLURAL_FORMS \
            or f"{info.language}_{info.territory}" in WORDPRESS_PLURAL_FORMS \
            or locale_display_name(info.language) != info.language:
        return None
    return (f"{info.language!r} is not a language transkit knows: Plural-Forms was set to "
            f"\"{plural_forms_for(locale)}\"; check the locale name and the plural rule before translating")


@click.command("init")
@click.argument("path", type=click.Path(exists=True), default=".")
@click.option("--locale", "-l", required=True, callback=locale_option,
              help="Locale to start, e.g. it_IT, pt_BR, de_DE_formal.")
@click.option("--project", "project_name", help="Which project, when PATH holds several.")
@run_guarded
def init_command(path: str, locale: str, project_name: str | None) -> None:
    """Start a translation of the plugin at PATH from its template (msginit semantics)."""
    from transkit.jobs.catalogs import init_translation

    result = init_translation(path, locale, load_config().identity, project_name)
    if result.template_built:
        console.print(f"No template shipped: built {escape(str(result.template))} from the sources.")
        for problem in result.template_problems:
            err_console.print(f"[yellow]warning:[/] {escape(problem)}")
    console.print(f"Created {escape(str(result.path))} ({result.entries} entries to translate).")
    if result.carried_from is not None:
        console.print(f"Kept {result.carried} translations from {escape(str(result.carried_from))}; "
                      "fuzzy ones stay fuzzy.")
    warning = _unknown_language_warning(locale)
    if warning:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}")


@click.command("update")
@click.argument("path", type=click.Path(exists=True), default=".")
@click.option("--template", "-t", type=click.Path(exists=True, dir_okay=False), help="Newer template (.pot).")
@click.option("--locale", "-l", callback=locale_option, help="Only this locale.")
@click.option("--no-fuzzy-matching", is_flag=True, help="Only exact matches, as msgmerge -N.")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True)
@run_guarded
def update_command(path, template, locale, no_fuzzy_matching, dry_run, as_json) -> None:
    """Merge a newer template into existing translations (msgmerge semantics, with #| previous)."""
    from transkit.jobs.catalogs import update_translations

    results = update_translations(path, template, locale, fuzzy_matching=not no_fuzzy_matching,
                                  dry_run=dry_run)
    if as_json:
        click.echo(json.dumps([{"path": str(r.path), "changed": r.changed, **r.report.as_dict()}
                               for r in results], indent=2))
        return
    if not results:
        console.print("No translations to update.")
    for result in results:
        report = result.report
        verb = "would change" if dry_run and result.changed else ("updated" if result.changed else "unchanged")
        console.print(f"{escape(str(result.path))}: {verb} — {report.kept} kept, {len(report.fuzzy)} fuzzy, "
                      f"{report.added} new, {report.obsoleted} obsolete")


def register(group: click.Group) -> None:
    for command in (scan_command, init_command, update_command):
        group.add_command(command)
