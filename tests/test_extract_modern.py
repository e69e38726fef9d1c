"""Extraction of modern WordPress sources (issue 13): PHP 7.3 heredocs and PHP 8 syntax, JS/TS/JSX and
bundler output, block.json and theme.json — with PHP's own tokenizer as the referee for every PHP string."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from transkit.catalog import load_catalog
from transkit.catalog.extract.php import scan_php_files
from transkit.cli.main import cli
from transkit.jobs.extract import extract_template

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_PO = Path(__file__).resolve().parents[1] / "sample_po"
MODERN_SHOP = FIXTURES / "plugins" / "modern-shop"
MODERN_THEME = FIXTURES / "themes" / "modern-theme"

pytestmark = [pytest.mark.skipif(shutil.which("php") is None, reason="php-cli is not installed"),
              pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")]


def keys(catalog) -> set[tuple[str | None, str, str]]:
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalog.entries}


def msgfmt_check(path: Path) -> None:
    done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def modern_shop(tmp_path) -> Path:
    target = tmp_path / "modern-shop"
    shutil.copytree(MODERN_SHOP, target)
    return target


# -- the modern plugin ------------------------------------------------------------------------------
MODERN_SHOP_PHP = {
    (None, "Your order is on its way.\n  It left the warehouse today.", ""),  # flexible heredoc
    (None, 'Prices are shown "as is" \\n without tax.', ""),  # nowdoc: no escapes
    (None, "String after the heredocs", ""),
    (None, 'Say "cheese" A\U0001F600 $5 \\ and \\\\', ""),
    (None, "It's a \\ backslash and a \\n that stays", ""),
    (None, "%1$s bought %2$d items", ""),
    (None, "Shipped on %s", ""),
    ("date suffix", "%s (local time)", ""),
    (None, "%d parcel", "%d parcels"),
    ("packaging", "One box", "%d boxes"),
    (None, "%s coupon", "%s coupons"),
    ("delivery window", "%s slot", "%s slots"),
    (None, "Checkout", ""),
    ("page title", "Checkout", ""),
    (None, "Search products", ""),
    ("verb", "Filter", ""),
    (None, "Your cart is empty.", ""),
    (None, "Quantity", ""),
    ("badge", "Sale", ""),
    (None, "Inside an HTML template", ""),
    (None, "Short echo tag", ""),
    (None, "Back in PHP after HTML", ""),
    (None, "%1$s for %2$s", ""),
    (None, "Coupon %s applied", ""),
    (None, "Open for orders", ""),  # in a match arm of an enum method
    ("shop status", "Closed", ""),
    (None, "Guest", ""),  # after ?->
    (None, "%d item in your cart", "%d items in your cart"),  # in an arrow function
    (None, "Named arguments work", ""),
    ("named", "Out of order", ""),
    (None, "String after the PHP 8 constructs", ""),
    (None, "After the dynamic calls", ""),
    (None, "Fully qualified call", ""),
}
MODERN_SHOP_JS = {
    (None, "Shop settings", ""),
    (None, "%d product", "%d products"),
    ("button", "Save", ""),
    (None, "Template literal without substitution", ""),
    (None, "Escapes: 'single' \u00e9 A", ""),
    (None, "Order limit", ""),  # TypeScript
    (None, "Unnamed setting", ""),
    (None, "Panel in TSX", ""),
    (None, "Bundled by babel", ""),  # (0, e.__)(…)
    ("with context", "Bundled", ""),
    (None, "Webpack 4 object call", ""),  # Object(e.__)(…)
    (None, "%d bundled item", "%d bundled items"),  # Object(m["_n"])(…)
    (None, "Minified %s", ""),
    (None, "Global wp.i18n", ""),
}
MODERN_SHOP_BLOCK = {
    ("block title", "Shop notice", ""), ("block description", "A notice shown above the cart.", ""),
    ("block keyword", "cart", ""), ("block keyword", "alert", ""),
    ("block style label", "Plain", ""), ("block style label", "Loud", ""),
    ("block variation title", "Sale notice", ""), ("block variation description", "Announces a sale.", ""),
    ("block variation keyword", "discount", ""),
}
MODERN_SHOP_HEADER = {
    (None, "Modern Shop", ""), (None, "https://example.org/modern-shop", ""),
    (None, "A shop written in PHP 8: enums, match, attributes and flexible heredocs.", ""),
    (None, "Bea Example", ""), (None, "https://example.org/bea", ""),
}


def test_modern_plugin_template_has_every_string_and_nothing_else(modern_shop, tmp_path):
    result = extract_template(modern_shop, output=tmp_path / "modern-shop.pot")
    catalog = load_catalog(result.path)
    assert keys(catalog) == MODERN_SHOP_PHP | MODERN_SHOP_JS | MODERN_SHOP_BLOCK | MODERN_SHOP_HEADER
    msgfmt_check(result.path)

    # a call whose msgid (or domain, or context) is not a literal is named with file and line
    assert [str(p) for p in result.problems if not p.code] == [  # the audit's are below
        "includes/dynamic.php:7: __(): msgid is a variable ($label); not extracted",
        "includes/dynamic.php:8: __(): msgid is a concatenation; not extracted",
        "includes/dynamic.php:9: __(): msgid is a string with interpolation; not extracted",
        "includes/dynamic.php:10: __(): msgid is a heredoc with interpolation; not extracted",
        "includes/dynamic.php:13: __(): text domain is a constant (DOMAIN); not extracted",
        "includes/dynamic.php:14: _x(): context is a variable ($label); not extracted",
        "src/editor.jsx:11: __(): msgid is a template string with ${…}; not extracted",
    ]
    assert result.errors == []
    summary = result.summary
    assert summary.calls_extracted == len(MODERN_SHOP_PHP | MODERN_SHOP_JS)  # one call per string here
    assert dict(summary.skipped) == {
        "msgid is not a literal string": 5, "text domain is not a literal string": 1,
        "context or plural is not a literal string": 1, "other text domain": 2, "empty msgid": 1,
        "no text domain (WordPress core's)": 3}  # one __(), the two methods named like it
    assert summary.calls_found == summary.calls_extracted + sum(summary.skipped.values())
    assert dict(summary.other_domains) == {"other-plugin": 1, "woocommerce": 1}
    assert dict(summary.json_skipped) == {"other-plugin": 1}  # blocks/foreign/block.json
    text = result.path.read_text(encoding="utf-8")
    for absent in ("Only in the minified copy", "Someone else's block", "not a gettext call",
                   "Not WordPress", "Not translated: an attribute", "Belongs to another plugin"):
        assert absent not in text


def one_file_plugin(folder: Path, name: str, body: str) -> Path:
    """A plugin of one PHP file: its 5-line header (Plugin Name, Text Domain: the folder's name), then ``body``."""
    folder.mkdir(parents=True)
    (folder / f"{folder.name}.php").write_text(
        f"<?php\n/*\n * Plugin Name: {name}\n * Text Domain: {folder.name}\n */\n{body}", encoding="utf-8")
    return folder


def test_comments_flags_and_references_as_wp_cli_writes_them(modern_shop, tmp_path):
    catalog = load_catalog(extract_template(modern_shop, output=tmp_path / "t.pot").path)
    find = catalog.find
    # translators: comments on the line before, above the statement, inside a multi-line call, in JSX
    assert find("%1$s bought %2$d items").comment == "translators: 1: customer name, 2: number of items"
    assert find("Shipped on %s").comment == "translators: %s: a date"
    assert find("%d parcel").comment == "translators: %d: number of parcels"
    assert find("%d product").comment == "translators: %d: number of products"
    assert find("Minified %s").comment == "translators: %s: minified"
    assert find("%1$s for %2$s").comment == "translators: 1: a product name, 2: its price"  # multi-line
    assert find("Coupon %s applied").comment == "translators: %s: a coupon code"  # above the printf(
    assert find("%s (local time)", "date suffix").comment == ""  # the comment went to the call it precedes
    assert find("Modern Shop").comment == "Plugin Name of the plugin"
    # php-format / js-format where the msgid has a placeholder (WP-CLI looks at the singular only)
    assert find("%1$s bought %2$d items").flags == ["php-format"]
    assert find("%d product").flags == ["js-format"]
    assert find("One box", "packaging").flags == []
    assert find("Checkout").flags == []
    # one reference per call, header fields with the line of the header, JSON files without a line
    assert find("Modern Shop").references == ["modern-shop.php:3"]
    assert find("Search products").references == ["includes/notices.php:41"]
    assert find("Shop notice", "block title").references == ["blocks/notice/block.json"]
    assert find("Bundled by babel").references == ["build/index.js:1"]


def test_a_comment_belongs_to_every_call_on_the_line_under_it_as_make_pot_gives_it(tmp_path):
    """make-pot relates the last translators: comment to each call that starts on the line it ends
    on or the next one: both strings of a line under one comment get it; a call a line further down
    does not."""
    plugin = one_file_plugin(tmp_path / "two-calls", "Two Calls",
        "/* translators: %s: a name */\n"
        "printf( __( 'Hello %s', 'two-calls' ) . ' ' . esc_html__( 'Bye %s', 'two-calls' ), $name );\n"
        "// translators: %d: a count\n"
        "echo _n( '%d cat', '%d cats', $n, 'two-calls' ); echo __( 'After %d', 'two-calls' );\n"
        "echo __( 'On the line after that', 'two-calls' );\n"
        "/* translators: another */ echo __( 'Same line', 'two-calls' ), __( 'Also the same line', 'two-calls' );\n")
    catalog = load_catalog(extract_template(plugin, output=tmp_path / "t.pot").path)
    comments = {entry.msgid: entry.comment for entry in catalog.entries if entry.msgid != "Two Calls"}
    assert comments == {"Hello %s": "translators: %s: a name", "Bye %s": "translators: %s: a name",
                        "%d cat": "translators: %d: a count", "After %d": "translators: %d: a count",
                        "On the line after that": "", "Same line": "translators: another",
                        "Also the same line": "translators: another"}


def test_a_comment_repeated_on_a_call_is_written_once_where_the_string_recurs(tmp_path):
    """A bundler copies a comment (``/* translators: Remove chip. */ /* translators: Remove chip. */``);
    make-pot writes each comment of an entry once, however many of its calls repeat it."""
    twice = "/* translators: Remove chip. */ /* translators: Remove chip. */\n"
    plugin = one_file_plugin(tmp_path / "twice", "Twice", f"__( 'Remove', 'twice' );\n{twice}__( 'Once', 'twice' );\n")
    (plugin / "app.js").write_text(f"{twice}__( 'Remove', 'twice' );\n", encoding="utf-8")
    catalog = load_catalog(extract_template(plugin, output=tmp_path / "t.pot").path)
    assert catalog.find("Remove").comment == catalog.find("Once").comment == "translators: Remove chip."
    assert catalog.find("Remove").references == ["twice.php:6", "app.js:2"]


def test_a_comment_above_the_statement_yields_to_the_call_s_own(tmp_path):
    """A comment above ``$x = sprintf(`` goes to the __() lines below only when that call has no
    comment of its own (woocommerce's rating counter: "%s: rating" landed on a reviews count too)."""
    plugin = one_file_plugin(tmp_path / "own", "Own",
        "/* translators: %s: rating */\n"
        "$count = sprintf(\n"
        "\t/* translators: %s: how many reviews */\n"
        "\t_n( '(%s customer review)', '(%s customer reviews)', $n, 'own' ),\n"
        "\t$n );\n"
        "/* translators: %s: a rating */\n"
        "$rated = sprintf(\n"
        "\t\n"
        "\t__( 'Rated %s', 'own' ), $r );\n")
    catalog = load_catalog(extract_template(plugin, output=tmp_path / "t.pot").path)
    assert catalog.find("(%s customer review)").comment == "translators: %s: how many reviews"
    assert catalog.find("Rated %s").comment == "translators: %s: a rating"


def test_an_interpolated_string_s_braces_end_no_statement(tmp_path):
    """The } of "code_{$this->type}" closes the interpolation, not a statement: a comment above it
    is not the comment of a call further down in the same statement (woocommerce's REST controller
    gave "translators: %d parent ID." to a string without %d)."""
    plugin = one_file_plugin(tmp_path / "braces", "Braces",
        "function a() {\n"
        "\treturn new WP_Error(\n"
        "\t\t// translators: %d parent ID.\n"
        "\t\t\"code_{$this->post_type}_x\",\n"
        "\t\t__( 'Invalid parent product.', 'braces' )\n"
        "\t);\n"
        "}\n"
        "return new WP_Error(\n"
        "\t/* translators: a heredoc's. */ <<<EOT\n"
        "\t{$x}\n"
        "\tEOT, __( 'After a heredoc.', 'braces' ) );\n"
        "// translators: %s: a type.\n"
        "$message = sprintf( \"{$prefix}: \" .\n"
        "\t__( 'Type %s', 'braces' ), $type );\n")
    catalog = load_catalog(extract_template(plugin, output=tmp_path / "t.pot").path)
    assert {catalog.find("Invalid parent product.").comment, catalog.find("After a heredoc.").comment} == {""}
    assert catalog.find("Type %s").comment == "translators: %s: a type."


def test_in_js_a_comment_belongs_to_one_call_as_make_pot_gives_it(tmp_path):
    """make-pot's JS scanner gives a translators: comment to the first call it precedes and to no
    other (a minified bundle holds a whole plugin on one line under one comment)."""
    plugin = one_file_plugin(tmp_path / "js-calls", "JS Calls", "")
    (plugin / "app.js").write_text(
        "/* translators: %s: a name */\n"
        "__( 'Hello %s', 'js-calls' ); __( 'Second on the line', 'js-calls' );\n"
        "__( 'Next line', 'js-calls' );\n"
        "// translators: %d: a count\n"
        "sprintf( _n( '%d cat', '%d cats', n, 'js-calls' ), n );\n", encoding="utf-8")
    catalog = load_catalog(extract_template(plugin, output=tmp_path / "t.pot").path)
    comments = {entry.msgid: entry.comment for entry in catalog.entries if entry.msgid != "JS Calls"}
    assert comments == {"Hello %s": "translators: %s: a name", "Second on the line": "", "Next line": "",
                        "%d cat": "translators: %d: a count"}


def test_modern_theme_headers_patterns_and_theme_json(tmp_path):
    result = extract_template(MODERN_THEME, output=tmp_path / "modern-theme.pot")
    catalog = load_catalog(result.path)
    assert keys(catalog) == {
        (None, "Modern Theme", ""), (None, "https://example.org/modern-theme", ""),
        (None, "A block theme with style variations and patterns.", ""), (None, "Cleo Example", ""),
        (None, "https://example.org/cleo", ""),
        ("Pattern title", "Hero banner", ""), ("Pattern description", "A large heading with a button.", ""),
        (None, "Full width", ""),
        (None, "Primary menu", ""), (None, "Footer text after a heredoc", ""), ("hero heading", "Welcome", ""),
        (None, "Nothing here yet.", ""),
        ("Style variation name", "Dark", ""), ("Style variation description", "Light text on a dark background.", ""),
        ("Color name", "Night", ""), ("Color name", "Base", ""), ("Color name", "Contrast", ""),
        ("Gradient name", "Dusk", ""), ("Font size name", "Small", ""), ("Font family name", "Serif", ""),
        ("Space size name", "Medium", ""), ("Shadow name", "Soft", ""), ("Color name", "Button accent", ""),
        ("Custom template name", "Blank page", ""), ("Template part name", "Site header", ""),
    }
    assert catalog.find("Modern Theme").comment == "Theme Name of the theme"
    assert catalog.find("Full width").comment == "Template Name of the theme"
    assert catalog.find("Full width").references == ["templates/full-width.php:3"]
    assert catalog.header["Report-Msgid-Bugs-To"] == "https://wordpress.org/support/theme/modern-theme"
    assert catalog.header["Project-Id-Version"] == "Modern Theme 1.2.0"
    msgfmt_check(result.path)
    # the order WP-CLI 2.12 / i18n-command 2.7 wrote them in (run on this fixture): a page template's
    # and a pattern's headers come with their file's calls, every theme.json before styles/*.json
    assert [e.msgid for e in catalog.entries][5:] == [
        "Primary menu", "Footer text after a heredoc", "Hero banner", "A large heading with a button.", "Welcome",
        "Full width", "Nothing here yet.", "Base", "Contrast", "Dusk", "Small", "Serif", "Medium", "Soft",
        "Button accent", "Blank page", "Site header", "Dark", "Light text on a dark background.", "Night"]


def test_files_are_read_in_the_order_php_sorts_them_for_wp_cli(tmp_path):
    """make-pot sorts the files with PHP's sort(SORT_NATURAL | SORT_FLAG_CASE): numbers by value,
    letters without case. PHP itself is the referee."""
    names = ["screen-10.php", "screen-9.php", "Zeta.php", "alpha.php", "inc/b2.php", "inc/B10.php", "inc-old.php",
             "_inc/ajax.php", "groups/g.php", "[x].php", "~tilde.php", "été.php", "ß.php"]  # "_" after "Z"
    plugin = tmp_path / "order"
    for name in names:
        (plugin / name).parent.mkdir(parents=True, exist_ok=True)
        (plugin / name).write_text(f"<?php __( 'From {name}', 'order' );\n")
    (plugin / "order.php").write_text("<?php\n/*\n * Plugin Name: Order\n */\n", encoding="utf-8")
    done = subprocess.run(["php", "-r", "$a = array_slice($argv, 1); sort($a, SORT_NATURAL | SORT_FLAG_CASE); "
                           "echo implode(\"\\n\", $a);", *names, "order.php"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    php_order = [name for name in done.stdout.split("\n") if name != "order.php"]
    assert php_order != sorted(names)  # a plain sort would not pass
    catalog = load_catalog(extract_template(plugin, output=tmp_path / "order.pot").path)
    assert [e.msgid for e in catalog.entries][1:] == [f"From {name}" for name in php_order]


def test_xgettext_loses_what_follows_a_heredoc_and_transkit_does_not(tmp_path):
    """Why issue 13 exists: GNU xgettext 0.21 stops at a PHP 7.3 heredoc and says nothing."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU xgettext is not installed")
    plugin = SAMPLE_PO / "pocket-events"
    source = "includes/class-pocket-events-list.php"
    done = subprocess.run(["xgettext", "--language=PHP", "--from-code=UTF-8", "-k__", "-k_x:1,2c", "-k_n:1,2",
                           "-o", "-", source], cwd=plugin, capture_output=True, text=True)
    assert "Add New Event" not in done.stdout  # after the heredoc: lost by xgettext
    catalog = load_catalog(extract_template(plugin, output=tmp_path / "p.pot").path)
    assert catalog.find("Add New Event") is not None
    assert catalog.find("No events planned yet.\nCheck back soon, or ask the club to add one.") is not None


# -- the referee: PHP's own tokenizer and evaluator -------------------------------------------------
# Written apart from transkit's extractor: finds the calls of the WordPress gettext functions with
# token_get_all, takes the arguments that are literals (quoted strings, alone or joined with ".", or a
# heredoc/nowdoc without interpolation) and lets PHP evaluate them, so escapes and heredoc indentation
# are PHP's own.
REFEREE = r'''
$roles = [
  '__' => ['text', 'domain'], '_e' => ['text', 'domain'], 'esc_html__' => ['text', 'domain'],
  'esc_html_e' => ['text', 'domain'], 'esc_attr__' => ['text', 'domain'], 'esc_attr_e' => ['text', 'domain'],
  'esc_xml__' => ['text', 'domain'], 'esc_xml_e' => ['text', 'domain'],
  '_x' => ['text', 'context', 'domain'], '_ex' => ['text', 'context', 'domain'],
  'esc_html_x' => ['text', 'context', 'domain'], 'esc_attr_x' => ['text', 'context', 'domain'],
  'esc_xml_x' => ['text', 'context', 'domain'],
  '_n' => ['single', 'plural', 'number', 'domain'], '_nx' => ['single', 'plural', 'number', 'context', 'domain'],
  '_n_noop' => ['singular', 'plural', 'domain'], '_nx_noop' => ['singular', 'plural', 'context', 'domain'],
];
$domain = $argv[1];
$found = [];
foreach (array_slice($argv, 2) as $path) {
  $tokens = [];
  foreach (token_get_all(file_get_contents($path)) as $t) {
    if (is_array($t) && in_array($t[0], [T_WHITESPACE, T_COMMENT, T_DOC_COMMENT], true)) continue;
    $tokens[] = $t;
  }
  foreach ($tokens as $i => $t) {
    if (!is_array($t)) continue;
    $name = $t[0] === T_STRING ? $t[1] : ($t[0] === T_NAME_FULLY_QUALIFIED ? substr($t[1], 1) : null);
    if ($name === null || !isset($roles[$name]) || ($tokens[$i + 1] ?? null) !== '(') continue;
    $before = $tokens[$i - 1] ?? null;
    // a method named like one is read as make-pot and xgettext read it; a definition is not a call
    if (is_array($before) && in_array($before[0], [T_FUNCTION, T_NEW, T_CONST], true)) continue;
    $args = []; $current = []; $depth = 0;
    for ($k = $i + 2; $k < count($tokens); $k++) {
      $u = $tokens[$k];
      if ($depth === 0 && ($u === ')' || $u === ',')) { $args[] = $current; $current = []; if ($u === ')') break; continue; }
      if ($u === '(' || $u === '[' || $u === '{' || (is_array($u) && in_array($u[0], [T_CURLY_OPEN, T_DOLLAR_OPEN_CURLY_BRACES], true))) $depth++;
      if ($u === ')' || $u === ']' || $u === '}') $depth--;
      $current[] = $u;
    }
    $values = [];
    foreach ($args as $position => $arg) {
      $role = $roles[$name][$position] ?? null;
      if (count($arg) > 2 && is_array($arg[0]) && $arg[0][0] === T_STRING && $arg[1] === ':') { $role = $arg[0][1]; $arg = array_slice($arg, 2); }
      // one quoted string, quoted strings joined with "." (PHP joins them when it compiles), or a
      // heredoc/nowdoc without interpolation
      $joined = count($arg) % 2 === 1;
      foreach ($arg as $position_in_arg => $u) {
        if ($position_in_arg % 2 === 0 ? !(is_array($u) && $u[0] === T_CONSTANT_ENCAPSED_STRING) : $u !== '.') $joined = false;
      }
      $heredoc = count($arg) > 1 && is_array($arg[0]) && $arg[0][0] === T_START_HEREDOC;
      foreach ($arg as $u) {
        if (!is_array($u) || !in_array($u[0], [T_START_HEREDOC, T_ENCAPSED_AND_WHITESPACE, T_END_HEREDOC], true)) $heredoc = false;
      }
      $literal = $joined || $heredoc;
      $source = implode('', array_map(fn($u) => is_array($u) ? $u[1] : $u, $arg));
      $values[in_array($role, ['single', 'singular'], true) ? 'text' : $role] = $literal ? eval("return $source\n;") : null;
    }
    $needs_context = in_array('context', $roles[$name], true);
    if (($values['domain'] ?? null) !== $domain || !is_string($values['text'] ?? null) || $values['text'] === '') continue;
    if ($needs_context && !is_string($values['context'] ?? null)) continue;
    $found[] = [$needs_context ? $values['context'] : null, $values['text']];
  }
}
echo json_encode($found);
'''


def php_strings(folder: Path, domain: str, files: list[str], *ini: str) -> set[tuple[str | None, str]]:
    done = subprocess.run(["php", *ini, "-r", REFEREE, domain, *files], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return {(context, msgid) for context, msgid in json.loads(done.stdout)}


def php_files_of(folder: Path) -> list[str]:
    """The PHP files WP-CLI would read: vendor/, tests/, node_modules/ left out."""
    skipped = {"vendor", "tests", "test", "node_modules"}
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.php")
                  if not skipped & set(p.relative_to(folder).parts[:-1]))


def extracted_from_php(catalog) -> set[tuple[str | None, str]]:
    """Entries that a PHP call put in the template (header fields, Template Name and patterns aside)."""
    found = set()
    for entry in catalog.entries:
        references = [r for r in entry.references if re.search(r"\.php:\d+$", r)]
        if entry.comment.split("\n")[0].endswith((" of the plugin", " of the theme")) or \
                entry.msgctxt in ("Pattern title", "Pattern description"):
            references = references[1:]
        if references:
            found.add(entry.key)
    return found


@pytest.mark.parametrize("folder, domain", [
    (FIXTURES / "plugins" / "modern-shop", "modern-shop"),
    (FIXTURES / "plugins" / "shop-helper", "shop-helper"),
    (FIXTURES / "plugins" / "bundled-blocks", "bundled-blocks"),
    (FIXTURES / "themes" / "modern-theme", "modern-theme"),
    (SAMPLE_PO / "pocket-events", "pocket-events"),
    (SAMPLE_PO / "quick-notes", "quick-notes"),
    (SAMPLE_PO / "tiny-gallery", "tiny-gallery"),
], ids=lambda value: value.name if isinstance(value, Path) else None)
def test_every_php_string_the_tokenizer_finds_is_extracted_and_none_is_invented(folder, domain, tmp_path):
    expected = php_strings(folder, domain, php_files_of(folder))
    assert expected, "the referee found nothing: the comparison would prove nothing"
    catalog = load_catalog(extract_template(folder, output=tmp_path / "t.pot").path)
    extracted = extracted_from_php(catalog)
    assert expected - extracted == set(), "strings PHP finds that the template lacks"
    assert extracted - expected == set(), "strings in the template that PHP does not find"


def test_short_open_tags_are_code_as_on_the_server_the_plugin_was_written_for(tmp_path):
    """`<? _e() ?>` is code where short_open_tag is On (PHP's built-in default), text to a php-cli
    whose php.ini has it Off (Debian's): its strings were lost without a word. PHP itself, told
    short_open_tag=1, is the referee; `<?xml` stays text, and no syntax error is invented."""
    plugin = one_file_plugin(tmp_path / "shorty", "Shorty", "?>\n<h1><? _e( 'Short tag', 'shorty' ); ?></h1>\n"
                             "<p><?= __( 'Echo tag', 'shorty' ) ?></p>\n"
                             "<ul>\n<?\n\tforeach ( $items as $item ) {\n\t\techo esc_html__( 'Item', 'shorty' );\n"
                             "\t}\n?>\n</ul>\n")
    (plugin / "feed.php").write_text("<?xml version=\"1.0\"?>\n<rss><?php _e( 'After xml', 'shorty' ); ?></rss>\n",
                                     encoding="utf-8")
    result = extract_template(plugin, output=tmp_path / "t.pot")
    assert result.errors == []
    lines = {e.msgid: e.references for e in load_catalog(result.path).entries if e.msgid != "Shorty"}
    assert lines == {"Short tag": ["shorty.php:7"], "Echo tag": ["shorty.php:8"], "Item": ["shorty.php:12"],
                     "After xml": ["feed.php:2"]}
    referee = php_strings(plugin, "shorty", ["shorty.php"], "-d", "short_open_tag=1")
    assert referee == {(None, "Short tag"), (None, "Echo tag"), (None, "Item")}
    assert php_strings(plugin, "shorty", ["shorty.php"], "-d", "short_open_tag=0") == {(None, "Echo tag")}


def test_a_php_ini_prepend_file_does_not_break_the_tokenizer(tmp_path, monkeypatch):
    """A php.ini's auto_prepend_file (a site bootstrap, a profiler) writes before any script: it
    broke the tokenizer's output and extract ended in a traceback."""
    (tmp_path / "ini").mkdir()
    (tmp_path / "ini" / "prepend.php").write_text("<?php echo \"Hello from a prepend file\\n\";\n", encoding="utf-8")
    (tmp_path / "ini" / "99-prepend.ini").write_text(f"auto_prepend_file={tmp_path / 'ini' / 'prepend.php'}\n",
                                                     encoding="utf-8")
    plugin = one_file_plugin(tmp_path / "prepended", "Prepended", "__( 'Still read', 'prepended' );\n")
    (plugin / "probe.php").write_text("<?php\n", encoding="utf-8")
    monkeypatch.setenv("PHP_INI_SCAN_DIR", f"{os.pathsep}{tmp_path / 'ini'}")  # the default folder, then this
    probe = subprocess.run(["php", "probe.php"], cwd=plugin, capture_output=True, text=True)
    assert probe.stdout.startswith("Hello from a prepend file")  # the setting is live for this php
    said = CliRunner().invoke(cli, ["extract", str(plugin), "-o", str(tmp_path / "t.pot")])
    assert said.exit_code == 0, said.output
    assert "Still read" in {e.msgid for e in load_catalog(tmp_path / "t.pot").entries}


@pytest.mark.parametrize("processes", [2, 3])
def test_several_php_processes_give_each_file_its_own_calls_in_order(processes):
    """The files are dealt round-robin to several php processes and read back in turn: every file
    still gets its own calls, comments and syntax errors, in the order of the list."""
    folder = FIXTURES / "plugins" / "modern-shop"
    files = php_files_of(folder)
    assert len(files) >= processes
    one = [(f.calls, f.comments, f.error) for f in scan_php_files(folder, files, processes=1)]
    several = [(f.calls, f.comments, f.error) for f in scan_php_files(folder, files, processes=processes)]
    assert several == one and len(one) == len(files)
    assert any(calls for calls, _, _ in one)


# -- never overwrite, never silent ------------------------------------------------------------------
SHIPPED_POT = '''# Shipped by the maintainer
msgid ""
msgstr ""
"Project-Id-Version: Modern Shop 2.9\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"X-Generator: WP-CLI 2.11.0\\n"

#: modern-shop.php:3
msgid "Modern Shop"
msgstr ""

#: old.php:1
msgid "A string the plugin dropped"
msgstr ""
'''


def test_a_shipped_template_is_kept_without_force_and_the_change_is_described(modern_shop):
    shipped = modern_shop / "languages" / "modern-shop.pot"
    shipped.parent.mkdir()
    shipped.write_text(SHIPPED_POT, encoding="utf-8")
    runner = CliRunner()

    result = runner.invoke(cli, ["extract", str(modern_shop)])
    assert result.exit_code == 1, result.output
    assert shipped.read_text(encoding="utf-8") == SHIPPED_POT
    flat = " ".join(result.output.split())  # folded at the terminal's width
    assert "already exists and it ships with the plugin (made by WP-CLI 2.11.0)" in flat
    assert "60 entries added: " in flat and "1 removed: 'A string the plugin dropped'" in flat
    assert "--force" in result.output

    result = runner.invoke(cli, ["extract", str(modern_shop), "--force", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["written"] is True and report["refused"] == ""
    assert report["existing_template"]["removed"] == [{"msgctxt": None, "msgid": "A string the plugin dropped"}]
    assert len(report["existing_template"]["added"]) == 60
    assert load_catalog(shipped).find("A string the plugin dropped") is None
    msgfmt_check(shipped)

    # a template transkit wrote is simply rebuilt
    result = runner.invoke(cli, ["extract", str(modern_shop)])
    assert result.exit_code == 0 and "the same entries as now" in result.output


def test_dry_run_writes_nothing_and_json_carries_every_count_and_problem(modern_shop):
    before = sorted(p.relative_to(modern_shop).as_posix() for p in modern_shop.rglob("*"))
    result = CliRunner().invoke(cli, ["extract", str(modern_shop), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(modern_shop).as_posix() for p in modern_shop.rglob("*")) == before
    report = json.loads(result.output)
    assert (report["written"], report["dry_run"], report["entries"]) == (False, True, 61)
    assert report["files"] == {"php": 4, "blade": 0, "js": 4, "js_maps": 0, "json": 2, "excluded": 1,
                               "excluded_folders": [], "links_not_followed": []}
    assert report["calls_found"] == report["calls_extracted"] + report["calls_skipped"]
    assert report["skipped"]["msgid is not a literal string"] == 5
    assert {"path": "includes/dynamic.php", "line": 8, "severity": "warning",
            "message": "__(): msgid is a concatenation; not extracted"} in report["problems"]

    result = CliRunner().invoke(cli, ["extract", str(modern_shop), "--dry-run"])
    assert "Dry run, nothing written:" in result.output and "61 entries of Modern Shop" in result.output
    assert "Calls: 60 found, 47 extracted, 13 skipped (5 msgid is not a literal string;" in result.output
    assert "warning: includes/dynamic.php:7: __(): msgid is a variable ($label); not extracted" in result.output


def test_exclude_and_include_globs(modern_shop, tmp_path):
    without_build = load_catalog(extract_template(modern_shop, output=tmp_path / "a.pot",
                                                  exclude=("build", "*.tsx")).path)
    assert without_build.find("Bundled by babel") is None and without_build.find("Panel in TSX") is None
    assert without_build.find("Shop settings") is not None

    only_src = extract_template(modern_shop, output=tmp_path / "b.pot", include=("src/*",))
    catalog = load_catalog(only_src.path)
    assert {e.msgid for e in catalog.entries if "of the plugin" not in e.comment} == {
        "Shop settings", "%d product", "Save", "Template literal without substitution", "Escapes: 'single' \u00e9 A",
        "Order limit", "Unnamed setting", "Panel in TSX"}
    # --include brings back a file under a folder left out by default
    shop_helper = tmp_path / "shop-helper"
    shutil.copytree(FIXTURES / "plugins" / "shop-helper", shop_helper)
    vendor = load_catalog(extract_template(shop_helper, output=tmp_path / "c.pot", include=("vendor/acme/*",)).path)
    assert vendor.find("Vendor string") is not None


def test_ignore_domain_keeps_every_domain(modern_shop, tmp_path):
    catalog = load_catalog(extract_template(modern_shop, output=tmp_path / "all.pot", ignore_domain=True).path)
    assert catalog.find("Belongs to another plugin") is not None and catalog.find("Other plugin") is not None
    assert catalog.find("WordPress core string") is not None
    assert catalog.find("Someone else's block", "block title") is not None
    assert "X-Domain" not in catalog.header


# -- the sample plugin of the README ----------------------------------------------------------------
def test_pocket_events_sample_extracts_its_heredoc_block_json_and_js(sample_po):
    plugin = sample_po / "pocket-events"
    result = CliRunner().invoke(cli, ["extract", str(plugin)])
    assert result.exit_code == 0, result.output
    template = plugin / "languages" / "pocket-events.pot"
    msgfmt_check(template)
    catalog = load_catalog(template)
    assert catalog.find("No events planned yet.\nCheck back soon, or ask the club to add one.") is not None
    assert catalog.find("Upcoming events", "block title") is not None
    assert catalog.find("Shows the next %d event.").comment == "translators: %d: how many events the block shows"
    assert catalog.find("Only %d seat left").flags == ["php-format"]
    assert "Calls: 12 found, 12 extracted, 0 skipped." in result.output


def test_progress_counts_the_files_and_cancel_writes_nothing(modern_shop, tmp_path):
    from transkit.jobs.progress import CancelToken, Cancelled

    events = []
    extract_template(modern_shop, output=tmp_path / "a.pot", progress=events.append)
    assert events[-1].stage == "files" and events[-1].done == events[-1].total == 10  # 4 PHP, 4 JS, 2 JSON

    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        extract_template(modern_shop, output=tmp_path / "b.pot", cancel=token)
    assert not (tmp_path / "b.pot").exists()


def test_a_broken_block_json_is_an_error_with_its_line_and_the_rest_is_kept(modern_shop, tmp_path):
    (modern_shop / "blocks" / "notice" / "block.json").write_text('{\n  "title": "Shop notice",\n  oops\n}\n')
    result = extract_template(modern_shop, output=tmp_path / "t.pot")
    assert [str(p) for p in result.errors] == [
        "blocks/notice/block.json:3: not valid JSON (Expecting property name enclosed in double quotes); skipped"]
    catalog = load_catalog(result.path)
    assert catalog.find("Shop notice", "block title") is None and catalog.find("Shop settings") is not None


def test_a_theme_one_folder_down_is_found_as_make_pot_finds_it(tmp_path):
    """Sage 9 keeps the theme WordPress loads in resources/ (style.css, functions.php, views/): its
    header fields were lost without a word, and its page templates with them."""
    theme = tmp_path / "sage9"
    (theme / "resources" / "views").mkdir(parents=True)
    (theme / "app").mkdir()
    (theme / "app" / "setup.php").write_text("<?php\n__( 'Primary Navigation', 'sage' );\n", encoding="utf-8")
    (theme / "resources" / "style.css").write_text(
        "/*\nTheme Name:         Sage Starter Theme\nDescription:        A starter theme.\nText Domain:        sage\n*/\n",
        encoding="utf-8")
    (theme / "resources" / "views" / "template-custom.blade.php").write_text(
        "{{--\n  Template Name: Custom Template\n--}}\n<p>{{ __('In the view', 'sage') }}</p>\n", encoding="utf-8")
    catalog = load_catalog(extract_template(theme, output=tmp_path / "sage.pot").path)
    assert catalog.find("Sage Starter Theme").references == ["resources/style.css:2"]
    assert catalog.find("A starter theme.").comment == "Description of the theme"
    assert catalog.find("Custom Template").references == ["resources/views/template-custom.blade.php:2"]
    assert catalog.header["Project-Id-Version"].startswith("Sage Starter Theme")
    assert {"Primary Navigation", "In the view"} <= {e.msgid for e in catalog.entries}


def test_a_block_json_without_textdomain_is_extracted_and_said_to_be_untranslated(modern_shop, tmp_path):
    """WordPress translates a block.json's fields only under its "textdomain" (register_block_type_from_metadata;
    @wordpress/blocks in the editor): make-pot extracts them anyway, and so does transkit, but says so."""
    (modern_shop / "blocks" / "plain").mkdir()
    (modern_shop / "blocks" / "plain" / "block.json").write_text(
        '{\n  "name": "modern-shop/plain",\n  "title": "Plain block",\n  "keywords": ["plain"]\n}\n')
    result = extract_template(modern_shop, output=tmp_path / "t.pot")
    catalog = load_catalog(result.path)
    assert catalog.find("Plain block", "block title") is not None
    assert 'blocks/plain/block.json: no "textdomain": WordPress translates none of its 2 strings until it has ' \
        '"textdomain": "modern-shop"; extracted, as make-pot extracts them' in [str(p) for p in result.problems]
    assert not [p for p in result.problems if "notice/block.json" in str(p)]  # it names its domain
    said = CliRunner().invoke(cli, ["extract", str(modern_shop), "-o", str(tmp_path / "cli.pot"), "--json"])
    assert said.exit_code == 0
    assert any(p["path"] == "blocks/plain/block.json" for p in json.loads(said.output)["problems"])


def test_syntax_newer_than_the_installed_php_is_reported_and_its_strings_still_read(modern_shop, tmp_path):
    (modern_shop / "includes" / "hooks.php").write_text(
        "<?php\nclass Order {\n"
        "    public string $label { get => __( 'Property hook (PHP 8.4)', 'modern-shop' ); }\n}\n"
        "echo __( 'After the property hook', 'modern-shop' );\n", encoding="utf-8")
    version = subprocess.run(["php", "-r", "echo PHP_VERSION_ID;"], capture_output=True, text=True).stdout
    result = extract_template(modern_shop, output=tmp_path / "t.pot")
    catalog = load_catalog(result.path)
    assert catalog.find("Property hook (PHP 8.4)") is not None and catalog.find("After the property hook") is not None
    errors = [str(p) for p in result.errors]
    if int(version) < 80400:
        assert len(errors) == 1 and re.match(r"includes/hooks\.php:3: PHP 8\.\d+\.\d+ cannot parse it: ", errors[0])
    else:
        assert errors == []


def test_init_builds_the_template_and_shows_what_extraction_could_not_take(modern_shop):
    result = CliRunner().invoke(cli, ["init", str(modern_shop), "--locale", "it_IT"])
    assert result.exit_code == 0, result.output
    assert "No template shipped: built" in result.output
    assert "warning: includes/dynamic.php:8: __(): msgid is a concatenation; not extracted" in result.output
    created = modern_shop / "languages" / "modern-shop-it_IT.po"
    assert load_catalog(created).find("Your order is on its way.\n  It left the warehouse today.") is not None
    msgfmt_check(created)


def test_a_broad_include_does_not_bring_back_what_is_left_out_by_default(tmp_path):
    shop_helper = tmp_path / "shop-helper"
    shutil.copytree(FIXTURES / "plugins" / "shop-helper", shop_helper)
    result = extract_template(shop_helper, output=tmp_path / "t.pot", include=("*.php",))
    text = result.path.read_text(encoding="utf-8")
    assert "Vendor string" not in text and "Test-only string" not in text and "Delivery note" in text
    assert result.js_files == 0


@pytest.mark.parametrize("options, read, left_out", [
    # WP-CLI's own scenarios (features/makepot.feature): names never match a part of a name
    (["--exclude", "foo"], {"foos.php", "myvendor/notignored.php"}, set()),
    (["--exclude", "sub/foo-*.php"], {"sub/foobar.php"}, {"sub/foo-bar.php", "sub/foo-baz.php"}),
    (["--exclude", "/sub/,/bar/"], set(), {"sub/foobar.php", "bar/minified.min.js"}),
    # the more specific pattern wins: an include naming the minified file beats "*.min.js"
    (["--include", "bar/*.min.js"], {"bar/minified.min.js"}, {"foos.php", "vendor/lib.php"}),
    (["--include", "*.php"], {"foos.php", "sub/foobar.php"}, {"vendor/lib.php", "bar/minified.min.js"}),
    (["--include", "vendor/lib.php"], {"vendor/lib.php"}, {"foos.php"}),
])
def test_include_and_exclude_follow_wp_cli(tmp_path, options, read, left_out):
    plugin = tmp_path / "foo-plugin"
    files = ["foos.php", "myvendor/notignored.php", "sub/foobar.php", "sub/foo-bar.php", "sub/foo-baz.php",
             "bar/minified.min.js", "vendor/lib.php"]
    (plugin / "foo-plugin.php").parent.mkdir(parents=True)
    (plugin / "foo-plugin.php").write_text("<?php\n/**\n * Plugin Name: Foo Plugin\n */\n")
    for name in files:
        (plugin / name).parent.mkdir(parents=True, exist_ok=True)
        call = f"__( 'from {name}', 'foo-plugin' );\n"
        (plugin / name).write_text(call if name.endswith(".js") else f"<?php\n{call}")
    result = CliRunner().invoke(cli, ["extract", str(plugin), "-o", str(tmp_path / "t.pot"), *options])
    assert result.exit_code == 0, result.output
    catalog = load_catalog(tmp_path / "t.pot")
    for name in read:
        assert catalog.find(f"from {name}") is not None, name
    for name in left_out:
        assert catalog.find(f"from {name}") is None, name


def test_literals_joined_with_a_dot_are_one_string_and_a_joined_variable_is_warned(tmp_path):
    """A long string split over lines ('A long ' . 'sentence') is a string PHP joins when it compiles
    the file, and WP-CLI make-pot extracts it; 'Hello ' . $name is known only at run time."""
    plugin = one_file_plugin(tmp_path / "joined", "Joined",
        "echo __( 'Should you need help, ' .\n\t'read the docs.', 'joined' );\n"
        "echo _x( 'Three ' . \"\\\"parts\\\" \" . 'here', 'Joined ' . 'context', 'joined' );\n"
        "echo __( 'Hello ' . $name, 'joined' );\n")
    result = extract_template(plugin, output=tmp_path / "joined.pot")
    catalog = load_catalog(result.path)
    assert keys(catalog) - {(None, "Joined", "")} == {
        (None, "Should you need help, read the docs.", ""), ("Joined context", 'Three "parts" here', "")}
    assert catalog.find("Should you need help, read the docs.").references == ["joined.php:6"]
    assert [str(p) for p in result.problems] == ["joined.php:9: __(): msgid is a concatenation; not extracted"]
    assert extracted_from_php(catalog) == php_strings(plugin, "joined", ["joined.php"])


def test_spread_arguments_and_first_class_callables_are_warned_not_counted_as_core_strings(tmp_path):
    """__( ...$args ) has no argument PHP knows before the code runs: not a call "without a text
    domain" (WordPress core's, skipped silently) but a warning with its line, in PHP and JS."""
    plugin = one_file_plugin(tmp_path / "spread", "Spread",
        "echo __( ...$args );\n"
        "echo __( 'Hi', ...$rest );\n"
        "$translate = __( ... );\n"
        "echo __( 'Kept', 'spread' );\n")
    (plugin / "editor.js").write_text("import { __, _x } from '@wordpress/i18n';\n"
                                      "__( ...args );\n_x( 'Hi', ...rest );\n", encoding="utf-8")
    result = extract_template(plugin, output=tmp_path / "spread.pot")
    assert [str(p) for p in result.problems] == [
        "editor.js:2: __(): msgid is a spread argument (...args); not extracted",
        "editor.js:3: _x(): text domain is a spread argument (...rest); not extracted",
        "spread.php:6: __(): msgid is a spread argument (...$args); not extracted",
        "spread.php:7: __(): text domain is a spread argument (...$rest); not extracted",
        "spread.php:8: __(): msgid is a first-class callable (__(...) makes a closure: the strings passed to it "
        "are not extracted); not extracted"]
    assert result.summary.skipped == {"msgid is not a literal string": 3, "text domain is not a literal string": 2}
    # every domain kept: the domain no longer matters, the context still does
    ignored = extract_template(plugin, output=tmp_path / "any.pot", ignore_domain=True)
    assert "editor.js:3: _x(): context is a spread argument (...rest); not extracted" in map(str, ignored.problems)
    assert {e.msgid for e in load_catalog(ignored.path).entries} >= {"Hi", "Kept"}


def test_a_method_named_like_a_gettext_function_is_read_as_make_pot_and_xgettext_read_it(tmp_path):
    """$this->__( 'Text', 'domain' ): a plugin's wrapper that forwards to WordPress. make-pot (so
    translate.wordpress.org's template) and xgettext both extract it; transkit dropped it unsaid."""
    plugin = one_file_plugin(tmp_path / "forms", "Forms",
        "final class Forms {\n"
        "\tpublic static function _e( string $text, string $domain ): void { echo __( $text, $domain ); }\n"
        "\tpublic function render( ?Forms $other ): void {\n"
        "\t\techo $this->__( 'Through a method', 'forms' );\n"
        "\t\tself::_e( 'Through a static call', 'forms' );\n"
        "\t\techo $other?->esc_html__( 'Through a nullsafe call', 'forms' );\n"
        "\t\techo $this->__( 'Of another plugin', 'other' );\n"
        "\t}\n}\n")
    result = extract_template(plugin, output=tmp_path / "forms.pot")
    catalog = load_catalog(result.path)
    assert keys(catalog) - {(None, "Forms", "")} == {
        (None, "Through a method", ""), (None, "Through a static call", ""), (None, "Through a nullsafe call", "")}
    assert catalog.find("Through a static call").references == ["forms.php:10"]
    assert [str(p) for p in result.problems] == [  # the definition's own call, with variables
        "forms.php:7: __(): msgid is a variable ($text) and text domain is a variable ($domain); not extracted"]
    assert extracted_from_php(catalog) == php_strings(plugin, "forms", ["forms.php"])
    xgettext = subprocess.run(["xgettext", "--language=PHP", "--keyword=__", "--keyword=_e", "--keyword=esc_html__",
                               "-o", "-", "forms.php"], cwd=plugin, capture_output=True, text=True, check=True)
    assert {'msgid "Through a method"', 'msgid "Through a static call"',
            'msgid "Through a nullsafe call"'} <= set(xgettext.stdout.splitlines())


_BLADE = """<h1>{{ __('Blade title', 'sagey') }}</h1>
@php($label = _x('Blade context', 'ctx', 'sagey'))
<p>{!! esc_html__('Blade raw', 'sagey') !!}</p>
@if($count)
  {{ sprintf(_n('%d apple', '%d apples', $count, 'sagey'), $count) }}
@endif
<?php echo __( 'Plain PHP in a Blade file', 'sagey' ); ?>
{{-- translators: %s: a name --}}
<p>{{ sprintf(__('Hello %s', 'sagey'), $name) }}</p>
<p>{{ __('Mail me @home (now)', 'sagey') }}</p>
@@if(__('Escaped directive: text', 'sagey'))
@{{ __('Escaped echo: text', 'sagey') }}
@include('partials.card', ['title' => __('In an include', 'sagey')])
@php
  $more = __('In a php block', 'sagey');
@endphp
<style>@media (max-width: 600px) { p { color: red } }</style>
<a href="mailto:me@example.com">{{ __( 'Two
lines', 'sagey' ) }}</a>
@verbatim
  <div>{{ __('Left to Vue: text', 'sagey') }}</div>
@endverbatim
<p>{{ __('After verbatim', 'sagey') }}</p>
<x-alert :message="__('Component prop', 'sagey')" :hint='__("Single-quoted prop", "sagey")' />
<x-no-results
  :title="__('Multi-line prop', 'sagey')" ::js="__('Passed on as text', 'sagey')"
  label="{{ __('Echo in a tag', 'sagey') }}" />
<div :class="__('Alpine, not PHP', 'sagey')">{{ __('After a tag', 'sagey') }}</div>
"""


def test_blade_templates_are_read_as_the_php_blade_compiles_them_to(tmp_path):
    """A Sage theme's views: PHP's tokenizer alone sees HTML there, and all but the <?php ?> string
    were lost without a word. Each string at its line; Blade's escapes (@@if, @{{ }}) stay text, as do
    a component's ::props and an Alpine :attribute outside an <x-component>."""
    theme = tmp_path / "sagey"
    (theme / "resources" / "views").mkdir(parents=True)
    (theme / "style.css").write_text("/*\nTheme Name: Sagey\nText Domain: sagey\n*/\n", encoding="utf-8")
    (theme / "index.php").write_text("<?php\n", encoding="utf-8")
    (theme / "resources" / "views" / "page.blade.php").write_text(_BLADE, encoding="utf-8")
    result = extract_template(theme, output=tmp_path / "sagey.pot")
    catalog = load_catalog(result.path)
    lines = {(entry.msgctxt, entry.msgid): entry.references[0].rsplit(":", 1)[1]
             for entry in catalog.entries if entry.references[0].startswith("resources/")}
    assert lines == {(None, "Blade title"): "1", ("ctx", "Blade context"): "2", (None, "Blade raw"): "3",
                     (None, "%d apple"): "5", (None, "Plain PHP in a Blade file"): "7", (None, "Hello %s"): "9",
                     (None, "Mail me @home (now)"): "10", (None, "In an include"): "13",
                     (None, "In a php block"): "15", (None, "Two\nlines"): "18", (None, "After verbatim"): "23",
                     (None, "Component prop"): "24", (None, "Single-quoted prop"): "24",
                     (None, "Multi-line prop"): "26",
                     (None, "Echo in a tag"): "27", (None, "After a tag"): "28"}
    assert catalog.find("Hello %s").comment == "translators: %s: a name"
    assert catalog.find("%d apple").msgid_plural == "%d apples"
    assert [str(p) for p in result.problems if not p.code] == []  # nothing unread; the audit's findings aside
    assert (result.php_files, result.blade_files) == (2, 1)
    shown = CliRunner().invoke(cli, ["extract", str(theme), "--output", str(tmp_path / "cli.pot"), "--json"])
    assert json.loads(shown.output)["files"]["blade"] == 1
    said = CliRunner().invoke(cli, ["extract", str(theme), "--output", str(tmp_path / "cli.pot"), "--force"])
    assert "2 PHP (1 Blade template), 0 JS and 0 JSON files read." in " ".join(said.output.split())
    skipped = extract_template(theme, output=tmp_path / "no-blade.pot", skip=frozenset({"blade"}))
    assert {e.msgid for e in load_catalog(skipped.path).entries if e.references} == {"Sagey"}
    php_only = extract_template(theme, output=tmp_path / "blade-only.pot", skip=frozenset({"php"}))
    assert "Blade title" in {e.msgid for e in load_catalog(php_only.path).entries}


def test_every_callee_form_bundlers_write(tmp_path):
    plugin = tmp_path / "bundled"
    plugin.mkdir()
    (plugin / "bundled.php").write_text("<?php\n/**\n * Plugin Name: Bundled\n */\n")
    (plugin / "app.js").write_text(
        "x = x.replace(/'/g, '&#39;');\n"  # a regex with a quote does not derail the parser
        "translate.__( 'member call', 'bundled' );\n"
        "(0,wp__WEBPACK_IMPORTED_MODULE_5__.__)('rspack', 'bundled');\n"
        "wp__WEBPACK_IMPORTED_MODULE_5___default().__('rspack default import', 'bundled');\n"
        "console.log((0, import_wp.__)('esbuild', 'bundled'));\n"
        "console.log(import_wp2.default.__('esbuild default import', 'bundled'));\n"
        "Object(m[/* _x */ 'a'])('webpack mangled', 'ctx', 'bundled');\n"
        "(0, __)('babel bare', 'bundled');\n"
        "eval( \"__( 'inside eval', 'bundled' );\" );\n"
        "__( 'wrong domain', 'other' );\n")
    catalog = load_catalog(extract_template(plugin, output=tmp_path / "t.pot").path)
    assert keys(catalog) - {(None, "Bundled", "")} == {
        (None, "member call", ""), (None, "rspack", ""), (None, "rspack default import", ""), (None, "esbuild", ""),
        (None, "esbuild default import", ""), ("ctx", "webpack mangled", ""), (None, "babel bare", ""),
        (None, "inside eval", "")}
    assert catalog.find("inside eval").references == ["app.js:9"]


def test_a_wrong_domain_is_refused_rather_than_a_template_of_header_fields_only(modern_shop, tmp_path):
    result = CliRunner().invoke(cli, ["extract", str(modern_shop), "--domain", "modern_shop", "-o",
                                      str(tmp_path / "t.pot")])
    assert result.exit_code == 3
    assert "no messages of text domain 'modern_shop'" in result.output
    assert "the sources use 'modern-shop' (54 calls), 'other-plugin' (1 calls)" in result.output
    assert not (tmp_path / "t.pot").exists()


def test_skip_flags_leave_a_kind_of_source_out(modern_shop, tmp_path):
    out = tmp_path / "t.pot"
    result = CliRunner().invoke(cli, ["extract", str(modern_shop), "-o", str(out), "--skip-js", "--skip-block-json"])
    assert result.exit_code == 0, result.output
    assert "4 PHP, 0 JS and 0 JSON files read" in result.output
    catalog = load_catalog(out)
    assert catalog.find("Shop settings") is None and catalog.find("Shop notice", "block title") is None
    assert catalog.find("String after the heredocs") is not None
