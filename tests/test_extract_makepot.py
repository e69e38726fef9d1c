"""`transkit extract` with WP-CLI make-pot's options (--merge, --subtract, --headers, --package-name,
--file-comment, --no-location, --slug, --skip-*) and make-pot's audit of the strings (issue 13).
GNU msgfmt -c and msgcat are the referees of every template written."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from transkit.catalog import load_catalog
from transkit.cli.main import cli
from transkit.jobs.extract import extract_template

FIXTURES = Path(__file__).parent / "fixtures" / "plugins"

pytestmark = [pytest.mark.skipif(shutil.which("php") is None, reason="php-cli is not installed"),
              pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")]


def gettext_accepts(path: Path) -> None:
    for command in (["msgfmt", "-c", "-o", "/dev/null", str(path)], ["msgcat", "-o", "/dev/null", str(path)]):
        done = subprocess.run(command, capture_output=True, text=True)
        assert done.returncode == 0, (command[0], done.stderr)


def run(*args: str):
    return CliRunner().invoke(cli, ["extract", *args], catch_exceptions=False)


@pytest.fixture
def shop_helper(tmp_path) -> Path:
    target = tmp_path / "shop-helper"
    shutil.copytree(FIXTURES / "shop-helper", target)
    return target


def php_plugin(folder: Path, body: str, name: str = "Audit Me") -> Path:
    folder.mkdir(parents=True)
    (folder / f"{folder.name}.php").write_text(
        f"<?php\n/*\n * Plugin Name: {name}\n * Text Domain: {folder.name}\n */\n{body}", encoding="utf-8")
    return folder


# -- the audit ---------------------------------------------------------------------------------------
AUDITED = """\
__( 'Nothing to see here', 'audit-me' );
__( 'Hello %s', 'audit-me' );
/* translators: %s: user name */
__( 'Welcome %s', 'audit-me' );
/* translators: %s: a first comment */
__( 'Seen twice %s', 'audit-me' );
/* translators: %s: another comment */
__( 'Seen twice %s', 'audit-me' );
/* translators: this one is fine */
__( '%s', 'audit-me' );
__( '', 'audit-me' );
/* translators: 1: count, 2: name */
__( '%s items in %s', 'audit-me' );
/* translators: %d: count */
_n( 'One comment', '%d comments', 3, 'audit-me' );
/* translators: 1: name, 2: count */
_n( '%1$s has %2$d item', '%2$d items for %1$s', 3, 'audit-me' );
/* translators: %s: count */
_n( '%s thing (%d)', '%s things (%s)', 3, 'audit-me' );
__( '100%% sure', 'audit-me' );
"""


def test_audit_finds_what_make_pot_warns_about_with_file_and_line(tmp_path):
    plugin = php_plugin(tmp_path / "audit-me", AUDITED)
    result = extract_template(plugin, output=tmp_path / "audit-me.pot")
    found = [(p.code, p.line) for p in result.problems if p.code]
    # the header is 5 lines, so line n of AUDITED is line n + 5 of the file
    assert found == [
        ("missing-translator-comment", 7),  # 'Hello %s'
        ("multiple-translator-comments", 11),  # first reference of 'Seen twice %s'
        ("empty-string", 15),  # '%s': only a placeholder (a translators: comment does not change that)
        ("empty-string", 16),  # __( '' ): the call itself, as it gives no entry
        ("unordered-placeholders", 18),
        ("missing-singular-placeholder", 20),
        ("unordered-placeholders", 24),  # '%s thing (%d)': two without a position, too
        ("mismatched-placeholders", 24),
    ]
    messages = {(p.code, p.line): str(p) for p in result.problems if p.code}
    assert messages["multiple-translator-comments", 11] == (
        'audit-me.php:11: the string "Seen twice %s" has 2 different translators: comments: '
        "translators: %s: a first comment | translators: %s: another comment [multiple-translator-comments]")
    assert "has 2 placeholders without a position (%s %s)" in messages["unordered-placeholders", 18]
    assert "(%s %d / %s %s)" in messages["mismatched-placeholders", 24]
    assert dict(result.summary.audit) == {
        "missing-translator-comment": 1, "multiple-translator-comments": 1, "empty-string": 2,
        "unordered-placeholders": 2, "missing-singular-placeholder": 1, "mismatched-placeholders": 1}
    # warnings only: the template is written, and it is the same as without the audit
    assert result.written and result.errors == []
    gettext_accepts(result.path)
    quiet = extract_template(plugin, output=tmp_path / "quiet.pot", audit=False)
    assert [p for p in quiet.problems if p.code] == [] and not quiet.summary.audited
    strip = lambda text: "\n".join(l for l in text.splitlines() if not l.startswith('"POT-Creation-Date'))  # noqa: E731
    assert strip(quiet.path.read_text()) == strip(result.path.read_text())


def test_audit_in_the_command_its_json_and_skip_audit(tmp_path):
    plugin = php_plugin(tmp_path / "audit-me", AUDITED)
    shown = run(str(plugin), "-o", str(tmp_path / "a.pot"))
    assert shown.exit_code == 0, shown.output
    assert ("warning: audit-me.php:7: the string \"Hello %s\" has placeholders (%s) but no translators: comment "
            "saying what they stand for [missing-translator-comment]") in shown.output
    flat = " ".join(shown.output.split())  # the summary is folded at the terminal's width
    assert "Audit: 8 warnings (2 empty-string, 2 unordered-placeholders, 1 missing-translator-comment" in flat
    assert "--skip-audit leaves the audit out" in flat

    as_json = run(str(plugin), "-o", str(tmp_path / "b.pot"), "--json")
    document = json.loads(as_json.output)
    assert document["audit"] == {"run": True, "warnings": 8, "by_code": {
        "missing-translator-comment": 1, "multiple-translator-comments": 1, "empty-string": 2,
        "unordered-placeholders": 2, "missing-singular-placeholder": 1, "mismatched-placeholders": 1}}
    audited = [p for p in document["problems"] if "code" in p]
    assert {"path": "audit-me.php", "line": 18, "severity": "warning", "code": "unordered-placeholders"}.items() \
        <= next(p for p in audited if p["code"] == "unordered-placeholders").items()

    skipped = run(str(plugin), "-o", str(tmp_path / "c.pot"), "--skip-audit", "--json")
    document = json.loads(skipped.output)
    assert document["audit"] == {"run": False, "warnings": 0, "by_code": {}}
    assert not [p for p in document["problems"] if "code" in p]


def test_a_clean_plugin_has_no_audit_warnings(tmp_path):
    plugin = php_plugin(tmp_path / "clean", "/* translators: %s: name */\n__( 'Hi %s', 'clean' );\n"
                        "/* translators: 1: a, 2: b */\n__( '%1$s and %2$s', 'clean' );\n"
                        "/* translators: %d: n */\n_n( '%d cat', '%d cats', 2, 'clean' );\n")
    result = extract_template(plugin, output=tmp_path / "clean.pot")
    assert result.summary.audit == {} and result.summary.audited
    assert "Audit: 0 warnings." in run(str(plugin), "-o", str(tmp_path / "again.pot")).output


# -- header options ----------------------------------------------------------------------------------
def test_headers_package_name_file_comment_and_slug(shop_helper, tmp_path):
    done = run(str(shop_helper), "--slug", "helper-slug", "--package-name", "Helper Pack",
               "--file-comment", "First line\\nSecond line",
               "--headers", '{"Report-Msgid-Bugs-To": "https://bugs.example/", "X-Poedit-Basepath": "..", "X-Build": 7}')
    assert done.exit_code == 0, done.output
    template = shop_helper / "languages" / "helper-slug.pot"  # --slug names the file (in the Domain Path)
    text = template.read_text(encoding="utf-8")
    assert text.startswith("# First line\n# Second line\nmsgid \"\"\n")
    header = load_catalog(template).header
    assert header["Project-Id-Version"].startswith("Helper Pack")
    assert header["Report-Msgid-Bugs-To"] == "https://bugs.example/"  # --headers wins over the default
    assert (header["X-Poedit-Basepath"], header["X-Build"]) == ("..", "7")
    assert header["X-Domain"] == "shop-helper"  # the Text Domain header still names the domain
    gettext_accepts(template)


def test_slug_is_the_domain_when_there_is_no_text_domain_header(tmp_path):
    plugin = tmp_path / "folder-name"
    plugin.mkdir()
    (plugin / "main.php").write_text("<?php\n/*\n * Plugin Name: No Domain\n */\n"
                                     "__( 'Mine', 'the-slug' );\n__( 'Not mine', 'folder-name' );\n")
    result = extract_template(plugin, slug="the-slug")
    assert result.path == plugin / "the-slug.pot" and result.domain == "the-slug"
    catalog = load_catalog(result.path)
    assert [e.msgid for e in catalog.entries if not e.comment] == ["Mine"]
    assert catalog.header["Report-Msgid-Bugs-To"] == "https://wordpress.org/support/plugin/the-slug"


def test_no_file_comment_and_no_location(shop_helper, tmp_path):
    target = tmp_path / "bare.pot"
    done = run(str(shop_helper), "-o", str(target), "--file-comment", "", "--no-location")
    assert done.exit_code == 0, done.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith('msgid ""\n')
    assert "#:" not in text
    # the warnings still say where: the references are only left out of the file
    assert "includes/class-shop-helper-cart.php:34: __(): text domain is a variable" in done.output
    gettext_accepts(target)


@pytest.mark.parametrize("value, said", [
    ("{not json", "not JSON"), ("[1, 2]", "a JSON object is needed"),
    ('{"Bad: name": "x"}', "is not a header field name"), ('{"X-Two": "a\\nb"}', "holds a line break"),
    ('{"X-List": [1]}', "must be a string or a number")])
def test_bad_headers_are_refused_and_nothing_is_written(shop_helper, tmp_path, value, said):
    target = tmp_path / "never.pot"
    done = run(str(shop_helper), "-o", str(target), "--headers", value)
    assert done.exit_code == 2 and said in done.output  # --help: "Exits with 2 for bad --headers"
    assert not target.exists()


# -- --merge and --subtract --------------------------------------------------------------------------
def test_merge_a_real_template_and_its_strings_come_first(shop_helper, tmp_path, corpus_dir):
    shipped = corpus_dir / "wordpress" / "bbpress" / "bbpress.pot"
    other = load_catalog(shipped)
    target = tmp_path / "merged.pot"
    done = run(str(shop_helper), "-o", str(target), f"--merge={shipped}", "--skip-audit")
    assert done.exit_code == 0, done.output
    merged = load_catalog(target)
    alone = load_catalog(extract_template(shop_helper, output=tmp_path / "alone.pot").path)
    keys = [e.key for e in merged.entries]
    assert keys[:len(other.entries)] == [e.key for e in other.entries]  # the merged template's order first
    assert set(keys) == {e.key for e in other.entries} | {e.key for e in alone.entries}
    first = other.entries[0]
    assert merged.find(first.msgid, first.msgctxt).references[:len(first.references)] == first.references
    assert merged.header["X-Domain"] == "shop-helper"  # the merged template's header is not kept
    assert f"Merged {len(other.entries)} entries from --merge templates" in done.output
    gettext_accepts(target)


def test_merge_alone_merges_the_template_being_written(shop_helper, tmp_path):
    target = tmp_path / "shop-helper.pot"
    target.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"X-Generator: transkit\\n"\n\n'
                      '#. translators: kept from last time\n#: old.php:3\nmsgid "A string the code lost"\nmsgstr ""\n',
                      encoding="utf-8")
    done = run(str(shop_helper), "-o", str(target), "--merge")
    assert done.exit_code == 0, done.output
    catalog = load_catalog(target)
    kept = catalog.find("A string the code lost")
    assert kept is not None and kept.references == ["old.php:3"] and kept.comment == "translators: kept from last time"
    assert catalog.find("Delivery note") is not None
    gettext_accepts(target)


def test_subtract_leaves_out_what_another_template_has(tmp_path, corpus_dir):
    shipped = corpus_dir / "wordpress" / "bbpress" / "bbpress.pot"
    theirs = [e for e in load_catalog(shipped).entries if e.msgctxt is None and not e.msgid_plural][:3]
    body = "".join(f"__( {json.dumps(e.msgid)}, 'sub-me' );\n" for e in theirs) + "__( 'Only ours', 'sub-me' );\n"
    plugin = php_plugin(tmp_path / "sub-me", body.replace('"', "'") if all("'" not in e.msgid for e in theirs)
                        else body, name="Sub Me")
    result = extract_template(plugin, output=tmp_path / "sub.pot", subtract=(shipped,))
    catalog = load_catalog(result.path)
    assert {e.msgid for e in catalog.entries} == {"Sub Me", "Only ours"}
    assert result.summary.subtracted == 3
    gettext_accepts(result.path)


def test_a_missing_merge_template_is_a_warning_a_broken_one_an_error(shop_helper, tmp_path):
    target = tmp_path / "t.pot"
    done = run(str(shop_helper), "-o", str(target), f"--merge={tmp_path / 'nowhere.pot'}", "--skip-audit")
    assert done.exit_code == 0
    assert f"warning: {tmp_path / 'nowhere.pot'}: not found; --merge left it out" in done.output
    broken = tmp_path / "broken.pot"
    broken.write_text('msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr\n', encoding="utf-8")
    target.unlink()
    done = run(str(shop_helper), "-o", str(target), "--subtract", str(broken))
    assert done.exit_code == 3 and "broken.pot" in done.output and "Traceback" not in done.output
    assert not target.exists()


def test_skip_php_and_skip_js(shop_helper, tmp_path):
    no_php = extract_template(shop_helper, output=tmp_path / "a.pot", skip=frozenset({"php"}))
    no_js = extract_template(shop_helper, output=tmp_path / "b.pot", skip=frozenset({"js"}))
    assert no_php.php_files == 0 and no_php.js_files > 0
    assert no_js.js_files == 0 and no_js.php_files > 0
    js_only = {e.msgid for e in load_catalog(no_php.path).entries if not e.comment.endswith("of the plugin")}
    assert "Out of stock" not in js_only and "Saving…" in js_only


# what "nothing to translate besides placeholders and blanks" must mean however _has_text shortcuts it:
# make-pot's test, the quotes around a msgid taken off, the rest trimmed, then the placeholders removed
EMPTINESS_EDGES = ["%s", " %s ", "%s\t", "%%", "%% %s", "% d", "%'x10d", "%s\x0b", "%s%d", "\n%s\n", "%1$s %2$s",
                   "%sa", "a%s", " % d ", "%5.2f%%", "\0%s", "%-10s|", "%s\u00a0", "%s %", "%d%%", "%%d", "%s ×",
                   "%'.10d", "%+d", "%s s", "%s\r\n%d", "%1$s%2$s", "x", " ", "", '"%s"', "'%s'", "' %s '", "'",
                   "''", '"%s\'', "%s, %s", "%1$s\n%2$s"]


def php_finds_text(msgids: list[str]) -> list[bool]:
    """The referee: PHP's own trim() and preg_replace() in make-pot's order, with the placeholder
    regex transkit decides php-format by."""
    from transkit.catalog.extract.calls import _SPRINTF

    script = ("$r = '/' . str_replace('/', '\\/', $argv[1]) . '/';"
              "foreach (json_decode(stream_get_contents(STDIN)) as $m) {"
              " echo preg_replace($r, '', trim(preg_replace('`^([\\'\"])(.*)\\1$`Ds', '$2', $m))) === '' ? 0 : 1; }")
    done = subprocess.run(["php", "-r", script, _SPRINTF.pattern], input=json.dumps(msgids), capture_output=True,
                          text=True, check=True)
    return [answer == "1" for answer in done.stdout]


@pytest.mark.corpus
def test_empty_string_audit_answers_as_make_pot_on_corpus_strings(corpus_dir):
    from transkit.catalog.extract.audit import _has_text
    from transkit.catalog.extract.calls import sprintf_placeholders

    msgids = list(EMPTINESS_EDGES)
    for pot in sorted((corpus_dir / "wordpress").rglob("*.pot"))[:40]:
        msgids += [e.msgid for e in load_catalog(pot).entries if "%" in e.msgid]
    msgids += ["%" + m for m in msgids] + [m + " %s" for m in msgids] + [m.replace(" ", "") for m in msgids]
    msgids += [f"'{m}'" for m in msgids[:2000]]
    assert sum(bool(sprintf_placeholders(m)) for m in msgids) > 1000
    referee = php_finds_text(msgids)
    assert len(referee) == len(msgids)
    wrong = [m for m, has_text in zip(msgids, referee) if _has_text(m, sprintf_placeholders(m)) != has_text]
    assert wrong == []
    assert not _has_text(" %s ", ["%s"]) and _has_text("%1$s %2$s", ["%1$s", "%2$s"])


def test_linked_folders_are_read_as_make_pot_follows_them_and_loops_end(tmp_path):
    """make-pot walks symbolic links (a library linked in from a checkout beside the plugin); transkit
    left them out without a word. A link to a folder read anyway is said, not read twice or forever."""
    shared, plugin = tmp_path / "shared", tmp_path / "linked"
    (shared / "deep").mkdir(parents=True)
    (plugin / "includes").mkdir(parents=True)
    (plugin / "linked.php").write_text("<?php\n/**\n * Plugin Name: Linked\n */\n", encoding="utf-8")
    (plugin / "includes" / "a.php").write_text("<?php\n__( 'In includes', 'linked' );\n", encoding="utf-8")
    (shared / "deep" / "s.php").write_text("<?php\n\n__( 'In a linked library', 'linked' );\n", encoding="utf-8")
    (plugin / "lib").symlink_to("../shared", target_is_directory=True)
    (plugin / "legacy").symlink_to("includes", target_is_directory=True)
    (shared / "deep" / "up").symlink_to("..", target_is_directory=True)  # a loop
    (shared / "deep" / "plugin").symlink_to("../../linked", target_is_directory=True)
    (plugin / "vendor" / "acme").mkdir(parents=True)  # left out as vendor/, read through a link to it
    (plugin / "vendor" / "acme" / "v.php").write_text("<?php\n__( 'Through a link', 'linked' );\n", encoding="utf-8")
    (plugin / "acme").symlink_to("vendor/acme", target_is_directory=True)
    said = run(str(plugin), "-o", str(tmp_path / "out.pot"))
    assert said.exit_code == 0, said.output
    references = {e.msgid: e.references for e in load_catalog(tmp_path / "out.pot").entries}
    assert references["In a linked library"] == ["lib/deep/s.php:3"]
    assert references["In includes"] == ["includes/a.php:2"]  # not legacy/a.php too
    assert references["Through a link"] == ["acme/v.php:2"]
    assert ("links to folders read anyway not followed: legacy/ -> includes/, lib/deep/plugin/ -> ./, "
            f"lib/deep/up/ -> {shared.resolve()}") in " ".join(said.output.split())
    shown = json.loads(run(str(plugin), "-o", str(tmp_path / "j.pot"), "--json").output)
    assert shown["files"]["links_not_followed"][0] == {"link": "legacy/", "read_as": "includes/"}


def test_a_folder_that_cannot_be_listed_is_an_error_naming_it(tmp_path, monkeypatch):
    """Root lists every folder, so the refusal is the kernel's answer faked at os.scandir."""
    import os

    plugin = tmp_path / "guarded"
    (plugin / "private").mkdir(parents=True)
    (plugin / "guarded.php").write_text("<?php\n/**\n * Plugin Name: Guarded\n */\n__( 'Read', 'guarded' );\n",
                                        encoding="utf-8")
    (plugin / "private" / "p.php").write_text("<?php\n__( 'Behind a wall', 'guarded' );\n", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "private":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    said = CliRunner().invoke(cli, ["extract", str(plugin), "-o", str(tmp_path / "out.pot"), "--json"])
    assert said.exit_code == 1
    report = json.loads(said.output)
    assert {"path": "private/", "line": None, "severity": "error",
            "message": "the folder cannot be listed (Permission denied); its files were not read"} in report["problems"]
    assert report["written"] and "Read" in {e.msgid for e in load_catalog(tmp_path / "out.pot").entries}
