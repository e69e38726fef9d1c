"""Which text domains a plugin or theme loads: the ``load_plugin_textdomain('acme-blocks', …)``
(``load_textdomain``, ``load_muplugin_textdomain``, ``load_theme_textdomain``,
``load_child_theme_textdomain``) and ``wp_set_script_translations($handle, 'acme-blocks', …)`` calls
of its PHP that name a domain as a literal string.

What discovery asks when a plugin ships catalogs of a text domain other than its own: WordPress
reads those only if the plugin loads that domain. A call naming the domain in a variable or a
constant is not found here, so "not found" means "not known", never "not loaded". A plain text
search (no PHP process): it runs only for a plugin that has such catalogs, over its PHP files once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

# the files read for it: the plugin's own folders (a bundled library in vendor/ loads its domain
# too), never VCS or dependency caches
_NOT_READ = frozenset({".git", ".svn", ".hg", "node_modules", "__pycache__", ".transkit", "transkit-export"})
_LARGEST = 4 * 1024 * 1024  # a PHP file past this is generated data, not a loader
_LOADERS = ("load_plugin_textdomain", "load_muplugin_textdomain", "load_theme_textdomain",
            "load_child_theme_textdomain", "load_textdomain")
_CALL = re.compile(
    rb"(?<![\w>:$\\])(?P<function>" + b"|".join(name.encode() for name in _LOADERS) + rb")\s*\(\s*"
    rb"(?:domain\s*:\s*)?(?P<quote>['\"])(?P<domain>[A-Za-z0-9_.-]+)(?P=quote)"
    rb"|(?<![\w>:$\\])(?P<script>wp_set_script_translations)\s*\(\s*[^,;()]*(?:\([^;()]*\))?[^,;()]*,\s*"
    rb"(?P<squote>['\"])(?P<sdomain>[A-Za-z0-9_.-]+)(?P=squote)")


@dataclass(frozen=True)
class DomainLoad:
    """One call that loads ``domain``: in ``path`` at ``line``."""

    domain: str
    function: str
    path: Path
    line: int

    @property
    def for_scripts(self) -> bool:
        """``wp_set_script_translations``: the domain's JSON files for scripts, not its .mo."""
        return self.function == "wp_set_script_translations"


def domain_loads(root: Path, domains: set[str]) -> dict[str, list[DomainLoad]]:
    """The calls under ``root`` (its PHP files) that load each of ``domains``, by domain; a domain
    no call names as a literal is absent. The folder's own files are read before its subfolders,
    and the search stops once every domain has a ``load_*textdomain`` call."""
    wanted = {domain.encode() for domain in domains}
    found: dict[str, list[DomainLoad]] = {}
    for folder, dir_names, file_names in os.walk(root):
        dir_names[:] = sorted(d for d in dir_names if d not in _NOT_READ and not d.startswith("."))
        for name in sorted(file_names):
            if not name.endswith(".php") or name.endswith(".l10n.php"):
                continue
            path = Path(folder) / name
            try:
                if path.stat().st_size > _LARGEST:
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            if b"textdomain" not in data and b"wp_set_script_translations" not in data:
                continue
            for match in _CALL.finditer(data):
                domain = match["domain"] or match["sdomain"]
                if domain not in wanted or _commented_out(data, match.start()):
                    continue
                line = data.count(b"\n", 0, match.start()) + 1
                found.setdefault(domain.decode(), []).append(
                    DomainLoad(domain.decode(), (match["function"] or match["script"]).decode(), path, line))
            if all(any(not load.for_scripts for load in found.get(domain, ())) for domain in domains):
                return found  # each domain has a loader (the main file, read first, usually has it)
    return found


def _commented_out(data: bytes, position: int) -> bool:
    """The call stands after ``//`` or ``#`` on its line, or on a doc-comment line (`` * ``)."""
    line = data[data.rfind(b"\n", 0, position) + 1:position]
    stripped = line.lstrip()
    return b"//" in line or b"#" in line or stripped.startswith((b"*", b"/*"))
