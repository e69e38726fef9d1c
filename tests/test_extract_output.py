"""`transkit extract` at an 80-column terminal (QA: `--dry-run` printed a 134-character line): the
summary folds between words, a folded sentence's lines indented under it, paths and msgids whole."""

from __future__ import annotations

import shutil
from pathlib import Path

from narrow_terminal import assert_fits, transkit_at_80

PLUGINS = Path(__file__).parent / "fixtures" / "plugins"


def test_dry_run_fits_80_columns(tmp_path):
    plugin = tmp_path / "modern-shop"
    shutil.copytree(PLUGINS / "modern-shop", plugin)
    done = transkit_at_80("extract", "modern-shop", "--dry-run", "--skip-audit", cwd=tmp_path)
    template = str(Path("modern-shop", "languages", "modern-shop.pot"))
    flat = " ".join(done.stdout.split())
    assert f"Dry run, nothing written: {template} would get 61 entries of Modern Shop (domain modern-shop)." in flat
    assert "Calls: 60 found, 47 extracted, 13 skipped (5 msgid is not a literal string;" in flat
    assert_fits(done.stdout, template, "Modern Shop", "Dry run, nothing written:")
    lines = done.stdout.splitlines()
    dry = next(n for n, line in enumerate(lines) if line.startswith("Dry run"))
    assert lines[dry + 1].startswith("  ")  # the sentence goes on under itself
    assert not (tmp_path / template).exists()


def test_a_template_it_would_replace_lists_the_changes_within_80_columns(tmp_path):
    """The shipped template of a plugin with --force --dry-run: the changed msgids are listed in the
    sentence, folded between them, none cut in two."""
    plugin = tmp_path / "tiny-gallery"
    shutil.copytree(Path(__file__).parents[1] / "sample_po" / "tiny-gallery", plugin)
    template = plugin / "languages" / "tiny-gallery.pot"
    before = template.read_bytes()
    done = transkit_at_80("extract", "tiny-gallery", "--dry-run", "--force", cwd=tmp_path)
    flat = " ".join(done.stdout.split())
    assert "would get" in flat and "entries added: 'https://example.org/tiny-gallery', 'transkit sample'" in flat
    assert_fits(done.stdout, "'https://example.org/tiny-gallery',", "'https://example.org',")
    refused = transkit_at_80("extract", "tiny-gallery", cwd=tmp_path, returncode=1)  # it ships one: not replaced
    assert "Run with --force to replace it." in " ".join(refused.stderr.split())
    assert_fits(refused.stderr, "'https://example.org/tiny-gallery',")
    assert template.read_bytes() == before
