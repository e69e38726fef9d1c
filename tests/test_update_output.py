"""What `transkit update` says about what it does not carry over: translations of a project with
no template (among several) are listed as skipped, and untranslated entries gone from the template
are counted as dropped — in the table and in --json alike."""

from __future__ import annotations

import json
import subprocess

from narrow_terminal import assert_fits, transkit_at_80


def test_a_project_without_template_among_several_is_listed_as_skipped(sample_po):
    done = transkit_at_80("update", ".", "--dry-run", cwd=sample_po)
    assert_fits(done.stdout)
    text = " ".join(done.stdout.split())
    assert ("quick-notes/languages/quick-notes-it_IT.po: skipped — no template (.pot) in its project; "
            "`transkit extract quick-notes` builds one") in text
    assert "tiny-gallery/languages/tiny-gallery-it_IT.po: unchanged —" in done.stdout.splitlines()
    assert "  13 kept, 0 fuzzy, 0 new, 0 obsolete" in done.stdout.splitlines()  # one phrase, never cut
    report = json.loads(transkit_at_80("update", ".", "--dry-run", "--json", cwd=sample_po).stdout)
    skipped = [c for c in report["catalogs"] if c["status"] == "skipped"]
    assert [c["path"] for c in skipped] == [str(sample_po / "quick-notes" / "languages" / "quick-notes-it_IT.po")]
    assert skipped[0]["project_root"] == str(sample_po / "quick-notes")


def test_untranslated_entries_gone_from_the_template_are_counted(sample_po):
    po = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"
    before = po.read_bytes()
    other = sample_po / "hello-cli" / "po" / "hello-cli.pot"
    done = transkit_at_80("update", po, "--template", other, "--dry-run", cwd=sample_po)
    assert_fits(done.stdout)
    text = " ".join(done.stdout.split())
    assert "  2 kept, 0 fuzzy, 3 new, 5 obsolete, 6 untranslated dropped" in done.stdout.splitlines()
    report = json.loads(transkit_at_80("update", po, "--template", other, "--dry-run", "--json").stdout)
    assert report["catalogs"][0]["dropped"] == 6 and report["catalogs"][0]["obsoleted"] == 5
    assert po.read_bytes() == before
    # what msgmerge does with the same files: the 13 entries become 2 kept + 5 obsolete; 6 are gone
    transkit_at_80("update", po, "--template", other, cwd=sample_po)
    assert po.read_text(encoding="utf-8").count("#~ msgid ") == 5


_HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: de_DE\\n"\n'
           '"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n')


def test_translations_the_update_turns_fuzzy_are_listed_with_their_line(tmp_path):
    """An exact match whose translation stops being used (the template now declares a format the
    translation breaks, or gives the message a plural) is not counted as kept: each is named with
    its line, in the text and in --json, and msgfmt -c still accepts the result."""
    po, pot = tmp_path / "x-de_DE.po", tmp_path / "x.pot"
    po.write_text(_HEADER + '\nmsgid "%s files"\nmsgstr "Dateien"\n\nmsgid "%d pages"\nmsgstr "%d Seiten"\n'
                  '\nmsgid "One apple"\nmsgstr "Ein Apfel"\n', encoding="utf-8")
    pot.write_text(_HEADER + '\n#, php-format\nmsgid "%s files"\nmsgstr ""\n\n#, php-format\nmsgid "%d pages"\n'
                   'msgstr ""\n\nmsgid "One apple"\nmsgid_plural "%d apples"\nmsgstr[0] ""\nmsgstr[1] ""\n',
                   encoding="utf-8")
    report = json.loads(transkit_at_80("update", po, "--template", pot, "--dry-run", "--json").stdout)
    catalog = report["catalogs"][0]
    assert catalog["kept"] == 1  # "%d pages": its translation keeps its %d
    assert [(item["line"], item["msgid"]) for item in catalog["turned_fuzzy"]] == [(7, "%s files"),
                                                                                   (13, "One apple")]
    assert "php-format" in catalog["turned_fuzzy"][0]["reason"]
    assert "plural" in catalog["turned_fuzzy"][1]["reason"]
    done = transkit_at_80("update", po, "--template", pot, cwd=tmp_path)
    assert_fits(done.stdout)
    assert "x-de_DE.po: updated — 1 kept, 0 fuzzy, 0 new, 0 obsolete, 2 turned fuzzy" in done.stdout
    text = " ".join(done.stdout.split())
    assert ('x-de_DE.po:7: "%s files" turned fuzzy: the template now marks it php-format and the translation '
            'breaks that format') in text
    assert 'x-de_DE.po:13: "One apple" turned fuzzy: the template changed its plural (msgid_plural)' in text
    written = po.read_text(encoding="utf-8")
    assert '#, fuzzy, php-format\n#| msgid "%s files"\nmsgid "%s files"\nmsgstr "Dateien"' in written
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True).returncode == 0
