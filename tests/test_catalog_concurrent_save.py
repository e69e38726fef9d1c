"""Two writers of one PO (the TUI and a fill in another shell): neither loses the other's work."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from transkit.catalog import Entry, load_catalog
from transkit.cli.main import cli
from transkit.config import Identity

PO = '''msgid ""
msgstr ""
"Language: it\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=n != 1;\\n"

msgid "Save"
msgstr ""

msgid "Delete"
msgstr ""

#, fuzzy
msgid "Close"
msgstr "Chiudere"
'''


def write(tmp_path):
    path = tmp_path / "x-it.po"
    path.write_text(PO, encoding="utf-8")
    return path


def test_edits_of_different_entries_are_both_kept(tmp_path):
    path = write(tmp_path)
    tui, fill = load_catalog(path), load_catalog(path)
    fill.find("Delete").msgstr = "Elimina"
    fill.find("Delete").fuzzy = True
    fill.save()
    tui.find("Save").msgstr = "Salva"
    tui.save(identity=Identity("Ada", "ada@example.org"))
    result = load_catalog(path)
    assert result.find("Save").msgstr == "Salva"
    assert result.find("Delete").msgstr == "Elimina" and result.find("Delete").fuzzy
    assert result.header["Last-Translator"] == "Ada <ada@example.org>"
    # the session that saved last now holds the merged entries too
    assert tui.find("Delete").msgstr == "Elimina"
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)]).returncode == 0


def test_same_entry_field_by_field_the_later_change_wins(tmp_path):
    path = write(tmp_path)
    first, second = load_catalog(path), load_catalog(path)
    first.find("Close").msgstr = "Chiudi"  # a fix of the translation
    first.save()
    second.find("Close").fuzzy = False  # an approval of the entry, without touching its text
    second.save()
    close = load_catalog(path).find("Close")
    assert (close.msgstr, close.fuzzy) == ("Chiudi", False)


def test_a_second_save_does_not_revert_what_another_writer_did_in_between(tmp_path):
    path = write(tmp_path)
    tui = load_catalog(path)
    tui.find("Save").msgstr = "Salva"
    tui.save()
    other = load_catalog(path)
    other.find("Save").msgstr = "Salva le modifiche"
    other.save()
    tui.find("Delete").msgstr = "Elimina"
    tui.save()
    result = load_catalog(path)
    assert result.find("Save").msgstr == "Salva le modifiche"
    assert result.find("Delete").msgstr == "Elimina"


def test_entries_added_or_removed_by_the_other_writer_stay_that_way(tmp_path):
    path = write(tmp_path)
    mine, theirs = load_catalog(path), load_catalog(path)
    theirs.append(Entry(msgid="Open"))
    theirs.remove(theirs.find("Delete"))
    theirs.save()
    mine.find("Save").msgstr = "Salva"
    mine.save()
    result = load_catalog(path)
    assert result.find("Open") is not None and result.find("Delete") is None
    assert result.find("Save").msgstr == "Salva"


def test_untouched_bytes_survive_a_rebase(tmp_path, corpus_dir):
    source = corpus_dir / "wordpress" / "contact-form-7" / "contact-form-7-it_IT.po"
    path = tmp_path / source.name
    path.write_bytes(source.read_bytes())
    mine, theirs = load_catalog(path), load_catalog(path)
    theirs.entries[5].msgstr = "da un altro processo"
    theirs.save()
    mine.entries[9].msgstr = "da questo processo"
    mine.save()
    old, new = source.read_bytes().split(b"\n"), path.read_bytes().split(b"\n")
    assert len(old) == len(new)
    assert sum(a != b for a, b in zip(old, new)) == 2


def test_edit_session_save_keeps_a_concurrent_fill(sample_po):
    from transkit.jobs.edit_session import open_catalog

    plugin = sample_po / "tiny-gallery"
    po = plugin / "languages" / "tiny-gallery-it_IT.po"
    session = open_catalog(po)
    index = next(i for i, e in enumerate(session.entries) if e.msgid == "Lightbox")
    session.set_form(index, 0, "Lightbox (finestra)")
    runner = CliRunner()
    assert runner.invoke(cli, ["scan", str(sample_po)]).exit_code == 0  # seeds the memory
    filled = runner.invoke(cli, ["fill", str(plugin), "--locale", "it_IT", "--provider", "tm"])
    assert filled.exit_code == 0, filled.output
    assert load_catalog(po).find("Save Changes").msgstr == "Salva le modifiche"
    session.save()
    result = load_catalog(po)
    assert result.find("Lightbox").msgstr == "Lightbox (finestra)"
    assert result.find("Save Changes").msgstr == "Salva le modifiche"  # the fill's work is still there


def test_two_processes_saving_at_once_keep_both_changes(tmp_path):
    path = write(tmp_path)
    script = (
        "import sys\nfrom transkit.catalog import load_catalog\n"
        "msgid, text = sys.argv[2], sys.argv[3]\n"
        "for round in range(30):\n"
        "    c = load_catalog(sys.argv[1])\n"
        "    c.find(msgid).msgstr = f'{text} {round}'\n"
        "    c.save()\n"
    )
    writers = [subprocess.Popen([sys.executable, "-c", script, str(path), msgid, text])
               for msgid, text in (("Save", "Salva"), ("Delete", "Elimina"))]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    result = load_catalog(path)
    assert result.find("Save").msgstr == "Salva 29"
    assert result.find("Delete").msgstr == "Elimina 29"
