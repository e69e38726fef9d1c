"""What `transkit compile` tells a person: never nothing (a folder with no PO, a template named by
mistake), and a blocked catalog named as the compiled ones are, inside an 80-column terminal; and
how compile and status name a plugin's language pack."""

from __future__ import annotations

import os

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


def _wordpress_with_a_language_pack(sample_po, tmp_path):
    """wp-content/ with sample_po's quick-notes plugin (its own it_IT catalog) and the de_DE
    language pack WordPress installed for it in wp-content/languages/plugins."""
    import shutil

    wp_content = tmp_path / "wp-content"
    shutil.copytree(sample_po / "quick-notes", wp_content / "plugins" / "quick-notes")
    packs = wp_content / "languages" / "plugins"
    packs.mkdir(parents=True)
    own = wp_content / "plugins" / "quick-notes" / "languages" / "quick-notes-it_IT.po"
    pack = packs / "quick-notes-de_DE.po"
    pack.write_text(own.read_text(encoding="utf-8").replace("Language: it_IT", "Language: de_DE"),
                    encoding="utf-8")
    return wp_content, pack


def test_compile_of_a_plugin_names_the_language_pack_it_compiles_outside_that_folder(sample_po, tmp_path):
    wp_content, pack = _wordpress_with_a_language_pack(sample_po, tmp_path)
    done = transkit_at_80("compile", "plugins/quick-notes", cwd=wp_content)
    assert_fits(done.stdout, "languages/plugins/quick-notes-de_DE.po: 9 strings → .mo, .l10n.php")
    said = " ".join(done.stdout.split())
    assert "(the language pack WordPress installed for quick-notes, outside plugins/quick-notes;" in said
    assert "its next language pack update replaces these files" in said
    own_line = next(line for line in done.stdout.splitlines() if "quick-notes-it_IT.po" in line)
    assert "language pack" not in own_line
    assert pack.with_suffix(".mo").exists()


def test_compile_json_lists_every_catalog_with_its_files_and_where_it_lies(sample_po, tmp_path):
    import json

    wp_content, pack = _wordpress_with_a_language_pack(sample_po, tmp_path)
    done = transkit_at_80("compile", "plugins/quick-notes", "--json", cwd=wp_content)
    report = json.loads(done.stdout)
    by_locale = {item["locale"]: item for item in report["catalogs"]}
    assert by_locale["de_DE"]["origin"] == "wp-languages" and by_locale["de_DE"]["outside_paths"] is True
    assert by_locale["de_DE"]["files"] == [str(pack.with_suffix(".mo")),
                                           str(pack.with_name("quick-notes-de_DE.l10n.php"))]
    assert by_locale["it_IT"]["outside_paths"] is False and by_locale["it_IT"]["strings"] == 9
    assert report["left_out"] == []


def test_compile_json_keeps_the_warning_of_a_catalog_wordpress_never_loads(sample_po, tmp_path):
    import json

    languages = sample_po / "quick-notes" / "languages"
    (languages / "quick-notes-it_IT.po").rename(languages / "quick-notes_it_IT.po")
    text = transkit_at_80("compile", "quick-notes", cwd=sample_po)
    assert "it never loads quick-notes_it_IT.po" in " ".join(text.stderr.split())
    done = transkit_at_80("compile", "quick-notes", "--json", cwd=sample_po)
    [catalog] = json.loads(done.stdout)["catalogs"]
    [problem] = [p for p in catalog["problems"] if p["rename_to"]]
    assert problem["severity"] == "warning" and "it never loads quick-notes_it_IT.po" in problem["message"]
    assert problem["rename_to"] == str(languages / "quick-notes-it_IT.po")


def test_compile_only_reviewed_leaves_a_live_language_pack_as_it_is_and_says_why(sample_po, tmp_path):
    """The pack WordPress loads now: a .mo of only the reviewed strings would turn every other
    translated string English on the site. Without --force it is not compiled, with the count; the
    plugin's own catalog is compiled and says what --only reviewed left out."""
    import json

    wp_content, pack = _wordpress_with_a_language_pack(sample_po, tmp_path)
    env = {**os.environ, "TRANSKIT_DATA_DIR": str(tmp_path / "data")}
    own = "plugins/quick-notes/languages/quick-notes-it_IT.po"  # reviewed there only: none of the pack is
    transkit_at_80("review", own, "--approve", "msgid~note", env=env, cwd=wp_content)
    live = b"the .mo WordPress loads now"
    pack.with_suffix(".mo").write_bytes(live)
    done = transkit_at_80("compile", "plugins/quick-notes", "--only", "reviewed", env=env, cwd=wp_content,
                          returncode=1)
    said = " ".join(done.stderr.split())
    assert "languages/plugins/quick-notes-de_DE.po: not compiled: WordPress loads this language pack" in said
    assert "would leave out 9 translated strings nobody reviewed in transkit" in said and "--force" in said
    assert pack.with_suffix(".mo").read_bytes() == live  # the site keeps its translations
    own_line = next(line for line in done.stdout.splitlines() if "quick-notes-it_IT.po" in line)
    assert "translated but not reviewed, left out (--only reviewed)" in " ".join(done.stdout.split())
    assert "9 strings" not in own_line

    report = json.loads(transkit_at_80("compile", "plugins/quick-notes", "--only", "reviewed", "--json", env=env,
                                       cwd=wp_content, returncode=1).stdout)
    by_locale = {item["locale"]: item for item in report["catalogs"]}
    assert "not compiled" in by_locale["de_DE"]["error"] and by_locale["de_DE"]["files"] == []
    assert by_locale["it_IT"]["unreviewed"] == 9 - by_locale["it_IT"]["strings"] > 0

    forced = transkit_at_80("compile", "plugins/quick-notes", "--only", "reviewed", "--force", env=env,
                            cwd=wp_content)
    assert "quick-notes-de_DE.po: 0 strings → .mo" in " ".join(forced.stdout.split())
    assert pack.with_suffix(".mo").read_bytes() != live


def test_status_marks_the_language_pack_of_a_plugin(sample_po, tmp_path):
    import json

    wp_content, pack = _wordpress_with_a_language_pack(sample_po, tmp_path)
    env = {**os.environ, "TRANSKIT_DATA_DIR": str(tmp_path / "data")}
    done = transkit_at_80("status", "plugins/quick-notes", env=env, cwd=wp_content)
    rows = {line.split()[-11]: line for line in done.stdout.splitlines() if line.rstrip().endswith("75")}
    assert "(pack)" in rows["de_DE"] and "(pack)" not in rows["it_IT"]
    said = " ".join(done.stdout.split())
    assert "(pack): the language pack WordPress installed for its plugin; WordPress loads it before" in said
    assert_fits(done.stdout)
    report = json.loads(transkit_at_80("status", "plugins/quick-notes", "--json", env=env, cwd=wp_content).stdout)
    assert {item["locale"]: item["origin"] for item in report["catalogs"]} == {"de_DE": "wp-languages",
                                                                               "it_IT": "project"}
