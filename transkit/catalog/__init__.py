"""Catalogs: read and write PO/POT files faithfully, find them on disk, merge and count them."""

from transkit.catalog.model import Catalog, CatalogStats, Entry, count_words
from transkit.catalog.pofile import load_catalog, parse_catalog

__all__ = ["Catalog", "CatalogStats", "Entry", "count_words", "load_catalog", "parse_catalog"]
