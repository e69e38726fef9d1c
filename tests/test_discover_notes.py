"""What scan and doctor say of catalogs that are not the plugin's own (QA: they were silent):
a second text domain a plugin ships (``acme-blocks-de_DE.po`` in plugin ``acme``), whether the
plugin loads that domain, and a language pack of a plugin that is not installed. Notes, never a
failure: doctor's exit status changes only when WordPress would load the file and cannot use it."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from transkit.cli.main import cli

PO = """msgid ""
msgstr ""
"Language: {locale}\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=n != 1;\\n"

msgid "Hello"
msgstr "Hallo"
"""


@pytest.fixture(autouse=True)
def wide_console(monkeypatch, isolated_home):
    from transkit.cli import common

    monkeypatch.setattr(common.console, "width", 400)  # one line per message: matched whole


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write_po(path, locale="de_DE", compiled=False):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PO.format(locale=locale))
    if compiled:
        subprocess.run(["msgfmt", "-o", str(path.with_suffix(".mo")), str(path)], check=True)
    return path


def make_plugin(wp_content, slug="acme", domain=None, php=""):
    folder = wp_content / "plugins" / slug
    (folder / "languages").mkdir(parents=True)
    (folder / f"{slug}.php").write_text(f"<?php\n/*\nPlugin Name: Acme\nVersion: 1.0\nText Domain: {domain or slug}\n"
                                        f"Domain Path: /languages\n*/\n{php}")
    write_po(folder / "languages" / f"{domain or slug}-de_DE.po", compiled=True)
    return folder


def scanned(path) -> list[dict]:
    result = run("scan", "--json", str(path))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def problems_of(projects, file_name) -> list[dict]:
    return [problem for project in projects for locale in project["locales"]
            if os.path.basename(locale["path"]) == file_name for problem in locale["problems"]]


def test_a_second_text_domain_the_plugin_does_not_load_is_a_note(tmp_path):
    wp_content = tmp_path / "wp-content"
    plugin = make_plugin(wp_content)
    write_po(plugin / "languages" / "acme-blocks-de_DE.po")
    [note] = problems_of(scanned(wp_content), "acme-blocks-de_DE.po")
    assert note["code"] == "other-domain" and note["severity"] == "note"
    assert "text domain 'acme-blocks', not the plugin's 'acme'" in note["message"]
    assert "loaded only if the plugin loads text domain 'acme-blocks'" in note["message"]
    assert "no .mo beside it" in note["message"]
    assert "`transkit export` of the plugin gives back only its 'acme' catalogs" in note["message"]

    shown = run("scan", str(wp_content))
    assert shown.exit_code == 0
    line = next(line for line in shown.output.splitlines() if line.startswith("note:"))
    assert "acme-blocks-de_DE.po: translates the text domain 'acme-blocks'" in line
    assert "other domain; loaded only if the plugin loads it; no .mo" in " ".join(shown.output.split())

    doctor = run("doctor", str(wp_content))
    assert doctor.exit_code == 0, doctor.output  # a note, not a problem
    assert doctor.output.startswith("No problems to fix under ") and "1 note(s)" in doctor.output
    assert "note: " in doctor.output and "acme-blocks-de_DE.po: translates the text domain" in doctor.output
    report = json.loads(run("doctor", "--json", str(wp_content)).output)
    assert [(p["code"], p["severity"], os.path.basename(p["path"])) for p in report["problems"]] == \
        [("other-domain", "note", "acme-blocks-de_DE.po")]


def test_a_second_text_domain_the_plugin_loads_is_checked_like_its_own(tmp_path):
    """load_plugin_textdomain('acme-blocks', …) in the plugin's PHP: WordPress loads it, so a .po
    with no .mo is a problem (doctor exits 1); compiled, it is a note again."""
    wp_content = tmp_path / "wp-content"
    plugin = make_plugin(wp_content)
    (plugin / "includes").mkdir()
    (plugin / "includes" / "blocks.php").write_text(
        "<?php\n// load_textdomain( 'acme-blocks', 'x.mo' ); a comment names it too\n"
        "add_action( 'init', function () {\n"
        "\tload_plugin_textdomain( 'acme-blocks', false, dirname( plugin_basename( __FILE__ ) ) . '/languages' );\n"
        "} );\n")
    po = write_po(plugin / "languages" / "acme-blocks-de_DE.po")
    problems = problems_of(scanned(wp_content), "acme-blocks-de_DE.po")
    assert [p["code"] for p in problems] == ["other-domain", "not-compiled"]
    assert "WordPress loads it, the plugin loads that domain (load_plugin_textdomain in includes/blocks.php:4)" \
        in problems[0]["message"]
    doctor = run("doctor", str(wp_content))
    assert doctor.exit_code == 1
    assert "acme-blocks-de_DE.po has no .mo or .l10n.php beside it" in doctor.output

    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    doctor = run("doctor", "--json", str(wp_content))
    assert doctor.exit_code == 0
    assert {(p["code"], os.path.basename(p["path"])) for p in json.loads(doctor.output)["problems"]} == \
        {("other-domain", "acme-blocks-de_DE.po"), ("other-domain", "acme-blocks-de_DE.mo")}


def test_a_commented_out_load_call_does_not_count(tmp_path):
    wp_content = tmp_path / "wp-content"
    plugin = make_plugin(wp_content, php="// load_plugin_textdomain( 'acme-blocks' );\n"
                                          "/*\n * load_plugin_textdomain( 'acme-blocks' );\n */\n")
    write_po(plugin / "languages" / "acme-blocks-de_DE.po", compiled=True)
    [note] = problems_of(scanned(wp_content), "acme-blocks-de_DE.po")
    assert "loaded only if the plugin loads text domain 'acme-blocks'" in note["message"]
    assert "no .mo" not in note["message"]  # it has one


def test_a_second_text_domain_for_scripts(tmp_path):
    wp_content = tmp_path / "wp-content"
    plugin = make_plugin(wp_content, php="wp_set_script_translations( 'acme-editor', 'acme-blocks', "
                                          "plugin_dir_path( __FILE__ ) . 'languages' );\n")
    write_po(plugin / "languages" / "acme-blocks-de_DE.po")
    [note] = problems_of(scanned(wp_content), "acme-blocks-de_DE.po")
    assert "scripts use that domain (wp_set_script_translations in acme.php:8)" in note["message"]
    assert run("doctor", str(wp_content)).exit_code == 0


def test_language_pack_of_a_plugin_that_is_not_installed(tmp_path):
    wp_content = tmp_path / "wp-content"
    make_plugin(wp_content, slug="acme-pro", domain="acme")  # slug and text domain differ
    packs = wp_content / "languages" / "plugins"
    write_po(packs / "gone-plugin-de_DE.po")
    write_po(packs / "gone-compiled-fr_FR.po", "fr_FR", compiled=True)
    write_po(packs / "acme-de_DE.po", compiled=True)  # installed, by text domain
    for scanned_folder in (wp_content, wp_content / "languages"):  # plugins/ not walked: still known
        projects = scanned(scanned_folder)
        [note] = problems_of(projects, "gone-plugin-de_DE.po")
        assert note["code"] == "not-installed" and note["severity"] == "note"
        assert note["message"] == ("a language pack of 'gone-plugin', a plugin that is not installed (no plugin in "
                                   "wp-content/plugins has that slug or text domain): WordPress never loads it; "
                                   "it has no .mo beside it either")
        # one row for the .po and its .mo, one note (it has a .mo: nothing said of one)
        assert [p["message"].endswith("never loads it") for p in problems_of(projects, "gone-compiled-fr_FR.po")] \
            == [True]
        assert problems_of(projects, "acme-de_DE.po") == []
    shown = run("scan", str(wp_content))
    assert shown.exit_code == 0
    assert "plugin not installed: never loaded; no .mo" in " ".join(shown.output.split())
    assert "note: wp-content/languages/plugins/gone-plugin-de_DE.po: a language pack" in shown.output or \
        f"note: {packs / 'gone-plugin-de_DE.po'}: a language pack" in shown.output
    doctor = run("doctor", str(wp_content))
    assert doctor.exit_code == 0, doctor.output
    assert "gone-plugin-de_DE.po: a language pack of 'gone-plugin'" in doctor.output
    listed = json.loads(run("doctor", "--json", str(wp_content)).output)["problems"]
    assert sorted((os.path.basename(p["path"]), p["code"], p["severity"]) for p in listed) == [
        ("gone-compiled-fr_FR.mo", "not-installed", "note"), ("gone-compiled-fr_FR.po", "not-installed", "note"),
        ("gone-plugin-de_DE.po", "not-installed", "note")]


def test_no_note_where_the_plugins_folder_cannot_say(tmp_path):
    """A copy of languages/ alone: whether the plugin is installed is not known, so nothing is said."""
    write_po(tmp_path / "languages" / "plugins" / "gone-plugin-de_DE.po")
    (tmp_path / "languages" / "themes").mkdir()
    assert problems_of(scanned(tmp_path / "languages"), "gone-plugin-de_DE.po") == []


# -- 80 columns ---------------------------------------------------------------------------------

def narrow(args, cwd):
    env = {**os.environ, "COLUMNS": "80", "TERM": "dumb"}
    return subprocess.run(["transkit", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_scan_and_doctor_at_80_columns(tmp_path):
    """Header titles on one line ('of' above 'template' read as two columns), no line past 80, long
    paths folded after a '/' (never inside a name)."""
    site = tmp_path / "a-rather-long-folder-name-for-a-site" / "another-long-folder-name-inside-it"
    wp_content = site / "wp-content"
    plugin = make_plugin(wp_content, slug="acme-gateway-express-checkout")
    write_po(plugin / "languages" / "acme-blocks-de_DE.po")
    write_po(plugin / "languages" / "acme-gateway-express-checkout_fr_FR.po", "fr_FR")
    write_po(wp_content / "languages" / "plugins" / "gone-plugin-de_DE.po")
    for args, code in ((["scan", str(wp_content)], 0), (["doctor", str(wp_content)], 1)):
        result = narrow(args, tmp_path)
        assert result.returncode == code, result.stderr
        lines = result.stdout.splitlines()
        assert lines and all(cell_len(line) <= 80 for line in lines), [l for l in lines if cell_len(l) > 80]
        unfolded = re.sub(r"/\n\s+", "/", result.stdout)  # a path's lines joined where they were folded
        relative = os.path.relpath(plugin / "languages" / "acme-blocks-de_DE.po", tmp_path)
        assert relative in unfolded, result.stdout
        assert f"{relative}:" in "".join(unfolded.split())
        for line in lines:  # a folded path line starts or ends at a "/" or a space, never mid-name
            if "a-rather-long" in line or "another-long" in line:
                assert re.search(r"(^|\s|/)a-rather-long-folder-name-for-a-site/|another-long-folder-name-inside-it",
                                 line), line
    scan = narrow(["scan", str(wp_content)], tmp_path).stdout.splitlines()
    header = next(line for line in scan if line.startswith("project"))
    assert header.split() == ["project", "kind", "po", "mo", "l10n.php", "of", "pot", "notes"]
    assert not any(line.split() in (["of"], ["template"], ["locale"]) for line in scan)
