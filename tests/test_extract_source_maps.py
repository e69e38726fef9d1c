"""Source maps (``build/index.js.map``): make-pot reads the sources a bundle was built from, so the
strings of a minified build whose ``__()`` calls were renamed are not lost. The fixture plugin ships
only its esbuild output (tests/fixtures/plugins/bundled-blocks/build/README.md says how it was built)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from transkit.catalog import load_catalog
from transkit.cli.main import cli
from transkit.jobs.extract import extract_template
from transkit.upstream.jed_json import build_json_files

BUNDLED = Path(__file__).parent / "fixtures" / "plugins" / "bundled-blocks"

pytestmark = pytest.mark.skipif(shutil.which("php") is None, reason="php-cli is not installed")


@pytest.fixture
def plugin(tmp_path) -> Path:
    target = tmp_path / "bundled-blocks"
    shutil.copytree(BUNDLED, target)
    return target


def built_line(plugin: Path, built: str, literal: str) -> int:
    """The referee for a reference's line: where the built file itself has the string."""
    lines = (plugin / built).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if json.dumps(literal) in line)


def test_the_strings_a_minified_build_renamed_come_from_its_source_map(plugin, tmp_path):
    minified = (plugin / "build" / "index.js").read_text(encoding="utf-8")
    assert '__("Bundled blocks"' not in minified and "translators" not in minified  # what the map is for
    result = extract_template(plugin, output=tmp_path / "out.pot")
    catalog = load_catalog(result.path)
    found = {(e.msgctxt, e.msgid): e for e in catalog.entries}
    assert {key: entry.references for key, entry in found.items() if key[1] != "Title of the blocks"
            and entry.references[0].startswith("build/")} == {
        ("panel state", "Open"): ["build/index.js:1"], ("panel state", "Empty"): ["build/index.js:1"],
        (None, "Bundled blocks"): ["build/index.js:1"], (None, "%d block on this page"): ["build/index.js:1"],
        **{(context, msgid): [f"build/settings.js:{built_line(plugin, 'build/settings.js', msgid)}"]
           for context, msgid in ((None, "Settings saved."), (None, "The settings could not be saved."),
                                  ("settings button", "Reset"))}}
    assert found[(None, "Settings saved.")].references != found[("settings button", "Reset")].references
    plural = found[(None, "%d block on this page")]
    assert plural.msgid_plural == "%d blocks on this page" and "js-format" in plural.flags
    assert plural.comment == "translators: %d: how many blocks the page holds"  # the build dropped it
    assert "Dismiss" not in {e.msgid for e in catalog.entries}  # node_modules/tiny-notices, of its own domain
    assert result.summary.other_domains["tiny-notices"] == 2  # in the build and in its map's source
    assert [str(p) for p in result.problems] == [
        "build/index.js.map: its source src/index.js, line 13: __(): msgid is a variable (label); not extracted"]

    # what WordPress loads for the script is build/index.js's JSON: the map's strings are in it
    catalog.find("Bundled blocks").msgstr = "Gebündelte Blöcke"
    files = {f.source: f for f in build_json_files(catalog, "bundled-blocks-de_DE.po", domain="bundled-blocks")}
    assert files["build/index.js"].name == \
        f"bundled-blocks-de_DE-{hashlib.md5(b'build/index.js').hexdigest()}.json"
    assert "Geb\\u00fcndelte" in files["build/index.js"].content


def test_both_faces_say_what_the_maps_gave_and_what_they_left_out(plugin, tmp_path):
    index_map = json.loads((plugin / "build" / "index.js.map").read_text(encoding="utf-8"))
    index_map["sources"].append("webpack://bundled-blocks/./src/App.vue")  # no JS: not an error, counted
    index_map["sourcesContent"].append("<template><p>{{ __( 'In a Vue template', 'bundled-blocks' ) }}</p>"
                                       "</template>\n")
    (plugin / "build" / "index.js.map").write_text(json.dumps(index_map), encoding="utf-8")
    said = CliRunner().invoke(cli, ["extract", str(plugin), "-o", str(tmp_path / "out.pot")])
    text = " ".join(said.output.split())
    assert said.exit_code == 0, said.output
    assert "1 PHP, 2 JS, 2 source maps (4 sources read; left out: 1 not JS or TS) and 0 JSON files read." in text
    assert "error" not in said.output
    assert "Calls: 11 found (9 in source maps), 8 extracted, 3 skipped" in text
    assert "build/index.js.map: its source src/index.js, line 13: __(): msgid is a variable" in text
    shown = json.loads(CliRunner().invoke(cli, ["extract", str(plugin), "-o", str(tmp_path / "j.pot"),
                                                "--json"]).output)
    assert shown["files"]["js_maps"] == 2
    assert shown["source_maps"] == {"calls": 9, "sources_read": 4, "sources_excluded": 0, "sources_not_js": 1}
    skipped = CliRunner().invoke(cli, ["extract", str(plugin), "-o", str(tmp_path / "s.pot"), "--skip-js",
                                       "--json"])
    assert json.loads(skipped.output)["files"]["js_maps"] == 0
    assert "Bundled blocks" not in (tmp_path / "s.pot").read_text(encoding="utf-8")
    excluded = CliRunner().invoke(cli, ["extract", str(plugin), "-o", str(tmp_path / "x.pot"), "--json",
                                        "--exclude", "src/settings.js,node_modules"])  # sources' paths, as on disk
    assert json.loads(excluded.output)["source_maps"]["sources_excluded"] == 2
    assert "Settings saved." not in (tmp_path / "x.pot").read_text(encoding="utf-8")


