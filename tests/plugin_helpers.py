"""Helpers the CLI tests share: a WordPress plugin folder (main PHP file with its header, and one
catalog under languages/), written in tmp_path."""

from __future__ import annotations

from pathlib import Path


def write_plugin(root: Path, slug: str, po_name: str, po_text: str) -> Path:
    """``root/slug`` with ``slug.php`` (Plugin Name and Text Domain ``slug``) and
    ``languages/po_name`` holding ``po_text``; returns the catalog's path."""
    folder = root / slug
    (folder / "languages").mkdir(parents=True)
    (folder / f"{slug}.php").write_text(f"<?php\n/*\n * Plugin Name: {slug}\n * Text Domain: {slug}\n */\n",
                                        encoding="utf-8")
    po = folder / "languages" / po_name
    po.write_text(po_text, encoding="utf-8")
    return po


def break_gallery_catalog(sample_po: Path) -> tuple[Path, int]:
    """A de_DE copy of sample_po's tiny-gallery Italian catalog with an unclosed quote (what a
    broken catalog looks like to every command); returns its path and the line of the error."""
    languages = sample_po / "tiny-gallery" / "languages"
    broken = languages / "tiny-gallery-de_DE.po"
    text = (languages / "tiny-gallery-it_IT.po").read_text(encoding="utf-8")
    broken.write_text(text.replace('msgstr "Chiudi"', 'msgstr "Chiudi'), encoding="utf-8")
    return broken, text[:text.index('msgstr "Chiudi"')].count("\n") + 1
