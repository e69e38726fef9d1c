"""What `transkit update` says about what it does not carry over: translations of a project with
no template (among several) are listed as skipped, and untranslated entries gone from the template
are counted as dropped — in the table and in --json alike."""

from __future__ import annotations

import json

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
