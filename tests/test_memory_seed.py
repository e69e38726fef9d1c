"""Every catalog transkit scans feeds the translation memory that fills the next one."""

from __future__ import annotations

from click.testing import CliRunner

from transkit.catalog import load_catalog
from transkit.cli.main import cli
from transkit.jobs.memory import po_files_of, seed_memory
from transkit.catalog.discover import scan


def test_scan_then_fill_uses_translations_of_another_project(sample_po):
    runner = CliRunner()
    assert runner.invoke(cli, ["scan", str(sample_po)]).exit_code == 0
    result = runner.invoke(cli, ["fill", str(sample_po / "tiny-gallery"), "--locale", "it_IT", "--provider", "tm"])
    assert result.exit_code == 0, result.output
    catalog = load_catalog(sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po")
    save = catalog.find("Save Changes")
    assert save.msgstr == "Salva le modifiche"  # from hello-cli's Italian catalog
    assert save.fuzzy  # a memory suggestion waits for review
    assert catalog.find("Lightbox").is_untranslated()  # nothing in memory: left alone


def test_seeding_skips_unchanged_files_and_picks_up_edits(sample_po):
    paths = po_files_of(scan(sample_po))
    first = seed_memory(paths)
    assert first.files_read == len(paths) and first.segments_added > 0
    again = seed_memory(paths)
    assert again.files_read == 0 and again.files_unchanged == len(paths)
    hello = sample_po / "hello-cli" / "po" / "it.po"
    catalog = load_catalog(hello)
    catalog.find("Quit", "menu").msgstr = "Chiudi il programma"
    catalog.save()
    third = seed_memory(paths)
    assert third.files_read == 1


def test_an_unreadable_catalog_is_reported_not_fatal(tmp_path):
    broken = tmp_path / "x-de.po"
    broken.write_text('msgid "a"\nmsgstr "b\n')
    report = seed_memory([broken])
    assert report.files_read == 0 and report.unreadable and "x-de.po:2" in report.unreadable[0]


def test_memory_serves_the_bare_language_and_variants_but_not_other_territories(tmp_path):
    from transkit.suggest.tm import TranslationMemory

    with TranslationMemory(tmp_path / "tm.sqlite") as memory:
        memory.add("it", "Save Changes", ["Salva le modifiche"], origin="hello")
        memory.add("pt_PT", "File", ["Ficheiro"], origin="pt")
        memory.add("de_DE", "Close", ["Schließen"], origin="de")
        memory.add("de_DE_formal", "Close", ["Schließen (Sie)"], origin="de-formal")
        assert memory.exact("Save Changes", "it_IT").targets == ("Salva le modifiche",)
        assert memory.exact("File", "pt_BR") is None
        assert [m.targets[0] for m in memory.suggest("Close", "de_DE_formal")][:2] == ["Schließen (Sie)", "Schließen"]


def test_a_damaged_memory_file_is_one_clear_error(isolated_home):
    memory_file = isolated_home / "data" / "tm.sqlite"
    memory_file.parent.mkdir(parents=True, exist_ok=True)
    memory_file.write_bytes(b"this is not a database" * 100)
    result = CliRunner().invoke(cli, ["tm", "stats"])
    assert result.exit_code == 7
    assert str(memory_file) in result.output and "Traceback" not in result.output
