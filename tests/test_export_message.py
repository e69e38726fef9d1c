"""The maintainer's note (MESSAGE.md), the commit message and export's own lines give numbers in one
unit each, named: strings where strings are counted, and problems as `transkit check` counts them
(a plural string is checked form by form)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner

from transkit.cli.main import cli

RU_PLURAL = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
             "(n%100<10 || n%100>=20) ? 1 : 2);")
HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: Tiny 1.2\\n"\n"Language: ru_RU\\n"\n'
          f'"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {RU_PLURAL}\\n"\n\n')
# 4 strings: "Save " warns once; the plural warns on each of its 3 forms; "%d item" has two empty
# forms (2 errors in 1 string); an obsolete entry is no string of the catalog
BODY = '''msgid "Hello"
msgstr "Привет"

msgid "Save "
msgstr "Сохранить"

#, php-format
msgid "%d file deleted."
msgid_plural "%d files deleted."
msgstr[0] "%d файл удалён"
msgstr[1] "%d файла удалено"
msgstr[2] "%d файлов удалено"

#, php-format
msgid "%d item"
msgid_plural "%d items"
msgstr[0] "%d элемент"
msgstr[1] ""
msgstr[2] ""

#~ msgid "Old"
#~ msgstr "Старый"
'''


def write_plugin(root: Path) -> Path:
    (root / "languages").mkdir(parents=True)
    (root / "tiny.php").write_text("<?php\n/*\nPlugin Name: Tiny\nVersion: 1.2\nText Domain: tiny\n*/\n")
    po = root / "languages" / "tiny-ru_RU.po"
    po.write_text(HEADER + BODY, encoding="utf-8")
    return po


def checked(path: Path) -> dict:
    result = subprocess.run(["transkit", "check", str(path), "--json"], capture_output=True, text=True)
    return json.loads(result.stdout)


def test_the_note_counts_strings_as_strings_and_problems_as_check_does(tmp_path):
    po = write_plugin(tmp_path / "tiny")
    found = checked(po)
    assert (found["errors"], found["warnings"]) == (2, 4)  # per form, as the user sees in `check`

    refused = CliRunner().invoke(cli, ["export", str(tmp_path / "tiny"), "-l", "ru_RU", "--out", str(tmp_path / "out")])
    assert refused.exit_code != 0
    # the same 2 errors `check` printed, in the one string that holds them
    assert "2 error-level problems in 1 string block the export" in refused.output, refused.output

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "tiny"), "-l", "ru_RU", "--out", str(out),
                                      "--force", "--json"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.output[result.output.index("{"):])
    # what went out, checked again by the user: the note's figures are these
    sent = checked(out / "tiny-ru_RU.po")
    assert (sent["errors"], sent["warnings"]) == (0, 4)
    warned_strings = len({(f["msgctxt"], f["msgid"]) for f in sent["findings"]})
    assert (exported["exported"], exported["total"], exported["held_back"]) == (3, 4, 1)
    assert (exported["warnings"], exported["warned_strings"]) == (4, warned_strings) == (4, 2)

    note = " ".join((out / "MESSAGE.md").read_text(encoding="utf-8").split())
    assert "**3 strings newly translated, 0 changed**, 3 of 4 strings translated in total (75.0%)" in note
    assert "Reviewed by a person: 0 of 3 strings (0.0%)" in note
    assert ("no errors; 4 warnings in 2 of the 3 strings (each plural form is checked on its own); likely "
            "fine; `transkit check` lists them") in note
    assert "1 string still needing work was left out on purpose" in note
    assert "(s)" not in note  # every count names its unit, in the singular or the plural


def test_a_clean_export_says_so_in_strings(tmp_path):
    po = write_plugin(tmp_path / "tiny")
    po.write_text(HEADER + 'msgid "Hello"\nmsgstr "Привет"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "tiny"), "-l", "ru_RU", "--out", str(out)])
    assert result.exit_code == 0, result.output
    note = " ".join((out / "MESSAGE.md").read_text(encoding="utf-8").split())
    assert "**1 string newly translated, 0 changed**, 1 of 1 string translated in total" in note
    assert "checked: clean (no errors, no warnings)" in note
