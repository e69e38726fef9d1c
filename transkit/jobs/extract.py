"""Use case: build a plugin's missing template (.pot) from its PHP and JS sources.

Most plugins on wordpress.org no longer ship a .pot (translate.wordpress.org builds it), so a local
translator needs one first. ``transkit extract`` calls this, and so do ``scan``/``init`` when a plugin
has no template.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from transkit import __version__
from transkit.catalog.extract import SourceProblem, build_template


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
    is still written from every other file. Raises ``TranskitError`` when xgettext is missing or
    the folder does not exist; nothing is written then."""
    template = build_template(plugin_dir, domain, generator=f"transkit {__version__}")
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
