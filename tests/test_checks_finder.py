"""`transkit check` finds catalogs with the one finder (jobs.catalogs.catalogs_for), on real trees.

Before, check globbed every ``*.po`` itself: it checked the catalogs of libraries under vendor/ and
node_modules/ that no other command looks at. A file named explicitly is still checked whatever its
name, and a template named explicitly is checked as a template."""

from __future__ import annotations

import json

from click.testing import CliRunner

from transkit.cli.main import cli

PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {locale}\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#, php-format
msgid "Deleted %s"
msgstr "{msgstr}"
'''
CLEAN, BROKEN = "%s gelöscht", "gelöscht"  # BROKEN drops the placeholder: an error


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def po(path, locale="de_DE", msgstr=CLEAN):
    return write(path, PO.format(locale=locale, msgstr=msgstr))


def plugin(root, slug):
    write(root / slug / f"{slug}.php", f"<?php\n/*\nPlugin Name: {slug.title()}\nText Domain: {slug}\n*/\n")
    return root / slug


def check(*args):
    result = CliRunner().invoke(cli, ["check", "--json", *map(str, args)])
    return result.exit_code, json.loads(result.output) if result.output.startswith("{") else result.output


def test_catalogs_under_vendor_and_node_modules_are_not_checked(tmp_path):
    foo = plugin(tmp_path, "foo")
    po(foo / "languages" / "foo-de_DE.po")
    po(foo / "vendor" / "acme" / "lib" / "languages" / "lib-de_DE.po", msgstr=BROKEN)
    po(foo / "node_modules" / "x" / "x-fr_FR.po", msgstr=BROKEN)
    code, report = check(foo)
    assert code == 0  # the libraries' broken catalogs were counted before: exit 1
    assert report["catalogs"] == 1 and report["findings"] == []


def test_a_folder_with_several_plugins_checks_each_plugins_catalogs_not_templates(tmp_path):
    po(plugin(tmp_path, "foo") / "languages" / "foo-de_DE.po", msgstr=BROKEN)
    po(plugin(tmp_path, "bar") / "languages" / "bar-fr_FR.po", locale="fr_FR")
    write(tmp_path / "bar" / "languages" / "bar.pot", PO.format(locale="", msgstr=""))
    code, report = check(tmp_path)
    assert code == 1 and report["catalogs"] == 2
    assert report["errors"] == 1
    assert [f["path"] for f in report["findings"] if f["severity"] == "error"] == [
        str(tmp_path / "foo" / "languages" / "foo-de_DE.po")]


def test_a_catalog_named_in_its_header_only_is_found_in_a_folder(tmp_path):
    foo = plugin(tmp_path, "foo")
    po(foo / "languages" / "notes.po", msgstr=BROKEN)  # not named foo-de_DE.po; its header says de_DE
    code, report = check(foo)
    assert code == 1 and report["catalogs"] == 1
    assert report["findings"][0]["path"] == str(foo / "languages" / "notes.po")


def test_a_wp_content_folder_checks_its_language_packs(tmp_path):
    wp_content = tmp_path / "wp-content"
    plugin(wp_content / "plugins", "foo")
    po(wp_content / "languages" / "plugins" / "foo-it_IT.po", locale="it_IT", msgstr=BROKEN)
    code, report = check(wp_content)
    assert code == 1 and report["catalogs"] == 1
    assert report["findings"][0]["path"] == str(wp_content / "languages" / "plugins" / "foo-it_IT.po")


def test_a_file_named_explicitly_is_checked_whatever_its_name_and_alone(tmp_path):
    foo = plugin(tmp_path, "foo")
    write(foo / "languages" / "foo.pot", PO.format(locale="", msgstr=""))
    odd = po(foo / "languages" / "backup.txt", msgstr=BROKEN)
    code, report = check(odd)
    assert code == 1 and report["catalogs"] == 1  # not the template beside it
    assert report["findings"][0]["path"] == str(odd)


def test_a_file_inside_vendor_named_explicitly_is_checked(tmp_path):
    lib = po(plugin(tmp_path, "foo") / "vendor" / "lib" / "lib-de_DE.po", msgstr=BROKEN)
    code, report = check(lib)
    assert code == 1 and report["catalogs"] == 1


def test_a_template_named_explicitly_is_checked_as_a_template(tmp_path):
    pot = write(plugin(tmp_path, "foo") / "languages" / "foo.pot", PO.format(locale="", msgstr=""))
    code, report = check(pot)
    assert code == 0 and report["catalogs"] == 1
    assert not [f for f in report["findings"] if f["check"] == "untranslated"]  # empty msgstr is no fault there


def test_a_path_that_does_not_exist_is_refused_naming_it(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "missing" in result.output
