"""Mutation suite: broken and hostile catalogs through every command's job layer.

Each example takes a small, valid plugin translation, damages it with one or more mutators
(truncation, byte flips, NUL, invalid UTF-8, surrogate escapes, nested plurals, plural index gaps,
duplicated entries, BOM/CRLF mixes, lying charsets, repeated ``#|``, plain msgstr for a plural) and
asserts what a user relies on:

- no exception escapes but ``TranskitError``;
- a command that fails writes nothing (the plugin folder is byte-identical afterwards);
- ``check`` reports an error whenever ``msgfmt -c`` rejects the file (our verdict ⊇ msgfmt's);
- ``compile`` writes a .mo byte-identical to msgfmt's whenever it writes one.

Examples are bounded for CI; a longer run: ``TRANSKIT_FUZZ=2000 python3 -m pytest tests/test_hostile_input.py``.
"""

from __future__ import annotations

import os
import struct
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from transkit.catalog import load_catalog
from transkit.cli.main import cli
from transkit.errors import TranskitError
from transkit.jobs.catalogs import init_translation
from transkit.jobs.scan import scan_folder
from transkit.jobs.update import update_translations
from transkit.jobs.check import check_paths
from transkit.jobs.export import ExportOptions, compile_catalog, export_plugin

EXAMPLES = int(os.environ.get("TRANSKIT_FUZZ", "40"))

HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: Tiny 1.0\\n"\n"Language: it_IT\\n"\n'
          '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n"X-Domain: tiny\\n"\n')
BODY = ('\n#: tiny.php:3\nmsgid "Save"\nmsgstr "Salva"\n'
        '\n#: src/index.js:4\nmsgctxt "verb"\nmsgid "Post"\nmsgstr "Pubblica"\n'
        '\n#. translators: %d: number of files\n#: tiny.php:9\n#, php-format\nmsgid "%d file"\n'
        'msgid_plural "%d files"\nmsgstr[0] "%d file"\nmsgstr[1] "%d file"\n'
        '\n#: tiny.php:12\n#, fuzzy\n#| msgid "Delete it"\nmsgid "Delete"\nmsgstr "Elimina"\n'
        '\n#: tiny.php:14\nmsgid "Città e perché"\nmsgstr "Città e perché — ok"\n'
        '\n#: tiny.php:15\nmsgid "Untranslated"\nmsgstr ""\n'
        '\n#~ msgid "Old"\n#~ msgstr "Vecchio"\n')
SEED = (HEADER + BODY).encode("utf-8")
TEMPLATE = (HEADER.replace("Language: it_IT", "Language: ").replace("charset=UTF-8", "charset=CHARSET")
            + BODY).encode("utf-8")


# -- mutators: each takes the bytes and a hypothesis `draw`, returns new bytes ----------------------

def truncate(data, draw):
    return data[:draw(st.integers(0, len(data)))]


def flip_byte(data, draw):
    if not data:
        return data
    at = draw(st.integers(0, len(data) - 1))
    return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]


def insert(data, draw, what: bytes):
    at = draw(st.integers(0, len(data)))
    return data[:at] + what + data[at:]


def nul(data, draw):
    return insert(data, draw, b"\x00")


