"""The .mo writer against GNU msgfmt: same messages (msgunfmt) and, in practice, the same bytes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import corpus_files
from transkit.catalog import Catalog, Entry, load_catalog
from transkit.cli.main import cli
from transkit.upstream.mo import compile_mo, write_mo

WORDPRESS_CATALOGS = corpus_files("wordpress/**/*.po")
OTHER_CATALOGS = corpus_files("other/**/*.po")


def msgunfmt(path: Path) -> str:
    # latin-1 decodes any bytes: catalogs in the corpus are in several charsets
    return subprocess.run(["msgunfmt", str(path)], capture_output=True, check=True).stdout.decode("latin-1")


def msgfmt(po: Path, mo: Path) -> bool:
    """Compile with msgfmt; False when msgfmt rejects the file or writes nothing (no messages)."""
    result = subprocess.run(["msgfmt", "-o", str(mo), str(po)], capture_output=True)
    return result.returncode == 0 and mo.exists()


def _compare_with_msgfmt(po: Path, tmp_path: Path) -> tuple[bytes, bytes]:
    reference = tmp_path / "msgfmt.mo"
    if not msgfmt(po, reference):
        pytest.skip(f"msgfmt does not compile {po.name} (the referee has nothing to compare with)")
    ours = write_mo(load_catalog(po), tmp_path / "ours.mo")
    assert msgunfmt(ours) == msgunfmt(reference)
    return ours.read_bytes(), reference.read_bytes()


@pytest.mark.corpus
@pytest.mark.parametrize("po", WORDPRESS_CATALOGS + OTHER_CATALOGS, ids=lambda p: p.name)
def test_mo_reads_back_like_msgfmt_output(po, tmp_path, corpus_dir):
    ours, reference = _compare_with_msgfmt(po, tmp_path)
    # msgfmt's own layout (sorted originals, hash table, header without POT-Creation-Date) is
    # reproduced, so the bytes agree too
    assert ours == reference


def test_fuzzy_and_untranslated_are_left_out_but_a_fuzzy_header_is_kept(tmp_path):
    po = tmp_path / "x-it_IT.po"
    po.write_text(
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n"POT-Creation-Date: 2024-01-01 00:00+0000\\n"\n\n'
        'msgid "kept"\nmsgstr "tenuto"\n\n'
        '#, fuzzy\nmsgid "draft"\nmsgstr "bozza"\n\n'
        'msgid "empty"\nmsgstr ""\n\n'
        'msgctxt "menu"\nmsgid "File"\nmsgstr "Archivio"\n\n'
        'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "%d file"\nmsgstr[1] "%d file"\n\n'
        '#~ msgid "old"\n#~ msgstr "vecchio"\n',
        encoding="utf-8",
    )
    ours, reference = _compare_with_msgfmt(po, tmp_path)
    assert ours == reference
    text = msgunfmt(tmp_path / "ours.mo")
    assert "tenuto" in text and "Archivio" in text and 'msgctxt "menu"' in text
    assert "bozza" not in text and "empty" not in text and "vecchio" not in text
    assert "POT-Creation-Date" not in text


def test_hash_table_is_optional_and_gettext_still_reads_the_file(tmp_path):
    catalog = Catalog([Entry("", "Content-Type: text/plain; charset=UTF-8\n"), Entry("a", "b")],
                      path=tmp_path / "x.po")
    with_table, without_table = compile_mo(catalog), compile_mo(catalog, hash_table=False)
    assert len(without_table) < len(with_table)
    (tmp_path / "plain.mo").write_bytes(without_table)
    assert 'msgid "a"\nmsgstr "b"' in msgunfmt(tmp_path / "plain.mo")


def test_non_utf8_catalog_is_written_in_its_own_charset(tmp_path):
    catalog = Catalog([Entry("", "Content-Type: text/plain; charset=ISO-8859-1\n"), Entry("yes", "sì")],
                      path=tmp_path / "x.po")
    data = compile_mo(catalog)
    assert "sì".encode("latin-1") in data and "sì".encode("utf-8") not in data


def test_a_charset_that_is_no_charset_name_compiles_the_bytes_as_they_are(tmp_path):
    """"charset=\\xffUTF-8": msgfmt -c accepts it (warning that it is no portable encoding name)
    and copies the file's bytes; so does compile (it wrote them re-encoded, "CittÃ "), and check
    says what is wrong with the header."""
    po = tmp_path / "x-it_IT.po"
    po.write_bytes(b'msgid ""\nmsgstr ""\n"Language: it_IT\\n"\n"Content-Type: text/plain; charset=\xffUTF-8\\n"\n'
                   b'"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\nmsgid "Citt\xc3\xa0"\nmsgstr "Citt\xc3\xa0!"\n')
    ours, reference = _compare_with_msgfmt(po, tmp_path)
    assert ours == reference and "Città!".encode("utf-8") in ours
    result = CliRunner().invoke(cli, ["check", str(po)])
    assert "charset 'ÿUTF-8' is not a charset name" in result.output
