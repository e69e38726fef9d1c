"""`transkit compile` and `transkit export` (files, GlotPress PO), through the real CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner

from transkit.catalog import Catalog, Entry, load_catalog
from transkit.cli.main import cli
from transkit.store.ledger import Ledger
from transkit.upstream.glotpress import glotpress_catalog, plural_mapping

HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: Tiny 1.2\\n"\n"Language: {locale}\\n"\n'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {plural}\\n"\n\n')
EN_PLURAL = "nplurals=2; plural=(n != 1);"


def write_plugin(root: Path, body: str, locale: str = "it_IT", plural: str = EN_PLURAL) -> Path:
    (root / "languages").mkdir(parents=True)
    (root / "tiny.php").write_text("<?php\n/*\nPlugin Name: Tiny\nVersion: 1.2\nText Domain: tiny\n*/\n")
    po = root / "languages" / f"tiny-{locale}.po"
    po.write_text(HEADER.format(locale=locale, plural=plural) + body, encoding="utf-8")
    return po


GOOD = ('#: tiny.php:3\nmsgid "Hello"\nmsgstr "Ciao"\n\n'
        '#: src/index.js:4\nmsgid "Save"\nmsgstr "Salva"\n\n'
        '#, fuzzy\nmsgid "Draft"\nmsgstr "Bozza"\n\n'
        '# transkit: machine draft approved\nmsgid "Bye"\nmsgstr "Ciao ciao"\n\n'
        'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "%d file"\nmsgstr[1] "%d file"\n')
BROKEN = '#, php-format\nmsgid "%s items"\nmsgstr "elementi"\n\n'


def test_compile_writes_mo_php_and_json_next_to_the_po(tmp_path):
    po = write_plugin(tmp_path / "tiny", GOOD)
    result = CliRunner().invoke(cli, ["compile", str(tmp_path / "tiny")])
    assert result.exit_code == 0, result.output
    folder = po.parent
    assert (folder / "tiny-it_IT.mo").exists() and (folder / "tiny-it_IT.l10n.php").exists()
    assert len(list(folder.glob("tiny-it_IT-*.json"))) == 1
    mo_text = subprocess.run(["msgunfmt", str(folder / "tiny-it_IT.mo")], capture_output=True,
                             text=True, check=True).stdout
    assert "Salva" in mo_text and "Bozza" not in mo_text
    assert "4 strings" in result.output


def test_compile_refuses_errors_without_force_and_writes_nothing(tmp_path):
    po = write_plugin(tmp_path / "tiny", GOOD + "\n" + BROKEN)
    result = CliRunner().invoke(cli, ["compile", str(po)])
    assert result.exit_code == 1  # as --help says: error-level problems found
    assert "error-level" in result.output and "--force" in result.output
    assert not (po.parent / "tiny-it_IT.mo").exists()
    forced = CliRunner().invoke(cli, ["compile", "--force", str(po)])
    assert forced.exit_code == 0, forced.output
    assert "1 held back" in forced.output
    assert b"elementi" not in (po.parent / "tiny-it_IT.mo").read_bytes()


def test_compile_reports_a_malformed_catalog_with_its_line(tmp_path):
    po = write_plugin(tmp_path / "tiny", 'msgid "Hello"\nmsgstr "Ciao\n')
    result = CliRunner().invoke(cli, ["compile", str(po)])
    assert result.exit_code == 3
    assert "tiny-it_IT.po:" in result.output and "Traceback" not in result.output


def test_export_files_strip_bookkeeping_and_record_the_favour(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_NAME", "Ada")
    po = write_plugin(tmp_path / "tiny", GOOD)
    original = po.read_bytes()
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "tiny"), "--locale", "it_IT", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert po.read_bytes() == original  # the user's catalog is not rewritten
    exported = (out / "tiny-it_IT.po").read_text(encoding="utf-8")
    assert "transkit" not in exported.lower()
    assert 'msgid "Draft"\nmsgstr ""' in exported  # the fuzzy draft does not travel
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out / "tiny-it_IT.po")], capture_output=True)
    assert check.returncode == 0, check.stderr
    assert {p.name for p in out.iterdir()} >= {"tiny-it_IT.po", "tiny-it_IT.mo", "tiny-it_IT.l10n.php", "MESSAGE.md"}
    message = (out / "MESSAGE.md").read_text(encoding="utf-8")
    assert "Italian" in message and "4 of 5 strings translated" in message
    with Ledger.open() as ledger:
        [record] = ledger.exports("tiny", "it_IT")
    assert record.version == "1.2" and record.counts["exported"] == 4


def export_with_upstream_po(tmp_path, upstream_name: str, upstream_locale: str, entries: str):
    """`export tiny -l it_IT --glotpress --upstream-po <a PO of upstream_locale> --out out`: the
    result and the output folder."""
    write_plugin(tmp_path / "tiny", GOOD)
    upstream = tmp_path / upstream_name
    upstream.write_text(HEADER.format(locale=upstream_locale, plural=EN_PLURAL) + entries, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "tiny"), "-l", "it_IT", "--glotpress",
                                      "--upstream-po", str(upstream), "--out", str(out)])
    return result, out


def test_glotpress_po_skips_strings_translated_upstream(tmp_path):
    result, out = export_with_upstream_po(tmp_path, "upstream.po", "it_IT",
                                          'msgid "Hello"\nmsgstr "Salve"\n\nmsgid "Save"\nmsgstr ""\n')
    assert result.exit_code == 0, result.output
    glot = load_catalog(out / "tiny-it_IT.glotpress.po")
    assert [e.msgid for e in glot.entries] == ["Save", "Bye", "%d file"]
    assert glot.header["Project-Id-Version"] == "Tiny 1.2"  # headers intact
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out / "tiny-it_IT.glotpress.po")],
                           capture_output=True)
    assert check.returncode == 0, check.stderr


def test_glotpress_plural_forms_are_reordered_to_wordpress_order():
    # a catalog whose rule puts "many" first: 0 -> n != 1 forms, 1 -> singular
    odd_rule = "nplurals=2; plural=(n == 1) ? 1 : 0;"
    assert plural_mapping(odd_rule, "nplurals=2; plural=n != 1;") == [1, 0]
    catalog = Catalog([Entry("", f"Language: it_IT\nPlural-Forms: {odd_rule}\n"),
                       Entry("%d file", msgid_plural="%d files", msgstr_plural={0: "%d file (molti)", 1: "%d file (uno)"})])
    glot, report = glotpress_catalog(catalog, catalog.entries, "it_IT")
    assert report.plural_reordered and report.written == 1
    assert glot.entries[0].msgstr_plural == {0: "%d file (uno)", 1: "%d file (molti)"}
    assert glot.plural_forms == "nplurals=2; plural=n != 1;"


def test_glotpress_leaves_out_plurals_that_cannot_be_mapped():
    catalog = Catalog([Entry("", "Language: ru_RU\nPlural-Forms: nplurals=2; plural=(n != 1);\n"),
                       Entry("%d file", msgid_plural="%d files", msgstr_plural={0: "файл", 1: "файлов"}),
                       Entry("Yes", "Да")])
    glot, report = glotpress_catalog(catalog, catalog.entries, "ru_RU")
    assert report.plural_unmappable == 1 and [e.msgid for e in glot.entries] == ["Yes"]


def test_only_reviewed_exports_what_a_person_approved(tmp_path):
    from transkit.store import CatalogKey, ReviewStore

    po = write_plugin(tmp_path / "tiny", GOOD)
    catalog = load_catalog(po)
    with ReviewStore.open() as store:
        key = CatalogKey.for_catalog(catalog)
        store.sync_catalog(catalog, key)
        store.approve(key, [catalog.find("Save")])
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "tiny"), "-l", "it_IT", "--only", "reviewed",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    mo_text = subprocess.run(["msgunfmt", str(out / "tiny-it_IT.mo")], capture_output=True, text=True,
                             check=True).stdout
    assert "Salva" in mo_text and "Ciao" not in mo_text
    assert "1 reviewed" in result.output


def test_glotpress_since_last_sends_only_what_changed(tmp_path):
    po = write_plugin(tmp_path / "tiny", GOOD)
    out = tmp_path / "out"
    args = ["export", str(tmp_path / "tiny"), "-l", "it_IT", "--glotpress", "--since-last", "--out", str(out)]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert len(load_catalog(out / "tiny-it_IT.glotpress.po").entries) == 4
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Salva"', 'msgstr "Salva ora"'), encoding="utf-8")
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert [e.msgid for e in load_catalog(out / "tiny-it_IT.glotpress.po").entries] == ["Save"]
    assert "1 changed" in second.output


def test_export_of_a_folder_with_several_plugins_lists_them_and_writes_nothing(sample_po, tmp_path):
    out = tmp_path / "out"
    command = ["transkit", "export", str(sample_po), "--locale", "it_IT", "--out", str(out)]
    refused = subprocess.run(command, capture_output=True, text=True)
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert "holds several projects (hello-cli, pocket-events, quick-notes, tiny-gallery)" in refused.stderr
    assert "--project" in refused.stderr and "Traceback" not in refused.stderr
    assert not out.exists()
    chosen = subprocess.run(command + ["--project", "quick-notes"], capture_output=True, text=True)
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.startswith("Quick Notes it_IT:") or "quick-notes" in chosen.stdout.lower()
    assert (out / "quick-notes-it_IT.mo").exists()


# -- --force leaves failing strings out: each one is named (line, msgid, reason), not only counted --
def test_compile_force_names_each_string_it_leaves_out(tmp_path):
    po = write_plugin(tmp_path / "tiny", GOOD + "\n" + BROKEN)
    line = next(n for n, text in enumerate(po.read_text().splitlines(), 1) if text == 'msgid "%s items"')
    forced = CliRunner().invoke(cli, ["compile", "--force", str(po)])
    assert forced.exit_code == 0, forced.output
    assert f"left out by errors: line {line}: \"%s items\": php-format" in forced.output


def test_export_force_names_each_string_it_leaves_out_in_text_and_json(tmp_path):
    import json

    po = write_plugin(tmp_path / "tiny", GOOD + "\n" + BROKEN)
    line = next(n for n, text in enumerate(po.read_text().splitlines(), 1) if text == 'msgid "%s items"')
    refused = CliRunner().invoke(cli, ["export", str(tmp_path / "tiny"), "--locale", "it_IT",
                                       "--out", str(tmp_path / "out")])
    assert refused.exit_code != 0 and f"line {line}" in refused.output
    forced = CliRunner().invoke(cli, ["export", str(tmp_path / "tiny"), "--locale", "it_IT", "--force",
                                      "--out", str(tmp_path / "out")])
    assert forced.exit_code == 0, forced.output
    assert f"left out by errors: line {line}: \"%s items\": php-format" in forced.output
    again = CliRunner().invoke(cli, ["export", str(tmp_path / "tiny"), "--locale", "it_IT", "--force",
                                     "--out", str(tmp_path / "out2"), "--json"])
    report = json.loads(again.stdout)
    assert report["blocked"] == 1
    [blocked] = report["blocked_strings"]
    assert blocked["line"] == line and blocked["msgid"] == "%s items" and blocked["msgctxt"] is None
    assert "php-format" in blocked["reason"]


def test_compile_names_a_catalog_it_leaves_out_for_want_of_a_locale(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # paths shown short: a long one folds at a "/"
    po = write_plugin(tmp_path / "tiny", GOOD)
    nameless = po.parent / "tiny.po"
    nameless.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                        'msgid "Hello"\nmsgstr "Ciao"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["compile", "tiny"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "4 strings" in text  # the catalog with a locale is compiled
    assert "left out: tiny/languages/tiny.po: no locale" in text
    assert not (po.parent / "tiny.mo").exists()


def test_an_upstream_po_of_another_language_is_refused_before_anything_is_written(tmp_path):
    result, out = export_with_upstream_po(tmp_path, "tiny-fr_FR.po", "fr_FR", 'msgid "Hello"\nmsgstr "Bonjour"\n')
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "--upstream-po" in text and "fr_FR" in text and "it_IT" in text
    assert not out.exists()


def test_a_glotpress_export_saying_only_the_language_is_taken_for_its_locale(tmp_path):
    # translate.wordpress.org writes "Language: de" into a de_DE export
    write_plugin(tmp_path / "tiny", GOOD)
    upstream = tmp_path / "wp-plugins-tiny-stable-it.po"
    upstream.write_text(HEADER.format(locale="it", plural=EN_PLURAL) + 'msgid "Hello"\nmsgstr "Salve"\n',
                        encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "tiny"), "-l", "it_IT", "--glotpress",
                                      "--upstream-po", str(upstream), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Hello" not in [e.msgid for e in load_catalog(tmp_path / "out" / "tiny-it_IT.glotpress.po").entries]


def test_compile_of_one_string_says_string(tmp_path):
    po = write_plugin(tmp_path / "tiny", 'msgid "Hello"\nmsgstr "Ciao"\n')
    result = CliRunner().invoke(cli, ["compile", str(po)])
    assert result.exit_code == 0, result.output
    assert ": 1 string → .mo, .l10n.php" in result.output


def test_a_folder_export_of_core_names_the_locale_catalogs_it_does_not_give_back(tmp_path):
    import json

    languages = tmp_path / "wp-content" / "languages"
    languages.mkdir(parents=True)
    (tmp_path / "wp-content" / "plugins").mkdir()
    for name in ("de_DE.po", "admin-de_DE.po"):
        (languages / name).write_text(HEADER.format(locale="de_DE", plural=EN_PLURAL)
                                      + 'msgid "Hello"\nmsgstr "Hallo"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(languages), "-l", "de_DE", "--project", "wordpress",
                                      "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["po"] == str(languages / "de_DE.po")
    [notice] = [n for n in report["notices"] if n.startswith("not exported")]
    assert "admin-de_DE.po (domain admin)" in notice and "naming its file" in notice
    assert "not exported: admin-de_DE.po" in " ".join(result.stderr.split())


def test_an_export_with_no_catalog_of_the_locale_names_the_files_that_nearly_are(tmp_path, monkeypatch):
    """A de_DE translation named after another text domain, or with only its language in the name,
    and a catalog nothing gives a locale: the refusal names each, with what to rename it to, in text
    and in --json, instead of only 'no de_DE catalog found'."""
    monkeypatch.chdir(tmp_path)
    po = write_plugin(tmp_path / "tiny", GOOD, locale="de_DE")
    po.rename(po.parent / "tinyplugin-de.po")
    (po.parent / "notes.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                         'msgid "Hello"\nmsgstr "Hallo"\n', encoding="utf-8")
    out = tmp_path / "out"
    refused = CliRunner().invoke(cli, ["export", "tiny", "--locale", "de_DE", "--out", str(out)])
    text = " ".join(refused.output.split())
    assert refused.exit_code == 5, refused.output
    assert ("languages/tinyplugin-de.po is of locale de and text domain 'tinyplugin' "
            "(name it tiny-de_DE.po to give it back)") in text
    assert "languages/notes.po: no locale" in text
    assert "Traceback" not in refused.output and not out.exists()
    as_json = CliRunner().invoke(cli, ["export", "tiny", "--locale", "de_DE", "--out", str(out), "--json"])
    message = json.loads(as_json.stdout)["error"]["message"]
    assert "tinyplugin-de.po is of locale de" in message and "notes.po: no locale" in message
