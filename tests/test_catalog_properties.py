"""Properties of the reader/writer on generated catalogs (hypothesis)."""

from __future__ import annotations

import subprocess

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transkit.catalog import Catalog, Entry, parse_catalog
from transkit.catalog.model import FileStyle

text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x04"), max_size=60)
words = st.lists(st.sampled_from(["alpha", "beta", "%s", "%1$d", "<b>", "</b>", "\\", '"', "\n", "\t", " ", "é", "日本"]),
                 max_size=30).map("".join)
strings = st.one_of(text, words)


@st.composite
def entries(draw):
    msgid = draw(strings.filter(bool))
    plural = draw(st.booleans())
    entry = Entry(
        msgid=msgid,
        msgctxt=draw(st.one_of(st.none(), strings)),
        tcomment=draw(st.sampled_from(["", "translator note", "two\nlines"])),
        comment=draw(st.sampled_from(["", "translators: %s is a name"])),
        references=draw(st.lists(st.sampled_from(["a.php:1", "src/b.js:20", "c.php"]), max_size=3, unique=True)),
        flags=draw(st.lists(st.sampled_from(["fuzzy", "php-format", "no-c-format"]), max_size=2, unique=True)),
    )
    if plural:
        entry.msgid_plural = draw(strings.filter(bool))
        entry.msgstr_plural = {i: draw(strings) for i in range(draw(st.integers(1, 3)))}
    else:
        entry.msgstr = draw(strings)
    entry.obsolete = draw(st.integers(0, 9)) == 0
    return entry


@st.composite
def catalogs(draw):
    header = Entry(msgid="", msgstr="Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=n != 1;\n")
    body = draw(st.lists(entries(), max_size=8, unique_by=lambda e: (e.msgctxt, e.msgid)))
    live = [e for e in body if not e.obsolete]
    style = FileStyle(wrap_width=draw(st.sampled_from([0, 79])), references_per_line=draw(st.booleans()))
    return Catalog([header] + live + [e for e in body if e.obsolete], style=style)


def fields(catalog: Catalog):
    return [e.fields() for e in catalog.all_entries]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_parse_of_write_gives_the_same_catalog_and_writing_twice_changes_nothing(catalog):
    data = catalog.to_bytes()
    parsed = parse_catalog(data)
    assert fields(parsed) == fields(catalog)
    assert parsed.to_bytes() == data


@settings(max_examples=200, deadline=None)
@given(catalogs(), st.data())
def test_an_edit_round_trips_and_only_changes_that_entry(catalog, data):
    original = parse_catalog(catalog.to_bytes())
    live = original.entries
    if not live:
        return
    entry = data.draw(st.sampled_from(live))
    if entry.is_plural:
        entry.msgstr_plural[0] = data.draw(strings)
    else:
        entry.msgstr = data.draw(strings)
    entry.fuzzy = data.draw(st.booleans())
    reparsed = parse_catalog(original.to_bytes())
    assert fields(reparsed) == fields(original)


@settings(max_examples=40, deadline=None)
@given(catalog=catalogs())
def test_gnu_gettext_reads_what_we_write_as_we_do(catalog, tmp_path_factory):
    """msgcat parses our output, and what it writes back means the same to our reader."""
    folder = tmp_path_factory.mktemp("po")
    ours = folder / "ours.po"
    ours.write_bytes(catalog.to_bytes())
    theirs = folder / "theirs.po"
    result = subprocess.run(["msgcat", "--no-wrap", "-o", str(theirs), str(ours)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    if not catalog.entries:
        return  # msgcat writes nothing for a catalog without live messages

    def live(c):
        # msgcat drops untranslated obsolete messages, and the fuzzy flag when msgstr[0] is empty
        for e in c.all_entries:
            if not e.translations[0]:
                e.fuzzy = False
            e.flags.sort()  # msgcat writes "fuzzy" first
        return [e.fields() for e in c.all_entries if not e.obsolete]

    assert live(parse_catalog(theirs.read_bytes())) == live(catalog)