def invalid_utf8(data, draw):
    return insert(data, draw, draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x82"])))


def surrogate_escape(data, draw):
    escape = draw(st.sampled_from([b"\\xD800", b"\\xdfff", b"\\x110000", b"\\uD800", b"\\377", b"\\000",
                                   b"\\004", b"\\x04", b"\\x00", b"\x04"]))
    return data.replace(b'msgstr "Salva"', b'msgstr "Sal' + escape + b'va"', 1)


def nested_plurals(data, draw):
    depth = draw(st.integers(1, 1500))
    return data.replace(b"plural=(n != 1);", b"plural=" + b"(" * depth + b"n != 1" + b")" * depth + b";")


def broken_plural_rule(data, draw):
    rule = draw(st.sampled_from([b"-n", b"n/0", b"n ? 1", b"(n", b"n > 1 : 0", b"n != 1)", b"",
                                 b"n%(n-n)"]))
    nplurals = draw(st.sampled_from([b"2", b"0", b"1", b"99999999999", b"x"]))
    return data.replace(b"nplurals=2; plural=(n != 1);", b"nplurals=" + nplurals + b"; plural=" + rule + b";")


def plural_index_gap(data, draw):
    return data.replace(b'msgstr[1] "%d file"', draw(st.sampled_from(
        [b'msgstr[2] "%d file"', b'msgstr[0] "%d file"', b'msgstr[1] "%d file"\nmsgstr[3] "x"'])))


def plain_msgstr_for_plural(data, draw):
    return data.replace(b'msgstr[0] "%d file"\nmsgstr[1] "%d file"', b'msgstr "%d file"')


def index_without_plural(data, draw):
    return data.replace(b'msgid "Save"\nmsgstr "Salva"', b'msgid "Save"\nmsgstr[0] "Salva"')


def duplicate_entry(data, draw):
    copy = draw(st.sampled_from([
        b'\nmsgid "Save"\nmsgstr "Salva di nuovo"\n', b'\n#~ msgid "Save"\n#~ msgstr "Salva"\n',
        b'\n#~ msgid "Old"\n#~ msgstr "Vecchio 2"\n', b'\nmsgid ""\nmsgstr "Language: de\\n"\n',
        b'\nmsgctxt "verb"\nmsgid "Post"\nmsgstr "Altro"\n']))
    return data + copy


def repeated_previous(data, draw):
    return data.replace(b'#| msgid "Delete it"', b'#| msgid "Delete it"\n#| msgid "Delete that"')


def bom_crlf(data, draw):
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    lines = data.split(b"\n")
    mode = draw(st.sampled_from(["all", "some", "cr"]))
    if mode == "all":
        return b"\r\n".join(lines)
    if mode == "cr":
        return data.replace(b"\n", b"\r")
    return b"\n".join(line + (b"\r" if i % 3 == 0 else b"") for i, line in enumerate(lines))


def lying_charset(data, draw):
    charset = draw(st.sampled_from([b"ISO-8859-1", b"ASCII", b"KOI8-R", b"UTF-16", b"no-such-charset", b"CHARSET"]))
    return data.replace(b"charset=UTF-8", b"charset=" + charset)


def hostile_domain(data, draw):
    return data.replace(b"X-Domain: tiny", b"X-Domain: " + draw(st.sampled_from(
        [b"../../../../x", b"/abs/x", b"..", b"a/b", b"tiny\\\\..\\\\x"])))


MUTATORS = [truncate, flip_byte, nul, invalid_utf8, surrogate_escape, nested_plurals, broken_plural_rule,
            plural_index_gap, plain_msgstr_for_plural, index_without_plural, duplicate_entry,
            repeated_previous, bom_crlf, lying_charset, hostile_domain]


@st.composite
def damaged_catalogs(draw) -> tuple[list[str], bytes]:
    data, applied = SEED, []
    for _ in range(draw(st.integers(1, 3))):
        mutator = draw(st.sampled_from(MUTATORS))
        data = mutator(data, draw)
        applied.append(mutator.__name__)
    return applied, data


# -- the referee and the plugin ---------------------------------------------------------------------

def msgfmt(po: Path, mo: Path | None = None) -> bool:
    result = subprocess.run(["msgfmt", "-c", "-o", str(mo) if mo else os.devnull, str(po)], capture_output=True)
    return result.returncode == 0


def make_plugin(root: Path, data: bytes) -> Path:
    plugin = root / "wp-content" / "plugins" / "tiny"
    (plugin / "languages").mkdir(parents=True)
    (plugin / "src").mkdir()
    (plugin / "tiny.php").write_text("<?php\n/*\nPlugin Name: Tiny\nVersion: 1.0\nText Domain: tiny\n"
                                     "Domain Path: /languages\n*/\n")
    (plugin / "src" / "index.js").write_text("__('Post', 'tiny');\n")
    (plugin / "languages" / "tiny.pot").write_bytes(TEMPLATE)
    (plugin / "languages" / "tiny-it_IT.po").write_bytes(data)
    return plugin


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_job(job, folder: Path):
    """Run a job; a failure must be a TranskitError and leave ``folder`` untouched."""
    before = snapshot(folder)
    try:
        return job()
    except TranskitError:
        assert snapshot(folder) == before, f"{job} failed but changed files"
        return None


def invoke(*args) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output


def exercise(data: bytes, applied: list[str]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        plugin = make_plugin(root, data)
        po = plugin / "languages" / "tiny-it_IT.po"
        accepted = msgfmt(po, root / "msgfmt.mo")

        [checked] = list(check_paths([po]))
        ours_error = checked.error is not None or checked.errors > 0
        if not accepted:
            assert ours_error, f"{applied}: msgfmt -c rejects it but check found no error"

        compiled = run_job(lambda: compile_catalog(po), plugin)
        if compiled is not None:
            assert not ours_error, f"{applied}: compile wrote files for a catalog check calls erroneous"
            if accepted:
                assert (plugin / "languages" / "tiny-it_IT.mo").read_bytes() == (root / "msgfmt.mo").read_bytes()

        out = root / "out"
        exported = run_job(lambda: export_plugin(plugin, ExportOptions(locale="it_IT", out_dir=out)), plugin)
        if exported is None:
            assert not out.exists() or not any(out.iterdir())
        run_job(lambda: scan_folder(root / "wp-content", seed=True), plugin)
        run_job(lambda: update_translations(plugin, dry_run=True), plugin)
        if checked.error is None:
            load_catalog(po).save()  # a file we can read, we can write back unchanged
            assert po.read_bytes() == data
        for command in (["status", root / "wp-content"], ["scan", root / "wp-content"],
                        ["fill", po, "-l", "it_IT", "--provider", "tm", "--dry-run"],
                        ["check", po], ["review", po, "--approve", "all", "--dry-run"], ["tm", "import", po]):
            invoke(*command)
        # the damaged file as the template a new translation starts from
        (plugin / "languages" / "tiny.pot").write_bytes(data)
        run_job(lambda: init_translation(plugin, "de_DE"), plugin)
        run_job(lambda: update_translations(plugin, dry_run=True), plugin)



@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(damaged_catalogs())
@example(
    case=(['invalid_utf8'],
     b'msgid ""\nmsgstr ""\n"Project-Id-Version: Tiny 1.0\\n"\n"Language: it_IT\\n"\n"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=\xffUTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n"X-Domain: tiny\\n"\n\n#: tiny.php:3\nmsgid "Save"\nmsgstr "Salva"\n\n#: src/index.js:4\nmsgctxt "verb"\nmsgid "Post"\nmsgstr "Pubblica"\n\n#. translators: %d: number of files\n#: tiny.php:9\n#, php-format\nmsgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "%d file"\nmsgstr[1] "%d file"\n\n#: tiny.php:12\n#, fuzzy\n#| msgid "Delete it"\nmsgid "Delete"\nmsgstr "Elimina"\n\n#: tiny.php:14\nmsgid "Citt\xc3\xa0 e perch\xc3\xa9"\nmsgstr "Citt\xc3\xa0 e perch\xc3\xa9 \xe2\x80\x94 ok"\n\n#: tiny.php:15\nmsgid "Untranslated"\nmsgstr ""\n\n#~ msgid "Old"\n#~ msgstr "Vecchio"\n'),
).via('a charset that is no charset name: the .mo must copy the bytes, as msgfmt')
def test_damaged_catalogs_never_crash_or_write_wrong_output(case):
    applied, data = case
    exercise(data, applied)


@pytest.mark.parametrize("mutator", MUTATORS, ids=lambda m: m.__name__)
def test_each_mutator_at_least_once(mutator):
    """Every damage class, deterministically (hypothesis may not draw them all in a short run)."""
    @settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.data())
    def run(data):
        exercise(mutator(SEED, data.draw), [mutator.__name__])

    run()


# -- compiled catalogs in a plugin folder ------------------------------------------------------------

@st.composite
def damaged_mo(draw, valid: bytes) -> bytes:
    data = bytearray(valid)
    kind = draw(st.sampled_from(["truncate", "flip", "header-number", "descriptor"]))
    if kind == "truncate":
        return bytes(data[:draw(st.integers(0, len(data)))])
    if kind == "flip":
        at = draw(st.integers(0, len(data) - 1))
        data[at] ^= draw(st.integers(1, 255))
    elif kind == "header-number":
        struct.pack_into("<I", data, 4 * draw(st.integers(1, 6)),
                         draw(st.sampled_from([0, 1, 29, 0x7FFFFFFF, 0xFFFFFFFF, len(data)])))
    else:
        count = struct.unpack_from("<I", data, 8)[0]
        struct.pack_into("<I", data, 28 + 4 * draw(st.integers(0, 4 * count - 1)),
                         draw(st.sampled_from([0, len(data), 0xFFFFFFF0, 0xFFFFFFFF])))
    return bytes(data)


def test_damaged_mo_files_are_unreadable_never_a_crash(tmp_path):
    po = tmp_path / "seed.po"
    po.write_bytes(SEED.replace(b"Language: it_IT", b"Language: de_DE"))
    subprocess.run(["msgfmt", "-o", str(tmp_path / "seed.mo"), str(po)], check=True)
    valid = (tmp_path / "seed.mo").read_bytes()

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(damaged_mo(valid))
    def run(data):
        with tempfile.TemporaryDirectory() as temporary:
            root = Path(temporary)
            plugin = make_plugin(root, SEED)
            mo = plugin / "languages" / "tiny-de_DE.mo"
            mo.write_bytes(data)
            rejected = subprocess.run(["msgunfmt", "-o", os.devnull, str(mo)], capture_output=True).returncode
            [summary] = scan_folder(root / "wp-content", seed=False)
            [row] = [item for item in summary.locales if mo in item.files.values()]
            if rejected and row.kind == "mo":  # the row's counts come from this .mo
                assert row.error and "tiny-de_DE.mo" in row.error
            invoke("scan", root / "wp-content")
            invoke("status", root / "wp-content")

    run()
