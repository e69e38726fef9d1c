"""A locale typed on the command line as people type it (``de-DE``, ``pt_br``) names the same
glossary, memory and catalogs as the catalogs' own ``de_DE``; a misspelt one is a usage error, never
an empty result in silence."""

from __future__ import annotations

from click.testing import CliRunner

from transkit.cli.main import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_glossary_term_added_as_de_DE_with_a_hyphen_is_in_de_DE():
    assert run("glossary", "add", "de-DE", "Page", "Seite").exit_code == 0
    assert run("glossary", "add", "pt_br", "Post", "Publicação").exit_code == 0
    listed = run("glossary", "list", "de_DE")
    assert listed.exit_code == 0
    assert "Page → Seite" in listed.output
    assert "Post → Publicação" in run("glossary", "list", "pt-BR").output
    assert "de-DE" not in run("glossary", "list", "de_DE", "--json").output


def _memory_with_de_DE(sample_po, tmp_path):
    catalog = tmp_path / "words-de_DE.po"
    catalog.write_text('msgid ""\nmsgstr ""\n"Language: de_DE\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                       'msgid "Save"\nmsgstr "Speichern"\n', encoding="utf-8")
    assert run("tm", "import", str(catalog)).exit_code == 0


def test_tm_export_of_a_locale_the_memory_lacks_is_refused_and_writes_nothing(sample_po, tmp_path):
    _memory_with_de_DE(sample_po, tmp_path)
    out = tmp_path / "typo.tmx"
    result = run("tm", "export", str(out), "--locale", "de_AT")
    assert result.exit_code == 2
    assert "holds no de_AT segments" in result.output and "de_DE" in result.output
    assert not out.exists()
    spelt = tmp_path / "de.tmx"
    result = run("tm", "export", str(spelt), "--locale", "de-de")
    assert result.exit_code == 0, result.output
    assert "1 translation units" in result.output
    assert "<seg>Speichern</seg>" in spelt.read_text(encoding="utf-8")


def test_tm_import_of_a_catalog_without_language_names_the_option(tmp_path):
    bare = tmp_path / "bare.po"
    bare.write_text('msgid "Save"\nmsgstr "Speichern"\n', encoding="utf-8")
    result = run("tm", "import", str(bare))
    assert result.exit_code == 3
    assert "no Language header; give its locale with --locale" in result.output
    assert run("tm", "import", str(bare), "--locale", "Deutsch").exit_code == 2
    imported = run("tm", "import", str(bare), "--locale", "de-DE")
    assert imported.exit_code == 0 and " ".join(imported.output.split()).endswith("bare.po: 1 segment")
    assert "de_DE: 1 segments" in run("tm", "stats").output


def test_history_locale_is_checked_and_read_as_catalogs_name_it(sample_po):
    plugin = str(sample_po / "tiny-gallery")
    assert run("status", plugin).exit_code == 0
    assert run("history", plugin, "--locale", "itit").exit_code == 2
    spelt = run("history", plugin, "--locale", "it-it", "--json")
    assert spelt.exit_code == 0
    assert '"locale": "it_IT"' in spelt.output
