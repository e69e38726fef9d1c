"""A plugin's catalog of a second text domain (acme-blocks-de_DE.po in plugin acme) is given back on
its own: `transkit export FILE` after `transkit export acme` exports it (it said "nothing new since
the last export", reading acme's own de_DE export as its own), into its own folder (the two shared
acme-de_DE/, and the second export removed the first's files as superseded), and each catalog's
next export compares with its own last one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from transkit.cli.main import cli

HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: Acme 1.0\\n"\n"Language: de_DE\\n"\n'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
          '"X-Domain: {domain}\\n"\n\n')
# the same strings in both catalogs (a block library sharing the plugin's wording)
BODY = '#: acme.php:3\nmsgid "Save"\nmsgstr "Speichern"\n\n#: acme.php:4\nmsgid "Cancel"\nmsgstr "Abbrechen"\n'


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_NAME", "Ada Übersetzerin")
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_EMAIL", "ada@example.org")
    monkeypatch.chdir(tmp_path)
    plugin = tmp_path / "acme"
    (plugin / "languages").mkdir(parents=True)
    (plugin / "acme.php").write_text("<?php\n/*\nPlugin Name: Acme\nVersion: 1.0\nText Domain: acme\n"
                                     "Domain Path: /languages\n*/\nload_plugin_textdomain('acme');\n"
                                     "load_plugin_textdomain('acme-blocks');\n", encoding="utf-8")
    for domain in ("acme", "acme-blocks"):
        (plugin / "languages" / f"{domain}-de_DE.po").write_text(HEADER.format(domain=domain) + BODY,
                                                                 encoding="utf-8")
    return tmp_path


def export(*args) -> str:
    result = CliRunner().invoke(cli, ["export", *map(str, args), "-l", "de_DE"])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_a_second_domain_catalog_is_exported_and_recorded_on_its_own(site):
    own = site / "transkit-export" / "acme-de_DE"
    blocks = site / "transkit-export" / "acme-blocks-de_DE"
    said = export(site / "acme")
    assert "acme de_DE: 2 of 2 strings exported (2 added, 0 changed" in said
    made = names(own)
    assert {"acme-de_DE.po", "acme-de_DE.mo", "MESSAGE.md"} <= made

    said = export(site / "acme" / "languages" / "acme-blocks-de_DE.po")
    assert "nothing new" not in said
    assert "acme de_DE (acme-blocks): 2 of 2 strings exported (2 added, 0 changed" in said
    assert {"acme-blocks-de_DE.po", "acme-blocks-de_DE.mo", "MESSAGE.md"} <= names(blocks)
    assert 'msgstr "Speichern"' in (blocks / "acme-blocks-de_DE.po").read_text(encoding="utf-8")
    assert names(own) == made and "removed" not in said  # the plugin's own export is left as it was

    # each catalog's next export compares with its own last one
    said = export(site / "acme" / "languages" / "acme-blocks-de_DE.po")
    assert "acme de_DE (acme-blocks): nothing new since the last export of files" in said
    said = export(site / "acme")
    assert "acme de_DE: nothing new since the last export of files" in said
    po = site / "acme" / "languages" / "acme-blocks-de_DE.po"
    po.write_text(po.read_text(encoding="utf-8").replace('"Abbrechen"', '"Verwerfen"'), encoding="utf-8")
    said = export(po)
    assert "acme de_DE (acme-blocks): 2 of 2 strings exported (0 added, 1 changed" in said
    assert 'msgstr "Verwerfen"' in (blocks / "acme-blocks-de_DE.po").read_text(encoding="utf-8")
    assert 'msgstr "Abbrechen"' in (own / "acme-de_DE.po").read_text(encoding="utf-8")


def test_status_of_a_moved_plugin_gives_each_catalog_only_its_own_export(site):
    export(site / "acme")
    moved = site / "moved" / "acme"
    moved.parent.mkdir()
    (site / "acme").rename(moved)  # the plugin folder moved: its export is found by plugin and locale
    result = CliRunner().invoke(cli, ["status", str(moved), "--json"])
    assert result.exit_code == 0, result.output
    catalogs = json.loads(result.output)["catalogs"]
    exported = {Path(c["path"]).name: c["last_export"] for c in catalogs}
    assert exported["acme-de_DE.po"] is not None and exported["acme-de_DE.po"]["domain"] == "acme"
    assert exported["acme-blocks-de_DE.po"] is None  # never given back
