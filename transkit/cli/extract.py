"""``transkit extract PLUGIN``: build the template a plugin (or theme) does not ship."""

from __future__ import annotations

import json

import click

from transkit.cli.common import err_console, escape, print_folded, run_guarded, shown_path
from transkit.errors import ExitCode

SHOWN_CHANGES = 5  # added/removed msgids listed when an existing template is compared; --json has all


def register(group: click.Group) -> None:
    group.add_command(extract_command)


def _globs(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--exclude a,b --exclude c`` → (a, b, c), as WP-CLI's comma-separated lists."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@click.command("extract")
@click.argument("plugin", type=click.Path(exists=True, file_okay=False, dir_okay=True), default=".")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Where to write the template (default: <Domain Path>/<domain>.pot in the plugin).")
@click.option("--domain", help="Text domain to keep (default: the plugin's Text Domain header, "
              "else its folder name).")
@click.option("--ignore-domain", is_flag=True, help="Keep the strings of every text domain.")
@click.option("--exclude", multiple=True, metavar="GLOBS",
              help="Also leave out these files or folders (comma-separated globs, e.g. 'build,*-legacy.php').")
@click.option("--include", multiple=True, metavar="GLOBS",
              help="Read only these files or folders (globs); may name one under vendor/ or tests/.")
@click.option("--skip-php", is_flag=True, help="Do not read PHP files (Blade templates have --skip-blade).")
@click.option("--skip-blade", is_flag=True, help="Do not read Blade templates (*.blade.php).")
@click.option("--skip-js", is_flag=True, help="Do not read JS/TS files (nor source maps, *.js.map).")
@click.option("--skip-block-json", is_flag=True, help="Do not read block.json files.")
@click.option("--skip-theme-json", is_flag=True, help="Do not read theme.json files (and theme style variations).")
@click.option("--skip-audit", is_flag=True, help="Do not look for likely mistakes in the strings (placeholders "
              "without a translators: comment, several comments for one string, nothing to translate, unordered "
              "placeholders, singular and plural with different placeholders).")
@click.option("--slug", help="The plugin's or theme's slug (default: the folder's name): the text domain's fallback, "
              "the bug address; names the template <slug>.pot.")
@click.option("--package-name", help="Name in Project-Id-Version instead of the plugin's or theme's.")
@click.option("--headers", "headers_json", metavar="JSON",
              help="Header fields to set, as a JSON object: '{\"Report-Msgid-Bugs-To\": \"https://…\"}'.")
@click.option("--file-comment", help="Comment above the header instead of the copyright ('' for none; a literal "
              "\\n starts a line).")
@click.option("--location/--no-location", default=True, show_default=True,
              help="Write '#: file:line' references.")
@click.option("--merge", is_flag=False, flag_value="", default=None, metavar="[=PATHS]",
              help="Start from these templates' entries (comma-separated; their headers are not kept). "
              "--merge alone (after PLUGIN) merges the template being written, if it exists.")
@click.option("--subtract", metavar="PATHS",
              help="Leave out every string these templates already have (comma-separated).")
@click.option("--force", is_flag=True, help="Replace a template the plugin ships (never a translation).")
@click.option("--dry-run", is_flag=True, help="Show what would be extracted and changed; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@run_guarded
def extract_command(plugin: str, output: str | None, domain: str | None, ignore_domain: bool,
                    exclude: tuple[str, ...], include: tuple[str, ...], skip_php: bool, skip_blade: bool,
                    skip_js: bool, skip_block_json: bool, skip_theme_json: bool, skip_audit: bool, slug: str | None,
                    package_name: str | None, headers_json: str | None, file_comment: str | None, location: bool,
                    merge: str | None, subtract: str | None, force: bool, dry_run: bool, as_json: bool) -> None:
    """Build PLUGIN's template (.pot) from its PHP, JS/TS, block.json and theme.json, as
    `wp i18n make-pot` does.

    PLUGIN is one plugin or theme folder (default: the current folder): a template is one project's.

    PHP is read with PHP's own tokenizer (php-cli), Blade templates (*.blade.php) too once their
    {{ }}, {!! !!} and @directives are PHP, JS/TS/JSX with tree-sitter, and so are the sources a
    source map (*.js.map) holds, for its built file. Only the strings of
    the text domain are kept; the plugin (or theme) header fields become entries. vendor/,
    node_modules/, tests/ and *.min.js are left out. Calls whose msgid is not a literal string are
    listed as warnings with file and line, and so is what make-pot's audit finds (--skip-audit).
    Exits with 1 when a file could not be read or parsed, or when a shipped template was not
    replaced (use --force); the template is still built from the rest. Exits with 2 for bad
    --headers or an --output that is no template (a translation or a source file is never replaced,
    --force or not), 3 when the folder has no PHP or JS sources or no string at all, when none but
    the header's is of the text domain while the code uses others (a wrong domain: give --domain),
    or when a --merge/--subtract template cannot be read; nothing is written then.
    """
    from transkit.cli.progress import job_progress
    from transkit.jobs.extract import extract_template

    headers = _headers(headers_json)
    if not as_json:
        print_folded(f"Building a template from the sources of {escape(shown_path(plugin))} …", hang=2)
    with job_progress(as_json) as progress:
        result = extract_template(plugin, domain=domain, output=output, force=force, dry_run=dry_run,
                                  exclude=_globs(exclude), include=_globs(include), ignore_domain=ignore_domain,
                                  skip=frozenset(kind for kind, wanted in (
                                      ("php", skip_php), ("blade", skip_blade), ("js", skip_js),
                                      ("block_json", skip_block_json), ("theme_json", skip_theme_json)) if wanted),
                                  slug=slug, package_name=package_name, headers=headers, file_comment=file_comment,
                                  location=location, audit=not skip_audit,
                                  merge=None if merge is None else tuple(p for p in merge.split(",") if p.strip()),
                                  subtract=tuple(p for p in (subtract or "").split(",") if p.strip()),
                                  progress=progress)
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        _print_result(result)
    if result.errors or result.refused:
        raise click.exceptions.Exit(int(ExitCode.PROBLEMS_FOUND))


def _headers(text: str | None) -> dict:
    if text is None:
        return {}
    try:
        headers = json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON ({exc.msg} at character {exc.pos})", param_hint="--headers") from None
    if not isinstance(headers, dict):
        raise click.BadParameter('a JSON object is needed: \'{"Field": "value"}\'', param_hint="--headers")
    return headers


def _print_result(result) -> None:
    if result.problems:  # an audit of a big plugin gives thousands of lines: one write
        labelled = [("error:" if problem.severity == "error" else "warning:", str(problem))
                    for problem in result.problems]
        if err_console.is_terminal:
            err_console.print("\n".join(f"[{'red' if label == 'error:' else 'yellow'}]{label}[/] {escape(text)}"
                                        for label, text in labelled))
        else:  # what rich would write without a terminal, without its markup pass (0.5 s per 10,000 lines)
            click.echo("\n".join(f"{label} {text}" for label, text in labelled), err=True)
    name = f"{escape(result.plugin_name)} " if result.plugin_name else ""
    domain = escape(result.domain) if result.domain else "any"
    what = f"{result.entry_count} entries of {name}(domain {domain})"
    path = escape(shown_path(result.path))
    if result.refused:
        print_folded(f"[red]not written:[/] {path} already exists and {escape(result.refused)}; "
                     f"it would get {_changes(result)}. Run with --force to replace it.", hang=2, stream=err_console)
    elif result.dry_run:
        print_folded(f"Dry run, nothing written: {path} would get {what}"
                     + (f"; {_changes(result)}" if result.replaced else "") + ".", hang=2)
    else:
        print_folded(f"Wrote {path}: {what}" + (f"; {_changes(result)}" if result.replaced else "") + ".", hang=2)
    summary = result.summary
    count = result.blade_files
    blade = f" ({count} Blade template{'s' if count != 1 else ''})" if count else ""
    files = f"{result.php_files} PHP{blade}, {result.js_files} JS"
    if result.js_map_files:
        maps = f"{result.js_map_files} source map{'s' if result.js_map_files != 1 else ''}"
        left = [f"{count} {why}" for count, why in ((summary.map_sources_excluded, "by --exclude"),
                                                    (summary.map_sources_not_js, "not JS or TS")) if count]
        read = summary.map_sources
        files += f", {maps} ({read} source{'s' if read != 1 else ''} read" + \
            (f"; left out: {', '.join(left)})" if left else ")")
    files += f" and {result.json_files} JSON files read"
    left_out = [escape(f) for f in result.excluded_folders[:SHOWN_CHANGES]]
    left_out += ["…"] if len(result.excluded_folders) > SHOWN_CHANGES else []
    left_out += [f"{result.excluded_files} file{'s' if result.excluded_files > 1 else ''}"] if result.excluded_files else []
    if left_out:
        files += f"; left out: {', '.join(left_out)}"
    if result.links_not_followed:  # its files are read under their own path
        files += "; links to folders read anyway not followed: " + ", ".join(
            f"{escape(link)} -> {escape(target)}" for link, target in result.links_not_followed)
    print_folded(files + ".", hang=2)
    skipped = sum(summary.skipped.values())
    in_maps = f" ({summary.map_calls} in source maps)" if summary.map_calls else ""
    line = f"Calls: {summary.calls_found} found{in_maps}, {summary.calls_extracted} extracted, {skipped} skipped"
    if skipped:
        reasons = []
        for reason, count in summary.skipped.most_common():
            if reason == "other text domain" and summary.other_domains:
                domains = ", ".join(f"{escape(d)} {n}" for d, n in summary.other_domains.most_common(3))
                reason = f"{reason}: {domains}"
            reasons.append(f"{count} {escape(reason)}")
        line += " (" + "; ".join(reasons) + ")"
    print_folded(line + ".", hang=2)
    if summary.merged or summary.subtracted:
        print_folded(f"Merged {summary.merged} entries from --merge templates; left out {summary.subtracted} "
                     "strings the --subtract templates have.", hang=2)
    if summary.audited:
        found = sum(summary.audit.values())
        line = f"Audit: {found} warning{'s' if found != 1 else ''}"
        if found:
            line += " (" + ", ".join(f"{count} {code}" for code, count in summary.audit.most_common()) + \
                "; --skip-audit leaves the audit out)"
        print_folded(line + ".", hang=2)
    if summary.json_strings or summary.header_strings or summary.json_skipped:
        line = f"Also {summary.header_strings} header fields and {summary.json_strings} block.json/theme.json strings"
        if summary.json_skipped:
            domains = ", ".join(f"{escape(d)} {n}" for d, n in summary.json_skipped.most_common(3))
            line += f" ({sum(summary.json_skipped.values())} of block.json files of another text domain: {domains})"
        print_folded(line + ".", hang=2)


def _changes(result) -> str:
    def listed(keys) -> str:
        shown = ", ".join(escape(repr(msgid if ctx is None else f"{ctx}|{msgid}")) for ctx, msgid in keys[:SHOWN_CHANGES])
        more = f" and {len(keys) - SHOWN_CHANGES} more" if len(keys) > SHOWN_CHANGES else ""
        return f": {shown}{more}" if keys else ""

    if not result.added and not result.removed:
        return "the same entries as now"
    return (f"{len(result.added)} entries added{listed(result.added)}, "
            f"{len(result.removed)} removed{listed(result.removed)}")
