"""Use case: build a plugin's missing template (.pot) from its PHP and JS sources.

Most plugins on wordpress.org no longer ship a .pot (translate.wordpress.org builds it), so a local
translator needs one first. ``transkit extract`` calls this, and so do ``scan``/``init`` when a plugin
has no template.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from collections import Counter

from transkit import __version__
from transkit.catalog.extract import SourceProblem, build_template, find_source_files
from transkit.errors import TranskitError

_SKIPPED_DIRS = {".git", "node_modules", "vendor", "po", "languages"}


@dataclass
class ExtractResult:
    path: Path  # the template written
    entry_count: int  # messages, header not counted
    warnings: list[str] = field(default_factory=list)  # "file:line: message", one per source problem
    domain: str = ""
    plugin_name: str = ""
    php_files: int = 0
    js_files: int = 0
    problems: list[SourceProblem] = field(default_factory=list)


def default_template_path(plugin_dir: str | os.PathLike, domain: str, header_fields: dict[str, str]) -> Path:
    """Where WP-CLI puts it: ``<Domain Path>/<domain>.pot`` inside the plugin, else its top folder."""
    plugin_dir = Path(plugin_dir)
    domain_path = header_fields.get("Domain Path", "").strip().strip("/\\")
    folder = plugin_dir / domain_path if domain_path else plugin_dir
    return folder / f"{domain}.pot"


def extract_template(plugin_dir: str | os.PathLike, domain: str | None = None,
                     output: str | os.PathLike | None = None) -> ExtractResult:
    """Extract the plugin's messages of ``domain`` (default: its ``Text Domain``) into a template.

    Files xgettext cannot read fully are reported in ``warnings`` (file and line) and the template
    is still written from every other file. Raises ``TranskitError`` when xgettext is missing, the
    folder does not exist, holds no PHP or JS source, or none of its sources has a message of the
    domain; nothing is written then (an empty template would pass for a finished one in scan)."""
    folder = Path(plugin_dir)
    if folder.is_dir():
        php_files, js_files = find_source_files(folder.resolve())
        if not php_files and not js_files:
            raise TranskitError(f"{plugin_dir}: no PHP or JS sources{_other_sources(folder)}; "
                                "transkit extract builds WordPress-style templates from PHP and JS only — "
                                "for other languages run xgettext with the project's own keywords "
                                "(its po/POTFILES.in or Makefile usually has them)")
    template = build_template(plugin_dir, domain, generator=f"transkit {__version__}")
    if not template.catalog.entries:
        raise TranskitError(
            f"{plugin_dir}: no messages of text domain {template.domain!r} in "
            f"{len(template.php_files)} PHP and {len(template.js_files)} JS files; nothing written "
            "(give the plugin's text domain with --domain)")
    target = Path(output) if output is not None else default_template_path(
        plugin_dir, template.domain, template.header_fields)
    target.parent.mkdir(parents=True, exist_ok=True)
    template.catalog.save(target)
    return ExtractResult(
        path=target,
        entry_count=len(template.catalog.entries),
        warnings=[str(problem) for problem in template.problems],
        domain=template.domain,
        plugin_name=template.header_fields.get("Plugin Name", ""),
        php_files=len(template.php_files),
        js_files=len(template.js_files),
        problems=template.problems,
    )


def _other_sources(folder: Path) -> str:
    """`` (found 3 .c, 1 .h files)``: what the folder holds instead, to make the refusal concrete."""
    suffixes: Counter[str] = Counter()
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith(".")]
        suffixes.update(Path(name).suffix.lower() for name in files
                        if Path(name).suffix and Path(name).suffix.lower() not in (".po", ".pot", ".mo"))
    if not suffixes:
        return ""
    common = ", ".join(f"{count} {suffix}" for suffix, count in suffixes.most_common(3))
    return f" (found {common} files)"
