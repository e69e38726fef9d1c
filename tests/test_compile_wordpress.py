"""WordPress outputs: .l10n.php read back by real PHP, and JSON named and shaped as make-json does."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from transkit.catalog import Catalog, Entry, load_catalog
from transkit.upstream.jed_json import build_json_files, js_source, write_json_files
from transkit.upstream.l10n_php import php_string, render_l10n_php, write_l10n_php

needs_php = pytest.mark.skipif(shutil.which("php") is None, reason="php-cli is not installed")

HOSTILE = [
    "it's",
    "back\\slash at the end\\",
    "\\'",
    "nul\0inside",
    "closing ?> tag",
    "<?php echo 'owned'; ?>",
    "$x and {$y} and ${z}",
    "line one\nline two\r\nline three\r",
    "'; system('id'); //",
    '"double" and \\n not a newline',
    "\x04ctx-like",
    "tab\there",
    "",
]

HEADER = ("Project-Id-Version: Hostile 1.0\nPOT-Creation-Date: 2024-01-01 00:00+0000\n"
          "PO-Revision-Date: 2024-02-02 10:00+0100\nLanguage: it_IT\n"
          "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=n != 1;\n"
          "X-Domain: hostile\n")


def php_eval_json(php_file: Path) -> dict:
    """Include the file in real PHP and hand back what it returned (as JSON, every key a string)."""
    code = ("$r = include $argv[1]; $m = [];"
            "foreach ($r['messages'] as $k => $v) { $m[] = [(string) $k, $v]; }"
            "$r['messages'] = $m; echo json_encode($r);")
    result = subprocess.run(["php", "-r", code, str(php_file)], capture_output=True, check=True)
    assert result.stderr == b""
    return json.loads(result.stdout)


@needs_php
def test_hostile_strings_survive_the_php_file_exactly(tmp_path):
    entries = [Entry("", HEADER)]
    entries += [Entry(f"msg {i}: {text}", text + "!") for i, text in enumerate(HOSTILE)]
    entries += [Entry(text or "x", "ctx value", msgctxt=f"ctx {text}") for text in HOSTILE[:4]]
    entries.append(Entry("%d file", msgid_plural="%d files", msgstr_plural={0: "un 'file'", 1: "%d file\\"}))
    entries.append(Entry("fuzzy one", "should not appear", flags=["fuzzy"]))
    entries.append(Entry("untranslated", ""))
    catalog = Catalog(entries, path=tmp_path / "hostile-it_IT.po")

    php_file = write_l10n_php(catalog, tmp_path / "hostile-it_IT.l10n.php")
    lint = subprocess.run(["php", "-l", str(php_file)], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr

    returned = php_eval_json(php_file)
    messages = dict(returned.pop("messages"))
    assert returned == {
        "domain": "hostile", "plural-forms": "nplurals=2; plural=n != 1;", "language": "it_IT",
        "project-id-version": "Hostile 1.0", "pot-creation-date": "2024-01-01 00:00+0000",
        "po-revision-date": "2024-02-02 10:00+0100",
    }
    expected = {f"msg {i}: {text}": text + "!" for i, text in enumerate(HOSTILE)}
    expected.update({f"ctx {text}\x04{text or 'x'}": "ctx value" for text in HOSTILE[:4]})
    expected["%d file"] = "un 'file'\0%d file\\"
    assert messages == expected


@needs_php
def test_php_string_literal_round_trips_every_control_character(tmp_path):
    every = "".join(chr(c) for c in range(0, 128)) + "é€😀"
    (tmp_path / "s.php").write_text(f"<?php\nreturn {php_string(every)};\n", encoding="utf-8")
    out = subprocess.run(["php", "-r", "echo include $argv[1];", str(tmp_path / "s.php")],
                         capture_output=True, check=True).stdout
    assert out.decode("utf-8") == every


def test_php_file_has_the_shape_wp_cli_writes(tmp_path):
    catalog = Catalog([Entry("", HEADER), Entry("Hello", "Ciao")], path=tmp_path / "x-it_IT.po")
    assert render_l10n_php(catalog) == (
        "<?php\nreturn ['domain'=>'hostile','plural-forms'=>'nplurals=2; plural=n != 1;',"
        "'language'=>'it_IT','project-id-version'=>'Hostile 1.0',"
        "'pot-creation-date'=>'2024-01-01 00:00+0000','po-revision-date'=>'2024-02-02 10:00+0100',"
        "'messages'=>['Hello'=>'Ciao']];\n")


# -- JSON ----------------------------------------------------------------------------------------

MAKE_JSON_HEADER = ("Language: de_DE\nContent-Type: text/plain; charset=UTF-8\n"
                    "PO-Revision-Date: 2018-05-02T22:06:24+00:00\nX-Domain: foo-plugin\n"
                    "Plural-Forms: nplurals=2; plural=(n != 1);\n")


def test_json_names_follow_the_make_json_rule(tmp_path):
    # expected names are md5 of the reference path, as in WP-CLI's own feature tests
    catalog = Catalog([
        Entry("", MAKE_JSON_HEADER),
        Entry("A", "A-de", references=["a.js:10"]),
        Entry("B", "B-de", references=["b.js:10"]),
        Entry("C", "C-de", references=["a.js:10", "b.js:10"]),
        Entry("D", "D-de", references=["foo-plugin.php:10"]),
    ], path=tmp_path / "foo-plugin-de_DE.po")
    files = {f.name: json.loads(f.content) for f in build_json_files(catalog)}
    assert set(files) == {"foo-plugin-de_DE-95f0a310f289230d56c3a4949c17963e.json",
                          "foo-plugin-de_DE-656ad21ad877025a82411b49aa0f8b88.json"}
    a = files["foo-plugin-de_DE-95f0a310f289230d56c3a4949c17963e.json"]
    assert set(a["locale_data"]["messages"]) == {"", "A", "C"}
    b = files["foo-plugin-de_DE-656ad21ad877025a82411b49aa0f8b88.json"]
    assert set(b["locale_data"]["messages"]) == {"", "B", "C"}


def test_json_content_matches_make_json(tmp_path):
    catalog = Catalog([
        Entry("", MAKE_JSON_HEADER),
        Entry("Foo Plugin (EN)", "Foo Plugin (DE)", msgctxt="Plugin Name", references=["foo-plugin.js:15"]),
        Entry("%d Datei", msgid_plural="%d Dateien", msgstr_plural={0: "%d Datei", 1: "%d Dateien"},
              references=["foo-plugin.js:20"]),
        Entry("Nur PHP", "nur php", references=["foo-plugin.php:3"]),
        Entry("Entwurf", "draft", flags=["fuzzy"], references=["foo-plugin.js:30"]),
    ], path=tmp_path / "foo-plugin-de_DE.po")
    [only_file] = build_json_files(catalog, generator="WP-CLI/2.11.0")
    assert only_file.name == "foo-plugin-de_DE-56746e49c6485323d16a717754b7447e.json"
    assert only_file.content == (
        '{"translation-revision-date":"2018-05-02T22:06:24+00:00","generator":"WP-CLI\\/2.11.0",'
        '"source":"foo-plugin.js","domain":"messages","locale_data":{"messages":{"":{"domain":"messages",'
        '"lang":"de_DE","plural-forms":"nplurals=2; plural=(n != 1);"},'
        '"Plugin Name\\u0004Foo Plugin (EN)":["Foo Plugin (DE)"],"%d Datei":["%d Datei","%d Dateien"]}}}')


def test_minified_references_count_for_their_source_and_domain_prefixes_a_bare_locale_name(tmp_path):
    assert js_source("build/index.min.js") == "build/index.js"
    assert js_source("bar.min.minified.min.js") == "bar.min.minified.js"
    assert js_source("foo-theme.ts") is None and js_source("x.php") is None
    catalog = Catalog([
        Entry("", MAKE_JSON_HEADER.replace("foo-plugin", "foo-theme")),
        Entry("Foo Theme", "Foo Thema", references=["foo-theme.js:15", "build/index.min.js:1"]),
    ], path=tmp_path / "de_DE.po")
    written = write_json_files(catalog, tmp_path)
    assert sorted(p.name for p in written) == sorted([
        "foo-theme-de_DE-557240f2080a0894dbd39f5c2f559bf8.json",  # md5("foo-theme.js"), WP-CLI's test
        "foo-theme-de_DE-dfbff627e6c248bcb3b61d7d06da9ca9.json",  # md5("build/index.js"), from WP-CLI's map test
    ])


@pytest.mark.corpus
def test_json_for_a_real_template_with_js_references(corpus_dir, tmp_path):
    # Build a translated catalog from WooCommerce's real template (every msgstr = msgid upper-cased)
    template = load_catalog(corpus_dir / "wordpress" / "woocommerce" / "woocommerce-9.4.0-rc.1.pot")
    entries = [Entry("", "Language: it_IT\nContent-Type: text/plain; charset=UTF-8\n"
                         "Plural-Forms: nplurals=2; plural=n != 1;\n")]
    for e in template.entries:
        entries.append(Entry(e.msgid, e.msgid.upper(), e.msgid_plural,
                             {0: e.msgid.upper(), 1: e.msgid_plural.upper()} if e.is_plural else {},
                             msgctxt=e.msgctxt, references=list(e.references)))
    catalog = Catalog(entries, path=tmp_path / "woocommerce-it_IT.po")
    files = build_json_files(catalog)
    js_paths = {js_source(p) for e in template.entries for p, _ in e.occurrences} - {None}
    assert len(files) == len(js_paths) > 0
    import hashlib
    for f in files:
        assert f.name == f"woocommerce-it_IT-{hashlib.md5(f.source.encode()).hexdigest()}.json"
        messages = json.loads(f.content)["locale_data"]["messages"]
        for key, forms in messages.items():
            if key:
                assert forms[0] == key.split("\x04")[-1].upper()
