"""vendor/ and node_modules/ are not searched (third-party code, as WP-CLI skips it), but one whose
packages hold catalog files is listed as left out by every command, in text and --json, with the
count and a folder to name to include it (before, check, status, scan and doctor said "1 catalog"
and nothing about the two others). The other skipped folders (.git, __pycache__, .venv, hidden
ones, transkit-export/) are not named: noise."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable, Static

from transkit.cli.main import cli
from transkit.tui.app import TranskitApp

from tui_helpers import settle

SAMPLE = Path(__file__).resolve().parent.parent / "sample_po" / "tiny-gallery" / "languages" / "tiny-gallery-it_IT.po"

VENDOR_LINE = ("left out: vendor/: third-party code, not searched (WP-CLI skips it too); 1 catalog file in its "
               "packages: lib/languages/lib-it_IT.po; name a package's folder to include it, e.g. vendor/lib")
NODE_LINE = ("left out: node_modules/: third-party code, not searched (WP-CLI skips it too); 1 catalog file in "
             "its packages: x/languages/x-it_IT.po; name a package's folder to include it, e.g. node_modules/x")


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    from transkit.cli import common

    monkeypatch.setattr(common.console, "width", 1000)  # one line per item, however long the path
    monkeypatch.setattr(common.err_console, "width", 1000)


def copy(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE, target)
    return target


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """The report's tree: a gettext project's catalog, and one catalog each in vendor/lib/languages
    and node_modules/x/languages."""
    copy(tmp_path / "languages" / "tiny-gallery-it_IT.po")
    copy(tmp_path / "vendor" / "lib" / "languages" / "lib-it_IT.po")
    copy(tmp_path / "node_modules" / "x" / "languages" / "x-it_IT.po")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def left_out_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("left out: ")]


def assert_json(items: list[dict], root: Path) -> None:
    bundled = {item["path"]: item for item in items}
    assert set(bundled) == {str(root / "vendor"), str(root / "node_modules")}
    vendor = bundled[str(root / "vendor")]
    assert (vendor["code"], vendor["severity"]) == ("bundled", "note")
    assert vendor["catalog_files"] == [str(root / "vendor/lib/languages/lib-it_IT.po")]
    assert vendor["include"] == str(root / "vendor/lib")
    assert bundled[str(root / "node_modules")]["catalog_files"] == [str(root / "node_modules/x/languages/x-it_IT.po")]


def test_check_names_the_folders_it_did_not_search(tree):
    result = run("check", ".")
    assert result.exit_code == 1  # the sample's own error: the folders left out change no exit code
    assert left_out_lines(result.output) == [NODE_LINE, VENDOR_LINE]
    assert ("1 catalog(s): 1 error(s), 3 warning(s); 2 folder(s) of third-party code not searched "
            "(2 catalog files in them)") in result.output
    data = json.loads(run("check", "--json", ".").output)
    assert data["catalogs"] == 1
    assert_json(data["left_out"], tree)


def test_check_for_github_gives_a_notice_for_each_folder(tree):
    output = run("check", "--format", "github", ".").output
    notices = [line for line in output.splitlines() if line.startswith("::notice")]
    assert notices == [f"::notice title=transkit check::left out: {tree}/node_modules/: third-party code, not "
                       "searched (WP-CLI skips it too); 1 catalog file in its packages: x/languages/x-it_IT.po",
                       f"::notice title=transkit check::left out: {tree}/vendor/: third-party code, not "
                       "searched (WP-CLI skips it too); 1 catalog file in its packages: lib/languages/lib-it_IT.po"]


def test_status_scan_and_doctor_name_them_too(tree):
    for command in ("status", "scan"):
        result = run(command, ".")
        assert result.exit_code == 0, result.output
        assert left_out_lines(result.output) == [NODE_LINE, VENDOR_LINE], command
    assert_json(json.loads(run("status", "--json", ".").output)["left_out"], tree)
    scanned = json.loads(run("scan", "--json", ".").output)
    assert_json([item for project in scanned for item in project["left_out"]], tree)

    doctor = run("doctor", ".")
    assert doctor.exit_code == 0, doctor.output  # a note: skipping bundled code is no problem to fix
    assert "No problems to fix under .; 2 note(s):" in doctor.output
    assert left_out_lines(doctor.output) == [NODE_LINE, VENDOR_LINE]
    assert_json(json.loads(run("doctor", "--json", ".").output)["left_out"], tree)


def test_the_scan_table_shows_no_project_for_the_folder_holding_them(tree):
    output = run("scan", ".").output
    assert "1 project(s) under ." in output
    (tree / "languages" / "tiny-gallery-it_IT.po").unlink()
    result = run("scan", ".")
    assert "No plugin or catalog found under ." in result.output
    assert left_out_lines(result.output) == [NODE_LINE, VENDOR_LINE]
    status = run("status", ".")
    assert left_out_lines(status.output) == [NODE_LINE, VENDOR_LINE]
    assert "No PO catalogs under ." in status.output


def test_fill_lists_them_and_leaves_them_untouched(tree):
    before = {path: path.read_bytes() for path in tree.rglob("*.po")}
    result = run("fill", ".", "--locale", "it_IT", "--provider", "tm")
    assert result.exit_code == 0, result.output
    assert left_out_lines(result.output) == [NODE_LINE, VENDOR_LINE]
    assert "catalogs: 1," in result.output
    report = json.loads(run("fill", ".", "--locale", "it_IT", "--provider", "tm", "--json").stdout)
    assert_json(report["left_out"], tree)
    assert {path: path.read_bytes() for path in tree.rglob("*.po") if "languages/tiny" not in str(path)} == \
        {path: data for path, data in before.items() if "languages/tiny" not in str(path)}


@pytest.mark.parametrize("named", ["vendor/lib", "vendor", "node_modules", "node_modules/x"])
def test_naming_the_folder_includes_its_catalogs(tree, named):
    data = json.loads(run("check", "--json", named).output)
    assert data["catalogs"] == 1 and data["left_out"] == []
    assert {finding["path"] for finding in data["findings"]} == {str(next((tree / named).rglob("*.po")))}
    status = json.loads(run("status", "--json", named).output)
    assert [catalog["path"] for catalog in status["catalogs"]] == [str(next((tree / named).rglob("*.po")))]


def test_a_plugins_vendor_is_the_plugins_and_many_files_are_counted_by_package(tmp_path, monkeypatch):
    plugin = tmp_path / "shop"
    (plugin / "languages").mkdir(parents=True)
    (plugin / "shop.php").write_text("<?php\n/*\n * Plugin Name: Shop\n * Text Domain: shop\n */\n")
    copy(plugin / "languages" / "shop-it_IT.po")
    for locale in ("de_DE", "fr_FR", "it_IT"):  # composer: vendor/<vendor>/<package>
        copy(plugin / "vendor" / "cmb2" / "cmb2" / "languages" / f"cmb2-{locale}.po")
    copy(plugin / "vendor" / "tgmpa" / "tgm" / "languages" / "tgmpa-it_IT.po")
    copy(plugin / "vendor" / "one" / "one-it_IT.po")
    copy(plugin / "vendor" / "two" / "i18n" / "locale" / "it_IT" / "LC_MESSAGES" / "two.po")
    copy(plugin / "node_modules" / "@scope" / "pkg" / "po" / "it.po")
    monkeypatch.chdir(tmp_path)
    result = run("scan", ".")
    assert left_out_lines(result.output) == [
        "left out: shop/node_modules/: third-party code, not searched (WP-CLI skips it too); 1 catalog file in its "
        "packages: @scope/pkg/po/it.po; name a package's folder to include it, e.g. shop/node_modules/@scope/pkg",
        "left out: shop/vendor/: third-party code, not searched (WP-CLI skips it too); 6 catalog files in its "
        "packages: cmb2/cmb2 (3), one (1), tgmpa/tgm (1) and 1 more package; name a package's folder to include "
        "it, e.g. shop/vendor/cmb2/cmb2"]
    data = json.loads(run("scan", "--json", ".").output)
    assert [project["handle"] for project in data] == ["shop"]  # the plugin's, no other project
    assert len(data[0]["left_out"]) == 2
    assert len(data[0]["left_out"][1]["catalog_files"]) == 6


def test_folders_that_never_hold_the_users_catalogs_are_not_named(tree):
    for folder in (".git", "__pycache__", ".venv", ".cache", "transkit-export/x"):
        copy(tree / folder / "languages" / "y-it_IT.po")
    shutil.rmtree(tree / "node_modules")
    (tree / "node_modules" / "empty" / "lib").mkdir(parents=True)  # no catalog: nothing to say
    (tree / "node_modules" / "empty" / "lib" / "index.js").write_text("")
    result = run("check", ".")
    assert left_out_lines(result.output) == [VENDOR_LINE]
    assert [item["path"] for item in json.loads(run("check", "--json", ".").output)["left_out"]] == \
        [str(tree / "vendor")]


def test_the_look_opens_packages_and_their_catalog_folders_not_everything(tree):
    # the cost bound: a node_modules of 100,000 files is not walked, so a catalog deep in a package's
    # other folders (a library's test fixture) is not seen; the one in its languages/ is
    copy(tree / "node_modules" / "x" / "test" / "fixtures" / "deep" / "fixture-it_IT.po")
    data = json.loads(run("check", "--json", ".").output)
    node = next(item for item in data["left_out"] if item["path"].endswith("node_modules"))
    assert node["catalog_files"] == [str(tree / "node_modules/x/languages/x-it_IT.po")]


async def test_the_dashboard_says_so_in_its_notes_without_a_row(tree):
    app = TranskitApp(tree)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        keys = [str(row.key.value) for row in table.ordered_rows]
        assert keys == [str(tree / "languages" / "tiny-gallery-it_IT.po")]
        title = " ".join(str(app.screen.query_one("#dashboard-title", Static).render()).split())
        assert ("Not searched: node_modules/ and vendor/ (third-party code); their packages hold 2 catalog "
                "files. Open a package's folder to work on them (`transkit scan` names them).") in title, title
