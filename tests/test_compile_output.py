"""What `transkit compile` tells a person: never nothing (a folder with no PO, a template named by
mistake), and a blocked catalog named as the compiled ones are, inside an 80-column terminal."""

from __future__ import annotations

from narrow_terminal import assert_fits, transkit_at_80


def test_compile_says_so_when_there_is_nothing_to_compile(sample_po, tmp_path):
    (tmp_path / "empty").mkdir()
    done = transkit_at_80("compile", "empty", cwd=tmp_path)
    assert "No PO catalogs under empty" in done.stdout
    template = sample_po / "hello-cli" / "po" / "hello-cli.pot"
    done = transkit_at_80("compile", template, cwd=tmp_path)
    assert "No PO catalogs under" in done.stdout and "hello-cli.pot" in done.stdout
    assert not list(template.parent.glob("*.mo"))


def test_a_blocked_catalog_is_named_relative_and_folded_at_80_columns(sample_po, tmp_path):
    languages = sample_po / "quick-notes" / "languages"
    good = languages / "quick-notes-it_IT.po"
    bom = languages / "quick-notes-de_DE.po"
    bom.write_bytes(b"\xef\xbb\xbf" + good.read_bytes().replace(b"Language: it_IT", b"Language: de_DE"))
    done = transkit_at_80("compile", "quick-notes", cwd=sample_po, returncode=1)
    assert_fits(done.stderr, "error: quick-notes/languages/quick-notes-de_DE.po:")
    assert str(sample_po) not in done.stderr
    assert "byte-order mark" in done.stderr and "--force" in done.stderr
    assert "quick-notes/languages/quick-notes-it_IT.po: 9 strings" in done.stdout
    assert (languages / "quick-notes-it_IT.mo").exists()
    assert not (languages / "quick-notes-de_DE.mo").exists()
