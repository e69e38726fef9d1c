"""JavaScript translations: one Jed 1.x JSON file per JS source, as ``wp i18n make-json`` makes them.

Naming (WP-CLI's rule, which WordPress's ``load_script_textdomain`` mirrors): the PO file's base name
(prefixed with the text domain when it does not already start with it), a dash, the md5 of the JS
file path as written in the ``#:`` reference (relative to the plugin root, e.g. ``src/index.js``), and
``.json``. A ``.min.js`` reference counts as its ``.js`` source; non-JS references are ignored, so
only entries used in JS end up in JSON. Content: ``translation-revision-date``, ``generator``,
``source``, ``domain`` ("messages") and ``locale_data.messages`` with the ``""`` header (domain, lang,
plural-forms) and ``key: [forms]``; a context is prefixed as ``ctx\\u0004msgid``. JSON is encoded as
PHP's ``json_encode`` does by default (``\\/``, ``\\uXXXX``), so files match byte for byte in style.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from transkit import __version__
from transkit.catalog import Catalog, Entry
from transkit.catalog.paths import safe_domain
from transkit.upstream.mo import CONTEXT_SEPARATOR, is_compiled, write_atomically

DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


@dataclass
class JsonFile:
    source: str  # the JS path the file is for, e.g. "src/index.js"
    name: str  # the file name, e.g. "my-plugin-it_IT-<md5>.json"
    content: str


def js_source(reference_path: str) -> str | None:
    """The JS file a reference counts for, or None for non-JS references."""
    if reference_path.endswith(".min.js"):
        return reference_path[: -len(".min.js")] + ".js"
    if reference_path.endswith(".js"):
        return reference_path
    return None


def js_sources(entry: Entry) -> list[str]:
    sources: list[str] = []
    for path, _line in entry.occurrences:
        source = js_source(path)
        if source is not None and source not in sources:
            sources.append(source)
    return sources


def json_base_name(po_path: str | os.PathLike, domain: str | None) -> str:
    base = Path(po_path).name
    base = base[: -len(".po")] if base.endswith(".po") else Path(base).stem
    if domain and not base.startswith(domain):
        base = f"{domain}-{base}"
    return base


def json_file_name(base_name: str, source: str) -> str:
    return f"{base_name}-{hashlib.md5(source.encode('utf-8')).hexdigest()}.json"


def php_json_encode(data) -> str:
    """``json_encode($data)`` with PHP's default flags: compact, ASCII only, slashes escaped."""
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")


def jed_messages(entries: Iterable[Entry], nplurals: int) -> dict[str, list[str]]:
    messages: dict[str, list[str]] = {}
    for entry in entries:
        key = entry.msgid if entry.msgctxt is None else entry.msgctxt + CONTEXT_SEPARATOR + entry.msgid
        forms = list(entry.translations)
        if entry.is_plural:  # Jed expects exactly nplurals forms
            forms = (forms + [""] * nplurals)[: max(nplurals, 1)]
        messages.setdefault(key, forms)
    return messages


def build_json_files(catalog: Catalog, po_path: str | os.PathLike | None = None,
                     entries: Iterable[Entry] | None = None, domain: str | None = None,
                     generator: str | None = None) -> list[JsonFile]:
    """The JSON files for every JS source referenced by a compiled entry, in order of first use."""
    po_path = po_path or catalog.path
    if po_path is None:
        raise ValueError("a PO path is needed to name JSON files")
    header = catalog.header
    if header.get("X-Domain"):
        domain = safe_domain(header["X-Domain"], "X-Domain", po_path)
    elif domain:
        domain = safe_domain(domain, "text domain", po_path)
    base_name = json_base_name(po_path, domain)
    by_source: dict[str, list[Entry]] = {}
    for entry in catalog.entries if entries is None else entries:
        if entry.is_header or not is_compiled(entry):
            continue
        for source in js_sources(entry):
            by_source.setdefault(source, []).append(entry)

    plural_forms = header.get("Plural-Forms") or DEFAULT_PLURAL_FORMS
    locale_header = {"domain": "messages", "lang": catalog.language or "en", "plural-forms": plural_forms}
    files = []
    for source, source_entries in by_source.items():
        data = {
            "translation-revision-date": header.get("PO-Revision-Date"),
            "generator": generator or f"transkit/{__version__}",
            "source": source,
            "domain": "messages",
            "locale_data": {"messages": {"": locale_header, **jed_messages(source_entries, catalog.nplurals)}},
        }
        files.append(JsonFile(source, json_file_name(base_name, source), php_json_encode(data)))
    return files


def write_json_files(catalog: Catalog, directory: str | os.PathLike, po_path: str | os.PathLike | None = None,
                     entries: Iterable[Entry] | None = None, domain: str | None = None) -> list[Path]:
    directory = Path(directory)
    return [write_atomically(directory / f.name, f.content.encode("ascii"))
            for f in build_json_files(catalog, po_path, entries, domain)]
