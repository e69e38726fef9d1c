"""``transkit extract PLUGIN``: build the template a plugin does not ship."""

from __future__ import annotations

import click

from transkit.cli.common import console, err_console, escape, run_guarded
from transkit.errors import ExitCode


def register(group: click.Group) -> None:
    group.add_command(extract_command)


@click.command("extract")
@click.argument("plugin", type=click.Path(exists=True, file_okay=False, dir_okay=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Where to write the template (default: <Domain Path>/<domain>.pot in the plugin).")
@click.option("--domain", help="Text domain to keep (default: the plugin's Text Domain header, "
              "else its folder name).")
@run_guarded
def extract_command(plugin: str, output: str | None, domain: str | None) -> None:
    """Build PLUGIN's template (.pot) from its own PHP and JS, as `wp i18n make-pot` does.

    Runs GNU xgettext with the WordPress keywords (__, _e, _x, _n, esc_html__, wp.i18n.__ …), keeps
    only the strings of the plugin's text domain and adds the plugin-header entries. vendor/,
    node_modules/, tests/ and *.min.js are skipped. Exits with 1 when some file could not be read
    fully (listed with file and line); the template is still written from the others.
    """
    from transkit.jobs.extract import extract_template

    console.print(f"Building a template from the PHP and JS sources of {escape(plugin)} …")
    result = extract_template(plugin, domain=domain, output=output)
    for warning in result.warnings:
        err_console.print(f"[yellow]warning:[/] {escape(warning)}")
    name = f"{escape(result.plugin_name)} " if result.plugin_name else ""
    console.print(
        f"Wrote {escape(str(result.path))}: {result.entry_count} entries of {name}"
        f"(domain {escape(result.domain)}) from {result.php_files} PHP and {result.js_files} JS files."
    )
    if result.warnings:
        raise click.exceptions.Exit(int(ExitCode.PROBLEMS_FOUND))