def test_a_source_bundled_from_node_modules_ships_in_the_built_file_and_is_read(plugin, tmp_path):
    """A workspace package linked into node_modules/ often shares the plugin's text domain: its
    strings are in build/index.js, whose JSON WordPress loads for the plugin, as make-pot reads them."""
    index_map = json.loads((plugin / "build" / "index.js.map").read_text(encoding="utf-8"))
    at = next(i for i, name in enumerate(index_map["sources"]) if "node_modules" in name)
    index_map["sourcesContent"][at] = index_map["sourcesContent"][at].replace("tiny-notices", "bundled-blocks")
    (plugin / "build" / "index.js.map").write_text(json.dumps(index_map), encoding="utf-8")
    catalog = load_catalog(extract_template(plugin, output=tmp_path / "out.pot").path)
    assert catalog.find("Dismiss").references == ["build/index.js:1"]
    left = extract_template(plugin, output=tmp_path / "left.pot", exclude=("node_modules",))
    assert left.summary.map_sources_excluded == 1
    assert load_catalog(left.path).find("Dismiss") is None


def vlq(*values: int) -> str:
    """A source map segment (Base64 VLQ), for maps written by hand here."""
    digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    out = ""
    for value in values:
        value = (-value << 1) | 1 if value < 0 else value << 1
        while True:
            digit, value = value & 31, value >> 5
            out += digits[digit | (32 if value else 0)]
            if not value:
                break
    return out


def test_a_call_inside_a_jsx_attribute_is_placed_where_the_map_puts_the_call_not_its_element(tmp_path):
    """Babel writes a JSX element's props on lines of their own: the map places the element and the
    __() of its title="" attribute (one source line) on two built lines; the reference is the call's."""
    plugin = tmp_path / "jsx-map"
    (plugin / "build").mkdir(parents=True)
    (plugin / "jsx-map.php").write_text("<?php\n/**\n * Plugin Name: JSX Map\n */\n", encoding="utf-8")
    source = "const Edit = () => <PanelBody title={ __( 'Counter Settings', 'jsx-map' ) }>x</PanelBody>;\n"
    (plugin / "build" / "index.js").write_text(
        "(()=>{var e=window.wp.i18n;const o=()=>React.createElement(PanelBody,{\n"
        'title:(0,e.i)("Counter Settings","jsx-map")},"x");})();\n', encoding="utf-8")
    element, call = source.index("<PanelBody"), source.index("__(")
    (plugin / "build" / "index.js.map").write_text(json.dumps({
        "version": 3, "sources": ["webpack://jsx-map/./src/edit.js"], "sourcesContent": [source],
        "mappings": vlq(40, 0, 0, element) + ";" + vlq(6, 0, 0, call - element)}), encoding="utf-8")
    catalog = load_catalog(extract_template(plugin, output=tmp_path / "t.pot").path)
    assert built_line(plugin, "build/index.js", "Counter Settings") == 2
    assert catalog.find("Counter Settings").references == ["build/index.js:2"]


def test_a_map_the_built_file_does_not_name_is_read_and_said_to_be_maybe_stale(plugin, tmp_path):
    """A dev build with its own inline map beside an older build's .map (pods shipped one): the
    strings are the map's, but the lines it gives may be another build's."""
    index = plugin / "build" / "index.js"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "//# sourceMappingURL=index.js.map", "//# sourceMappingURL=data:application/json;base64,e30="), encoding="utf-8")
    result = extract_template(plugin, output=tmp_path / "out.pot")
    assert [str(p) for p in result.problems if "names" in str(p)] == [
        "build/index.js.map: build/index.js names an inline map as its source map, not this one: this map may be "
        "of another build, so the lines it gives in build/index.js may be wrong"]  # settings.js names its own
    assert load_catalog(result.path).find("Bundled blocks") is not None


def test_a_broken_map_is_an_error_naming_it_and_the_rest_is_read(plugin, tmp_path):
    (plugin / "build" / "settings.js.map").write_text('{"version": 3,\n "sources": [\n', encoding="utf-8")
    index_map = json.loads((plugin / "build" / "index.js.map").read_text(encoding="utf-8"))
    at = next(i for i, name in enumerate(index_map["sources"]) if name.endswith("panel.tsx"))
    broken_line = index_map["sourcesContent"][at].count("\n") + 2
    index_map["sourcesContent"][at] += \
        "\nexport const broken: = _x( 'After the error', 'panel state', 'bundled-blocks' );\n"
    (plugin / "build" / "index.js.map").write_text(json.dumps(index_map), encoding="utf-8")
    out = tmp_path / "out.pot"
    said = CliRunner().invoke(cli, ["extract", str(plugin), "-o", str(out)])
    assert said.exit_code == 1
    errors = [line for line in said.output.splitlines() if line.startswith("error:")]
    assert errors[0].startswith(f"error: build/index.js.map: its source src/panel.tsx, line {broken_line}: "
                                "JavaScript syntax error")
    assert re.match(r"error: build/settings\.js\.map:3: not JSON \(.*\); skipped$", errors[1])
    written = load_catalog(out)
    assert {"Bundled blocks", "Open", "After the error"} <= {e.msgid for e in written.entries}
