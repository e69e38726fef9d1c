"""transkit doctor: every catalog WordPress would not load as named, and --fix renaming them (git mv
inside a checkout, so `git status` shows renames)."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner
from test_wordpress_layout import make_wordpress

from transkit.cli.main import cli

RENAMES = {
    "plugins/wp-super-cache/languages/wp-super-cache_uk_UA.po": "plugins/wp-super-cache/languages/wp-super-cache-uk_UA.po",
    "themes/quiet-theme/languages/quiet-theme-fr_FR.po": "themes/quiet-theme/languages/fr_FR.po",
    "plugins/french-only/languages/traduction.po": "plugins/french-only/languages/french-only-fr.po",
}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    from transkit.cli import common

    monkeypatch.setattr(common.console, "width", 1000)  # one line per finding, however long the path


def git(cwd, *args) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_doctor_lists_what_wordpress_will_not_load(tmp_path, corpus_dir):
    wp_content = make_wordpress(tmp_path, corpus_dir)
    before = sorted(p for p in wp_content.rglob("*") if p.is_file())
    result = run("doctor", str(wp_content))
    assert result.exit_code == 1
    for old, new in RENAMES.items():
        line = next(line for line in result.output.splitlines()
                    if line.startswith(str(wp_content / old)) and "never loads" in line)
        assert line.endswith(f"rename to {new.rsplit('/', 1)[1]}")
    assert "contact-form-7-it_IT.po has no .mo" in result.output
    assert "de_CH" in result.output  # the header/file-name conflict
    assert sorted(p for p in wp_content.rglob("*") if p.is_file()) == before  # nothing touched


def test_doctor_fix_uses_git_mv_and_makes_a_layout_wordpress_loads(tmp_path, corpus_dir):
    wp_content = make_wordpress(tmp_path, corpus_dir)
    git(wp_content, "init", "-q")
    git(wp_content, "-c", "user.name=T", "-c", "user.email=t@example.org", "add", "-A")
    git(wp_content, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "site")
    result = run("doctor", str(wp_content), "--fix")
    for old, new in RENAMES.items():
        assert f"git mv: {wp_content / old} → {wp_content / new}" in result.output
        assert not (wp_content / old).exists() and (wp_content / new).is_file()
    status = git(wp_content, "status", "--porcelain")
    renamed = sorted(line[3:] for line in status.splitlines() if line.startswith("R "))
    assert renamed == sorted(f"{old} -> {new}" for old, new in RENAMES.items())
    # what is left is for compile (no .mo yet) and the conflicting header; a rename fixes neither
    data = json.loads(run("doctor", str(wp_content), "--json").output)
    assert {p["code"] for p in data["remaining"]} == {"not-compiled", "locale-conflict"}
    assert run("compile", str(wp_content), "--force").exit_code in (0, 1)
    data = json.loads(run("doctor", str(wp_content), "--json").output)
    assert [(p["code"], p["path"].rsplit("/", 1)[1]) for p in data["remaining"]] == [
        ("locale-conflict", "contact-form-7-de_DE.po")]  # its header says de_CH
    # the renamed catalogs are now found as WordPress names them, with their locale
    scan = {row["locale"]: row for project in json.loads(run("scan", str(wp_content), "--json").output)
            if project["handle"] == "wp-super-cache" for row in project["locales"]}
    assert scan["uk_UA"]["files"]["po"].endswith("wp-super-cache-uk_UA.po") and "mo" in scan["uk_UA"]["files"]


def test_doctor_fix_outside_git_renames_and_never_overwrites(tmp_path, corpus_dir):
    wp_content = make_wordpress(tmp_path, corpus_dir)
    languages = wp_content / "themes" / "quiet-theme" / "languages"
    (languages / "fr_FR.po").write_bytes((languages / "quiet-theme-fr_FR.po").read_bytes().replace(b"Articles", b"X"))
    kept = (languages / "fr_FR.po").read_bytes()
    result = run("doctor", str(wp_content), "--fix")
    assert result.exit_code == 1
    assert f"renamed: {wp_content / 'plugins/wp-super-cache/languages/wp-super-cache_uk_UA.po'}" in result.output
    assert "not renamed:" in result.output and "fr_FR.po exists already" in result.output
    assert (languages / "fr_FR.po").read_bytes() == kept and (languages / "quiet-theme-fr_FR.po").exists()
    # one line says what --fix did and what is left, and --json has the same counts
    [summary] = [line for line in result.output.splitlines() if " renamed, 1 not renamed of " in line]
    assert summary.startswith("2 catalogs renamed, 1 not renamed of ") and " problems found; " in summary
    left = int(summary.split("; ")[1].split()[0])
    assert summary.endswith("problems left (listed above: a rename does not fix them)")
    assert left == sum(line.startswith("still: ") for line in result.output.splitlines())
    data = json.loads(run("doctor", str(wp_content), "--fix", "--json").output)
    assert data["summary"]["left"] == left and data["summary"]["renamed"] == 0
    assert data["summary"]["not_renamed"] == 1  # fr_FR.po is still in the way


def test_compiling_a_misnamed_catalog_says_wordpress_will_not_load_it(tmp_path, corpus_dir):
    wp_content = make_wordpress(tmp_path, corpus_dir)
    misnamed = wp_content / "plugins/wp-super-cache/languages/wp-super-cache_uk_UA.po"
    result = subprocess.run(["transkit", "compile", "--force", str(misnamed)], capture_output=True, text=True)
    assert "WordPress loads wp-super-cache-uk_UA.mo" in result.stderr and "never loads" in result.stderr
    assert "transkit doctor" in result.stderr and "Traceback" not in result.stderr


def test_init_beside_a_misnamed_copy_points_to_doctor_and_writes_nothing(tmp_path, corpus_dir):
    wp_content = make_wordpress(tmp_path, corpus_dir)
    languages = wp_content / "plugins/wp-super-cache/languages"
    before = sorted(p.name for p in languages.iterdir())
    result = subprocess.run(["transkit", "init", str(languages.parent), "--locale", "uk_UA"],
                            capture_output=True, text=True)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "wp-super-cache_uk_UA.po" in result.stderr and "doctor" in result.stderr
    assert "wp-super-cache-uk_UA.po" in result.stderr
    assert sorted(p.name for p in languages.iterdir()) == before
    assert run("doctor", str(wp_content), "--fix").exit_code == 1  # .po without .mo remains
    assert (languages / "wp-super-cache-uk_UA.po").is_file()


def _plugin_with(tmp_path, name: str, header: str):
    languages = tmp_path / "wp-content" / "plugins" / "acme" / "languages"
    languages.mkdir(parents=True)
    (languages.parent / "acme.php").write_text("<?php\n/*\n * Plugin Name: Acme\n * Text Domain: acme\n */\n")
    po = languages / name
    po.write_text(f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n{header}\n'
                  'msgid "Save"\nmsgstr "Зберегти"\n', encoding="utf-8")
    return tmp_path / "wp-content", po


def test_a_header_and_name_conflict_says_both_ways_out_and_renames_nothing(tmp_path):
    """wp-super-cache ships wp-super-cache-ua_UA.po, Ukrainian by its header: doctor --fix said only
    "still: …". Which is right only the user knows (WordPress's code for Ukrainian is uk), so it
    renames nothing and says what to do either way."""
    wp_content, po = _plugin_with(tmp_path, "acme-ua_UA.po", '"X-Poedit-Language: Ukrainian\\n"')
    fixed = run("doctor", str(wp_content), "--fix")
    text = " ".join(fixed.output.split())
    assert ("ua_UA names no language; doctor cannot tell which is right: rename it to acme-uk.po (or the code "
            "your WordPress uses for that language) if the header is right, or set its Language header to ua_UA "
            "if the name is") in text
    assert po.exists() and fixed.exit_code == 1
    wp_content, po = _plugin_with(tmp_path / "two", "acme-de_DE.po", '"Language: fr_FR\\n"')
    text = " ".join(run("doctor", str(wp_content)).output.split())
    assert "doctor cannot tell which is right: rename it to acme-fr_FR.po" in text and "names no language" not in text
