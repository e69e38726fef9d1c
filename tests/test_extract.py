"""Building a plugin's template from its PHP and JS (issues 8 and 13), with GNU msgfmt/msgmerge as referees."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from transkit.catalog import load_catalog
from transkit.cli.main import cli
from transkit.errors import TranskitError
from transkit.jobs.extract import extract_template

FIXTURES = Path(__file__).parent / "fixtures" / "plugins"
SAMPLE_PO = Path(__file__).resolve().parents[1] / "sample_po"

pytestmark = [pytest.mark.skipif(shutil.which("php") is None, reason="php-cli is not installed"),
              pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")]

# (msgctxt, msgid, msgid_plural) of every message of the shop-helper fixture, as WP-CLI make-pot
# would list them: our domain only, no vendor/, tests/ or *.min.js.
SHOP_HELPER_MESSAGES = {
    (None, "Shop Helper", ""),
    (None, "https://example.org/shop-helper", ""),
    (None, "Small helpers for a small shop: delivery notes and stock badges.", ""),
    (None, "Ada Example", ""),
    (None, "https://example.org/ada", ""),
    (None, "Delivery note", ""),
    (None, "Print delivery note", ""),
    (None, "Deliver to %s", ""),
    ("noun: a customer order", "Order", ""),
    ("verb: place an order", "Order", ""),
    ("warehouse quantity", "Stock", ""),
    (None, "%d parcel", "%d parcels"),
    ("shelf label", "%1$d item on %2$s", "%1$d items on %2$s"),
    (None, "Out of stock", ""),
    (None, "Back in stock soon", ""),
    ("shop status", "Open", ""),
    (None, "Remove this item", ""),
    (None, "Quantity", ""),
    ("dialog button", "Close", ""),
    (None, "Line one of the note\nline two of the note", ""),
    (None, 'It\'s "quoted" and 100% sure', ""),
    (None, "Café crème", ""),
    ("verb", "Post", ""),
    (None, "%s parcel waiting", "%s parcels waiting"),
    ("packaging", "%s box", "%s boxes"),
    (None, "Only a few left", ""),
    (None, "Bundled notice", ""),
    ("button label", "Print", ""),
    (None, "%d label", "%d labels"),
    (None, "Added %s to the delivery note", ""),
    (None, "Saving…", ""),
    ("note status", "Draft", ""),
    (None, "%d note", "%d notes"),
    ("table of notes", "%d row", "%d rows"),
}


@pytest.fixture
def shop_helper(tmp_path) -> Path:
    target = tmp_path / "shop-helper"
    shutil.copytree(FIXTURES / "shop-helper", target)
    # folders git would not keep (or must not carry) are made here
    (target / "node_modules" / "left-pad").mkdir(parents=True)
    (target / "node_modules" / "left-pad" / "index.js").write_text(
        "wp.i18n.__( 'From node_modules', 'shop-helper' );\n")
    return target


def messages(catalog) -> set[tuple[str | None, str, str]]:
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalog.entries}


def msgfmt_check(path: Path) -> None:
    done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# -- what the template contains ---------------------------------------------------------------------
def test_template_has_exactly_the_plugins_messages(shop_helper, tmp_path):
    result = extract_template(shop_helper, output=tmp_path / "out.pot")

    catalog = load_catalog(result.path)
    assert messages(catalog) == SHOP_HELPER_MESSAGES
    assert result.entry_count == len(SHOP_HELPER_MESSAGES)
    # the one call of ours whose domain is a variable is named, file and line
    assert [str(p) for p in result.problems if not p.code] == [  # the audit's are below
        "includes/class-shop-helper-cart.php:34: __(): text domain is a variable ($domain); not extracted"]
    assert (result.domain, result.plugin_name) == ("shop-helper", "Shop Helper")
    summary = result.summary
    assert (summary.calls_found, summary.calls_extracted) == (37, 32)
    assert dict(summary.other_domains) == {"woocommerce": 2, "other-plugin": 1}
    msgfmt_check(result.path)


def test_other_domains_vendor_tests_and_minified_files_are_left_out(shop_helper, tmp_path):
    text = extract_template(shop_helper, output=tmp_path / "out.pot").path.read_text(encoding="utf-8")
    for absent in ("Add to cart", "Howdy", "Domain in a variable", "Proceed to checkout",
                   "Vendor string", "Test-only string", "Only in the minified copy", "From node_modules"):
        assert f'"{absent}"' not in text, absent
    assert 'msgctxt "noun"' not in text  # _x('Post', 'noun', 'other-plugin') on the same line as ours
    assert "vendor/" not in text and "node_modules" not in text and ".min.js" not in text


def test_plugin_header_entries_and_translators_comments(shop_helper, tmp_path):
    catalog = load_catalog(extract_template(shop_helper, output=tmp_path / "out.pot").path)

    header_entries = {e.msgid: e for e in catalog.entries if "of the plugin" in e.comment}
    assert {e.comment.split("\n")[0] for e in header_entries.values()} == {
        "Plugin Name of the plugin", "Plugin URI of the plugin", "Description of the plugin",
        "Author of the plugin", "Author URI of the plugin"}
    assert catalog.entries[0].msgid == "Shop Helper"  # header entries come first, as in WP-CLI
    # the plugin name is also used in code: one entry, the header reference first
    assert catalog.find("Shop Helper").references == ["shop-helper.php:3", "shop-helper.php:24"]

    assert catalog.find("Deliver to %s").comment == "translators: %s: customer name"
    assert catalog.find("%d parcel").comment == "translators: %d: number of parcels"
    assert catalog.find("%1$d item on %2$s", "shelf label").comment == \
        "translators: 1: number of items, 2: shelf name"
    assert catalog.find("Only a few left").comment == \
        "Translators: shown on the product page next to the price"
    assert catalog.find("Added %s to the delivery note").comment == "translators: %s: product name"
    assert catalog.find("%d note").comment == "translators: %d: number of notes"
    assert catalog.find("Print delivery note").comment == ""


def test_references_one_per_line_across_php_and_js(shop_helper, tmp_path):
    path = extract_template(shop_helper, output=tmp_path / "out.pot").path
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"^#: \S+ \S", text, re.M)  # never two references on one line
    catalog = load_catalog(path)
    # WP-CLI's flags: php-format / js-format where the msgid has a sprintf placeholder; "100% sure" has none
    assert catalog.find("Deliver to %s").flags == ["php-format"]
    assert catalog.find("%d note").flags == ["js-format"]
    assert catalog.find('It\'s "quoted" and 100% sure').flags == []
    assert catalog.find("Delivery note").flags == []
    assert catalog.find("Delivery note").references == [
        "includes/class-shop-helper-cart.php:9", "templates/stock-badge.php:4", "assets/js/admin.js:13"]
    assert catalog.find("Print", "button label").references == ["assets/dist/index.js:1"]


def test_header_looks_like_wp_cli(shop_helper, tmp_path):
    catalog = load_catalog(extract_template(shop_helper, output=tmp_path / "out.pot").path)
    header = catalog.header
    assert header["Project-Id-Version"] == "Shop Helper 2.4.1"
    assert header["Report-Msgid-Bugs-To"] == "https://wordpress.org/support/plugin/shop-helper"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", header["POT-Creation-Date"])
    assert header["X-Generator"].startswith("transkit ")
    assert header["X-Domain"] == "shop-helper"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert "Language" not in header
    assert catalog.header_entry.tcomment.splitlines()[1] == "This file is distributed under the GPLv2 or later."


def test_default_output_follows_domain_path(shop_helper):
    result = extract_template(shop_helper)
    assert result.path == shop_helper / "languages" / "shop-helper.pot"
    assert result.path.is_file()


def test_domain_option_picks_another_domain(shop_helper, tmp_path):
    catalog = load_catalog(extract_template(shop_helper, domain="woocommerce", output=tmp_path / "wc.pot").path)
    assert {e.msgid for e in catalog.entries if not e.comment.endswith("of the plugin")} == {
        "Add to cart", "Proceed to checkout"}


# -- an older translation against the new template --------------------------------------------------
OLD_ITALIAN = r'''msgid ""
msgstr ""
"Project-Id-Version: Shop Helper 2.3\n"
"Language: it_IT\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=2; plural=n != 1;\n"

#: includes/class-shop-helper-cart.php:8
msgid "Delivery note"
msgstr "Bolla di consegna"

#: includes/class-shop-helper-cart.php:12
msgctxt "noun: a customer order"
msgid "Order"
msgstr "Ordine"

#: includes/class-shop-helper-cart.php:13
msgctxt "verb: place an order"
msgid "Order"
msgstr "Ordina"

#: includes/class-shop-helper-cart.php:16
msgid "%d parcel"
msgid_plural "%d parcels"
msgstr[0] "%d pacco"
msgstr[1] "%d pacchi"

#: includes/class-shop-helper-cart.php:18
msgctxt "shelf label"
msgid "%1$d item on %2$s"
msgid_plural "%1$d items on %2$s"
msgstr[0] "%1$d articolo su %2$s"
msgstr[1] "%1$d articoli su %2$s"

msgid ""
"Line one of the note\n"
"line two of the note"
msgstr ""
"Prima riga della bolla\n"
"seconda riga della bolla"

msgid "It's \"quoted\" and 100% sure"
msgstr "È \"citato\" e sicuro al 100%"

msgid "Café crème"
msgstr "Caffè con panna"

msgctxt "note status"
msgid "Draft"
msgstr "Bozza"

msgid "Saving…"
msgstr "Salvataggio…"

#. Plugin Name of the plugin
msgid "Shop Helper"
msgstr "Aiutante del negozio"

msgid "A string the plugin no longer has"
msgstr "Una stringa sparita"
'''


def test_older_translation_keeps_every_exact_match_under_msgmerge(shop_helper, tmp_path):
    template = extract_template(shop_helper, output=tmp_path / "shop-helper.pot").path
    old_po = tmp_path / "shop-helper-it_IT.po"
    old_po.write_text(OLD_ITALIAN, encoding="utf-8")
    merged = tmp_path / "merged.po"
    done = subprocess.run(["msgmerge", "--no-fuzzy-matching", "-o", str(merged), str(old_po), str(template)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    msgfmt_check(merged)

    old = load_catalog(old_po)
    new = load_catalog(merged)
    kept = 0
    for old_entry in old.entries:
        if old_entry.msgid == "A string the plugin no longer has":
            continue
        new_entry = new.find(old_entry.msgid, old_entry.msgctxt)
        assert new_entry is not None, old_entry.key
        assert not new_entry.fuzzy, old_entry.key
        assert new_entry.translations == old_entry.translations, old_entry.key
        kept += 1
    assert kept == len(old.entries) - 1 == 11
    assert [e.msgid for e in new.obsolete_entries] == ["A string the plugin no longer has"]
    assert messages(new) == SHOP_HELPER_MESSAGES


# -- errors -----------------------------------------------------------------------------------------
def test_missing_php_is_a_clear_error_and_writes_nothing(shop_helper, tmp_path, monkeypatch):
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    with pytest.raises(TranskitError, match=r"PHP \(php-cli\) was not found"):
        extract_template(shop_helper, output=tmp_path / "out.pot")
    assert not (tmp_path / "out.pot").exists()

    result = CliRunner().invoke(cli, ["extract", str(shop_helper), "-o", str(tmp_path / "out.pot")])
    assert result.exit_code != 0
    assert "php-cli" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.pot").exists()


def test_unparsable_php_is_reported_with_file_and_line_and_the_rest_is_kept(shop_helper, tmp_path):
    (shop_helper / "includes" / "broken.php").write_text(
        "<?php\necho __( 'Before the break', 'shop-helper' );\n"
        "echo __( \"Never closed, 'shop-helper' );\n"
        "echo __( 'Swallowed by the open string', 'shop-helper' );\n", encoding="utf-8")
    # an old plugin's file in Latin-1: its ASCII strings are the plugin's as much as any (make-pot
    # reads them); a msgid in Latin-1 bytes no UTF-8 catalog can hold: warned, not extracted
    (shop_helper / "includes" / "latin1.php").write_bytes(
        "<?php\n// D\xe9velopp\xe9 en Latin-1\necho __( 'Caf\xe9 in Latin-1', 'shop-helper' );\n"
        "echo __( 'ASCII in a Latin-1 file', 'shop-helper' );\n".encode("latin-1"))
    (shop_helper / "assets" / "js" / "latin1.js").write_bytes(
        "// \xe9t\xe9\nwp.i18n.__( 'ASCII in a Latin-1 script', 'shop-helper' );\n"
        "wp.i18n.__( 'Caf\xe9 in a script', 'shop-helper' );\n".encode("latin-1"))

    result = extract_template(shop_helper, output=tmp_path / "out.pot")

    [broken] = [str(p) for p in result.errors]
    assert re.fullmatch(r"includes/broken\.php:5: PHP [\d.]+ cannot parse it: Unclosed '\(' on line 3; its strings "
                        r"were read with PHP's lenient tokenizer, check them", broken), broken
    assert [str(p) for p in result.problems if p.path == "includes/latin1.php"] == [
        "includes/latin1.php:2: not valid UTF-8 from this line on (the file is in another encoding?); its strings "
        "were read but for those that are not UTF-8, which are listed",
        "includes/latin1.php:3: __(): msgid is a string that is not valid UTF-8 (the file is in another encoding); "
        "not extracted"]
    assert [str(p) for p in result.problems if p.path == "assets/js/latin1.js"] == [
        "assets/js/latin1.js:1: not valid UTF-8 from this line on (the file is in another encoding?); its strings "
        "were read but for those that are not UTF-8, which are listed",
        "assets/js/latin1.js:3: __(): msgid is a string that is not valid UTF-8 (the file is in another encoding); "
        "not extracted"]
    assert result.summary.skipped["msgid is not valid UTF-8"] == 2
    catalog = load_catalog(result.path)
    # what PHP itself reads as code is kept; the rest of the file is inside the open string
    assert messages(catalog) == SHOP_HELPER_MESSAGES | {(None, "Before the break", ""),
                                                        (None, "ASCII in a Latin-1 file", ""),
                                                        (None, "ASCII in a Latin-1 script", "")}
    msgfmt_check(result.path)


def test_cli_extract_prints_the_count_and_exits_1_on_source_problems(shop_helper):
    runner = CliRunner()
    result = runner.invoke(cli, ["extract", str(shop_helper)])
    assert result.exit_code == 0, result.output
    assert f"{len(SHOP_HELPER_MESSAGES)} entries" in result.output
    assert "shop-helper.pot" in result.output
    flat = " ".join(result.output.split())  # the summary is folded at the terminal's width
    assert "Calls: 37 found, 32 extracted, 5 skipped (3 other text domain: woocommerce 2, other-plugin 1;" in flat
    assert "left out: node_modules/, tests/, vendor/, 1 file." in flat
    assert (shop_helper / "languages" / "shop-helper.pot").is_file()

    (shop_helper / "bad.php").write_text("<?php\n/* never closed\necho __( 'x', 'shop-helper' );\n")
    result = runner.invoke(cli, ["extract", str(shop_helper)])
    assert result.exit_code == 1
    assert re.search(r"bad\.php:2: PHP [\d.]+ cannot parse it: Unterminated comment starting line 2", result.output)


def test_js_parse_error_names_file_and_line_and_the_rest_is_read(shop_helper, tmp_path):
    (shop_helper / "assets" / "js" / "regex.js").write_text(
        "const a = __( 'Before the regex', 'shop-helper' );\nconst r = /never closed\n"
        "const b = __( 'After the regex', 'shop-helper' );\n", encoding="utf-8")
    result = extract_template(shop_helper, output=tmp_path / "out.pot")
    assert [(p.path, p.line, p.severity) for p in result.errors] == [("assets/js/regex.js", 2, "error")]
    assert load_catalog(result.path).find("Before the regex") is not None


# -- the README's sample plugin ----------------------------------------------------------------------
def test_quick_notes_sample_ships_no_template_and_extracts(tmp_path):
    sample = tmp_path / "quick-notes"
    shutil.copytree(SAMPLE_PO / "quick-notes", sample)
    assert not list(sample.rglob("*.pot"))
    result = extract_template(sample)
    assert result.path == sample / "languages" / "quick-notes.pot"
    assert result.problems == []
    msgfmt_check(result.path)
    template = load_catalog(result.path)
    assert any(e.is_plural for e in template.entries) and any(e.msgctxt for e in template.entries)
    assert any(ref.startswith("js/") for e in template.entries for ref in e.references)

    # the partial Italian translation merges without losing a single translated entry
    po = sample / "languages" / "quick-notes-it_IT.po"
    merged = tmp_path / "merged.po"
    subprocess.run(["msgmerge", "--no-fuzzy-matching", "-q", "-o", str(merged), str(po), str(result.path)],
                   check=True)
    old, new = load_catalog(po), load_catalog(merged)
    translated = [e for e in old.entries if e.is_translated() and template.find(e.msgid, e.msgctxt)]
    assert len(translated) == 8
    for entry in translated:
        merged_entry = new.find(entry.msgid, entry.msgctxt)
        assert not merged_entry.fuzzy and merged_entry.translations == entry.translations
    assert [e.msgid for e in new.obsolete_entries] == ["Unpin all notes"]
    assert new.stats().untranslated > 0  # partial on purpose: there is work left for the demo


def test_a_file_name_a_reference_cannot_carry_is_reported_and_the_others_are_kept(shop_helper, tmp_path):
    (shop_helper / "odd\nname.php").write_text("<?php echo __( 'Odd', 'shop-helper' );\n")
    result = extract_template(shop_helper, output=tmp_path / "out.pot")
    assert [str(p) for p in result.errors] == [
        "odd\\nname.php: its name holds a control character (a line break?), which a template reference "
        "cannot carry; skipped"]
    assert messages(load_catalog(result.path)) == SHOP_HELPER_MESSAGES
    msgfmt_check(result.path)


def _files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_folder_without_php_or_js_is_refused_and_nothing_is_written(sample_po):
    """hello-cli is a C program: xgettext for C is the project's business, not `transkit extract`'s."""
    project = sample_po / "hello-cli"
    before = _files_under(project)
    out = subprocess.run(["transkit", "extract", str(project)], capture_output=True, text=True)
    assert out.returncode == 3, out.stdout + out.stderr
    error = out.stderr.strip()
    assert "no PHP or JS sources (found 1 .c files)" in error and "xgettext" in error
    assert "Traceback" not in error and "Wrote" not in out.stdout
    assert _files_under(project) == before
    scan = subprocess.run(["transkit", "scan", str(project)], capture_output=True, text=True)
    assert "yes (0)" not in scan.stdout


def test_sources_without_a_message_of_the_domain_write_no_template(tmp_path):
    plugin = tmp_path / "quiet"
    plugin.mkdir()
    (plugin / "quiet.php").write_text("<?php\n/*\nPlugin: quiet\n*/\necho __( 'Hello', 'other-domain' );\n")
    with pytest.raises(TranskitError, match=r"no messages of text domain 'quiet' in 1 PHP and 0 JS files"):
        extract_template(plugin)
    assert [p.name for p in plugin.iterdir()] == ["quiet.php"]
    assert extract_template(plugin, domain="other-domain").entry_count == 1


def test_sources_without_any_gettext_call_are_refused_without_a_domain_hint(tmp_path):
    """No domain would give a template: the refusal says what is missing, not "give --domain"."""
    project = tmp_path / "plain"
    project.mkdir()
    (project / "helpers.php").write_text("<?php\necho esc_html( $title );\n")
    with pytest.raises(TranskitError, match=r"no gettext calls, header fields or block.json/theme.json strings in "
                                            r"1 PHP and 0 JS files; nothing written$"):
        extract_template(project, domain="sage")
    assert [p.name for p in project.iterdir()] == ["helpers.php"]


def test_a_header_field_in_another_encoding_is_warned_not_extracted_as_mojibake(tmp_path):
    """get_file_data() gives WordPress the field's bytes: "Fran\\xe7ois" in Latin-1 became the msgid
    "Fran\\ufffdois", which nothing ever looks up. A theme's page template the same."""
    plugin = tmp_path / "latin"
    plugin.mkdir()
    (plugin / "latin.php").write_bytes("<?php\n/**\n * Plugin Name: Latin\n * Author: Fran\xe7ois\n */\n"
                                       "__( 'Hello', 'latin' );\n".encode("latin-1"))
    result = extract_template(plugin, output=tmp_path / "out.pot")
    assert {e.msgid for e in load_catalog(result.path).entries} == {"Latin", "Hello"}
    assert "latin.php:4: the Author header is not valid UTF-8; not extracted" in [str(p) for p in result.problems]

    theme = tmp_path / "latin-theme"
    theme.mkdir()
    (theme / "style.css").write_text("/*\nTheme Name: Latin Theme\n*/\n", encoding="utf-8")
    (theme / "index.php").write_text("<?php\n", encoding="utf-8")
    (theme / "page-caf.php").write_bytes("<?php\n/* Template Name: Caf\xe9 */\n".encode("latin-1"))
    (theme / "page-plain.php").write_bytes("<?php\n/* Template Name: Plain */\n// \xe9\n".encode("latin-1"))
    themed = extract_template(theme, output=tmp_path / "theme.pot")
    assert {e.msgid for e in load_catalog(themed.path).entries} == {"Latin Theme", "Plain"}
    assert "page-caf.php:2: the Template Name header is not valid UTF-8; not extracted" in \
        [str(p) for p in themed.problems]
