"""The validated .mo reader against GNU msgunfmt: the same files accepted and refused, the same
messages read, and no exception but CatalogError on any damaged file."""

from __future__ import annotations

import struct
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import corpus_files
from transkit.catalog.mofile import mo_message_count, read_mo
from transkit.errors import CatalogError

CORPUS_MO = corpus_files("**/*.mo")

SMALL_PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Save"
msgstr "Speichern"

msgctxt "verb"
msgid "Post"
msgstr "Veröffentlichen"

msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d Datei"
msgstr[1] "%d Dateien"
"""


def msgunfmt_accepts(path: Path) -> bool:
    return subprocess.run(["msgunfmt", "-o", "/dev/null", str(path)], capture_output=True).returncode == 0


def ours_accepts(path: Path) -> bool:
    try:
        read_mo(path)
    except CatalogError as err:
        assert str(path) in str(err)  # the error names the file
        return False
    return True


@pytest.fixture
def small_mo(tmp_path) -> bytes:
    po = tmp_path / "small.po"
    po.write_text(SMALL_PO, encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(tmp_path / "small.mo"), str(po)], check=True)
    return (tmp_path / "small.mo").read_bytes()


@pytest.mark.corpus
@pytest.mark.parametrize("mo", CORPUS_MO, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_corpus_mo_accepted_and_refused_like_msgunfmt(mo, corpus_dir):
    assert ours_accepts(mo) == msgunfmt_accepts(mo)


def test_messages_read_back(tmp_path, small_mo):
    path = tmp_path / "x.mo"
    path.write_bytes(small_mo)
    catalog = read_mo(path)
    assert catalog.header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    found = {(m.msgctxt, m.msgid, m.msgid_plural): m.translations for m in catalog.messages}
    assert found == {(None, "Save", None): ["Speichern"], ("verb", "Post", None): ["Veröffentlichen"],
                     (None, "%d file", "%d files"): ["%d Datei", "%d Dateien"]}
    assert mo_message_count(path) == 3


def test_big_endian_file_reads_like_little_endian(tmp_path, small_mo):
    count = struct.unpack_from("<I", small_mo, 8)[0]
    words = list(struct.unpack_from("<7I", small_mo))
    table = small_mo[28:28 + 16 * count]
    swapped = struct.pack(">7I", *words) + b"".join(
        struct.pack(">I", value) for value in struct.unpack(f"<{4 * count}I", table))
    rest = small_mo[28 + 16 * count:]
    hash_size = words[5]
    rest = b"".join(struct.pack(">I", v) for v in struct.unpack(f"<{hash_size}I", rest[:4 * hash_size])) + rest[4 * hash_size:]
    path = tmp_path / "be.mo"
    path.write_bytes(swapped + rest)
    assert msgunfmt_accepts(path)
    assert len(read_mo(path).messages) == 3


def test_every_truncation_is_refused_like_msgunfmt(tmp_path, small_mo):
    path = tmp_path / "cut.mo"
    for length in range(0, len(small_mo), 7):
        path.write_bytes(small_mo[:length])
        assert ours_accepts(path) == msgunfmt_accepts(path), length


@pytest.mark.parametrize("field", range(1, 7))
@pytest.mark.parametrize("value", [0xFFFFFFFF, 0x7FFFFFFF, 0x10000, 29])
def test_lying_header_numbers(tmp_path, small_mo, field, value):
    data = bytearray(small_mo)
    struct.pack_into("<I", data, 4 * field, value)
    path = tmp_path / "lie.mo"
    path.write_bytes(bytes(data))
    assert ours_accepts(path) == msgunfmt_accepts(path)


def test_descriptor_past_the_end_and_missing_nul(tmp_path, small_mo):
    originals_at = struct.unpack_from("<I", small_mo, 12)[0]
    for patch in ((originals_at + 4, 0xFFFFFF00), (originals_at, 0xFFFFFFFF), (originals_at + 12, len(small_mo) - 1)):
        data = bytearray(small_mo)
        struct.pack_into("<I", data, *patch)
        path = tmp_path / "bad.mo"
        path.write_bytes(bytes(data))
        assert not msgunfmt_accepts(path)
        with pytest.raises(CatalogError, match="not a valid .mo file"):
            mo_message_count(path)


def test_huge_sparse_file_is_refused_at_once(tmp_path, small_mo):
    path = tmp_path / "sparse.mo"
    with open(path, "wb") as handle:
        handle.write(small_mo)
        handle.truncate(2 * 1024 ** 3)
    started = time.monotonic()
    with pytest.raises(CatalogError, match="too large"):
        mo_message_count(path)
    elapsed = time.monotonic() - started
    print(f"2 GB sparse .mo refused in {elapsed * 1000:.1f} ms")


def test_not_a_file(tmp_path):
    with pytest.raises(CatalogError, match="no such file"):
        read_mo(tmp_path / "missing.mo")
    with pytest.raises(CatalogError, match="folder"):
        read_mo(tmp_path)
