"""`transkit extract --output` never replaces what is not a template: a translation (a catalog `init`
made carries `X-Generator: transkit`, which once let extract rebuild it silently over its
translations) or a file that is no catalog (a source file), --force or not; a damaged .pot is still
what --force replaces."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from transkit.cli.main import cli

SAMPLE = Path(__file__).parents[1] / "sample_po" / "tiny-gallery"


@pytest.fixture
def plugin(tmp_path) -> Path:
    root = tmp_path / "tiny-gallery"
    shutil.copytree(SAMPLE, root)
    return root


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def said(result) -> str:
    return " ".join(result.output.split())


def test_a_catalog_init_made_and_then_translated_is_not_rebuilt_as_a_template(plugin):
    (plugin / "languages" / "tiny-gallery.pot").unlink()
    assert run("init", str(plugin), "-l", "de_DE").exit_code == 0
    po = plugin / "languages" / "tiny-gallery-de_DE.po"
    assert "X-Generator: transkit" in po.read_text(encoding="utf-8")
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "Tiny Gallery"\nmsgstr ""',
                                                         'msgid "Tiny Gallery"\nmsgstr "Kleine Galerie"'),
                  encoding="utf-8")
    mine = po.read_bytes()
    assert b"Kleine Galerie" in mine
    for extra in ((), ("--force",), ("--dry-run",), ("--json",)):
        result = run("extract", str(plugin), "--output", str(po), *extra)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        text = said(result)
        assert f"{po}: a translation (1 string with a translation, Language: de_DE), not a template" in text
        assert f"`transkit update {po} --template" in text and "nothing written" in text
        assert po.read_bytes() == mine


def test_a_shipped_translation_is_not_replaced_even_with_force(plugin):
    po = plugin / "languages" / "tiny-gallery-it_IT.po"
    mine = po.read_bytes()
    result = run("extract", str(plugin), "-o", str(po), "--force")
    assert result.exit_code == 2, result.output
    assert "a translation (5 strings with a translation, Language: it_IT)" in said(result)
    assert po.read_bytes() == mine


def test_a_source_file_is_not_replaced_even_with_force(plugin):
    source = plugin / "tiny-gallery.php"
    mine = source.read_bytes()
    result = run("extract", str(plugin), "-o", str(source), "--force")
    assert result.exit_code == 2, result.output
    assert f"{source}: already there and no template (it cannot be read as a catalog" in said(result)
    assert source.read_bytes() == mine


def test_a_damaged_template_is_still_replaced_with_force(plugin):
    template = plugin / "languages" / "tiny-gallery.pot"
    template.write_text('msgid "broken\n', encoding="utf-8")
    refused = run("extract", str(plugin))
    assert refused.exit_code == 1 and "cannot be read" in said(refused)
    forced = run("extract", str(plugin), "--force", "--json")
    assert forced.exit_code == 0, forced.output
    assert json.loads(forced.stdout)["written"] is True
    assert 'msgid "Tiny Gallery"' in template.read_text(encoding="utf-8")


def test_a_template_at_another_output_path_is_written_as_before(plugin, tmp_path):
    target = tmp_path / "elsewhere" / "tiny-gallery.pot"
    result = run("extract", str(plugin), "-o", str(target), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["written"] is True and target.is_file()
