"""`transkit tm import` of several files: each is read on its own, one that cannot be read is named
(file, line, why) and the others are still imported (QA: the output did not say whether the files
after a broken one were read); what gives no segment is counted by why (a TMX unit with only a
source ended as "0 segments" without a word)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from transkit.cli.main import cli

PO = """msgid ""
msgstr ""
"Language: it_IT\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=n != 1;\\n"

msgid "Save"
msgstr "{save}"

msgid "Cancel"
msgstr ""

#, fuzzy
msgid "Delete"
msgstr "Elimina"
"""

TMX = """<?xml version="1.0"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en"
 creationtool="t" creationtoolversion="1" o-tmf="t"/>
<body>
<tu><tuv xml:lang="en"><seg>Only a source</seg></tuv></tu>
<tu><tuv xml:lang="de"><seg>Nur ein Ziel</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Hello</seg></tuv><tuv xml:lang="de"><seg>Hallo</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Empty</seg></tuv><tuv xml:lang="de"><seg></seg></tuv></tu>
</body></tmx>
"""


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-it_IT.po").write_text(PO.format(save="Salva"))
    (tmp_path / "bad-it_IT.po").write_text('msgid "x"\nmsgstr "y"\nbroken\n')
    (tmp_path / "c-it_IT.po").write_text(PO.replace('"Save"', '"Save all"').format(save="Salva tutto"))
    (tmp_path / "units.tmx").write_text(TMX)
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def segments() -> dict:
    return {locale: info["segments"] for locale, info in json.loads(run("tm", "stats", "--json").output)["locales"].items()}


def test_a_broken_file_among_several_is_named_and_the_others_are_imported(files):
    result = run("tm", "import", "a-it_IT.po", "bad-it_IT.po", "c-it_IT.po")
    assert result.exit_code == 3
    assert result.output.splitlines() == [
        "a-it_IT.po: 1 segment (not imported: 1 untranslated, 1 fuzzy)",
        "error: bad-it_IT.po:3: expected a quoted string, found ''",
        "c-it_IT.po: 1 segment (not imported: 1 untranslated, 1 fuzzy)",
        "2 of 3 files imported (2 segments); 1 refused (named above)",
    ]
    assert segments() == {"it_IT": 2}  # the file after the broken one was read too


def test_json_says_what_each_file_gave(files):
    result = run("tm", "import", "--json", "a-it_IT.po", "bad-it_IT.po", "units.tmx")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["segments"] == 2 and data["refused"] == 1
    by_name = {item["path"]: item for item in data["files"]}
    assert by_name["a-it_IT.po"]["skipped"] == {"untranslated": 1, "fuzzy": 1}
    assert by_name["bad-it_IT.po"]["error"] == "bad-it_IT.po:3: expected a quoted string, found ''"
    assert by_name["units.tmx"] == {"path": "units.tmx", "segments": 1, "error": None, "skipped": {
        "no translation": 1, "no en source (the header's srclang)": 1, "empty translation": 1}}


def test_tmx_units_that_give_no_segment_are_counted_by_why(files):
    result = run("tm", "import", "units.tmx")
    assert result.exit_code == 0
    assert " ".join(result.output.split()) == (
        "units.tmx: 1 segment (not imported: 1 no translation, 1 no en source (the header's srclang), "
        "1 empty translation)")
    assert segments() == {"de": 1}


def test_a_file_with_no_locale_is_counted_as_refused_not_unreadable(files):
    (files / "nolocale.po").write_text(PO.replace('"Language: it_IT\\n"\n', "").format(save="Salva"))
    result = run("tm", "import", "a-it_IT.po", "nolocale.po")
    assert result.exit_code == 3
    assert ("nolocale.po: the catalog has no Language header; give its locale with --locale"
            in " ".join(result.output.split()))
    assert result.output.splitlines()[-1] == "1 of 2 files imported (1 segment); 1 refused (named above)"
