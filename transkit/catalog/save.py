"""Saving a catalog where it came from, safely: a per-file lock (``files.save_lock``), a rebase onto
what another process wrote meanwhile (``rebase.py``), the optional Poedit-style header update, then one
atomic write (``files.atomic_write``). After an in-place save what is on disk is the new baseline."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from transkit.catalog.model import Catalog
from transkit.catalog.pofile import parse_catalog
from transkit.catalog.rebase import digest, rebase_onto
from transkit.catalog.writer import _render_entries, encode_catalog
from transkit.errors import CatalogError
from transkit.files import atomic_write, save_lock

if TYPE_CHECKING:  # pragma: no cover
    from transkit.config import Identity


def save_catalog(catalog: Catalog, path=None, identity: "Identity | None" = None) -> Path:
    target = Path(path) if path is not None else catalog.path
    if target is None:
        raise CatalogError("no path to save to")
    in_place = catalog.path is not None and Path(target).resolve() == Path(catalog.path).resolve()
    # Path.resolve follows symlinks: a linked PO is compared, locked and written as its target
    with save_lock(target):
        if in_place and catalog.source_digest is not None:
            try:
                current = Path(target).read_bytes()
            except FileNotFoundError:
                current = None
            if current is not None and digest(current) != catalog.source_digest:
                rebase_onto(catalog, parse_catalog(current, target))  # someone else wrote it meanwhile
        if identity is not None and identity.is_set and any(
            e.is_modified for e in catalog.all_entries if not e.is_header
        ):
            catalog.set_header("PO-Revision-Date", datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z"))
            catalog.set_header("Last-Translator", identity.as_header())
        # the lines of each entry are kept only by an in-place save (the new baseline)
        rendered = _render_entries(catalog) if in_place else None
        data = encode_catalog(catalog, rendered)
        atomic_write(target, data)
    if in_place:
        # what is on disk is now the baseline: a later save changes only what changes after this one
        for entry, lines in zip(catalog.all_entries, rendered):
            entry.source_lines, entry.snapshot = lines, entry.fields()
        catalog.source_digest = digest(data)
    return target
