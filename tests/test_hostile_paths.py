"""Data never chooses where transkit writes: a hostile X-Domain, Text Domain, Domain Path, locale or
plugin folder name is refused naming the field and the file, and nothing is written anywhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.test_export_git import git
from transkit.cli.main import cli

HOSTILE = ["../../../../x", "/abs/dir/x", "a/../../b", ".."]


def po_text(x_domain: str | None = None) -> str:
    header = '"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: it_IT\\n"\n' \
             '"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n'
    if x_domain is not None:
        header += f'"X-Domain: {x_domain}\\n"\n'
    return (f'msgid ""\nmsgstr ""\n{header}\n#: src/index.js:3\nmsgid "Hello"\nmsgstr "Ciao"\n')


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}


def run(*args) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def plugin(tmp_path: Path, text_domain: str = "tiny", domain_path: str = "/languages",
           x_domain: str | None = None) -> Path:
    root = tmp_path / "deep" / "er" / "wp-content" / "plugins" / "tiny"
    (root / "languages").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "src" / "index.js").write_text("__('Hello', 'tiny');\n")
    (root / "tiny.php").write_text(f"<?php\n/*\nPlugin Name: Tiny\nText Domain: {text_domain}\n"
                                   f"Domain Path: {domain_path}\n*/\n__('Hello', 'tiny');\n")
    (root / "languages" / "tiny-it_IT.po").write_text(po_text(x_domain), encoding="utf-8")
    return root


@pytest.mark.parametrize("x_domain", HOSTILE)
def test_compile_refuses_a_hostile_x_domain(tmp_path, x_domain):
    root = plugin(tmp_path, x_domain=x_domain)
    before = files_under(tmp_path)
    code, output = run("compile", root / "languages" / "tiny-it_IT.po")
    assert code == 3
    assert "X-Domain" in output and "tiny-it_IT.po" in output
    assert files_under(tmp_path) == before


@pytest.mark.parametrize("x_domain", HOSTILE)
def test_export_files_refuses_a_hostile_x_domain(tmp_path, x_domain):
    root = plugin(tmp_path, x_domain=x_domain)
    out = tmp_path / "out"
    before = files_under(tmp_path)
    code, output = run("export", root, "-l", "it_IT", "--out", out)
    assert code == 3 and "X-Domain" in output
    assert files_under(tmp_path) == before


@pytest.mark.parametrize("x_domain", HOSTILE)
def test_export_git_refuses_a_hostile_x_domain(tmp_path, x_domain, monkeypatch):
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_NAME", "Ada")
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_EMAIL", "ada@example.org")
    root = plugin(tmp_path, x_domain=x_domain)
    po = root / "languages" / "tiny-it_IT.po"
    git(root, "init", "-q", "-b", "main")
    po.write_text(po_text(x_domain).replace('msgstr "Ciao"', 'msgstr ""'), encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "init")
    po.write_text(po_text(x_domain), encoding="utf-8")
    before = files_under(tmp_path)
    code, output = run("export", root, "-l", "it_IT", "--git", "--out", tmp_path / "out")
    assert code == 3 and "X-Domain" in output
    assert files_under(tmp_path) == before
    assert "translations/it_IT" not in git(root, "branch", "--list")


@pytest.mark.parametrize("text_domain", HOSTILE)
def test_export_refuses_a_hostile_text_domain(tmp_path, text_domain):
    root = plugin(tmp_path, text_domain=text_domain)
    before = files_under(tmp_path)
    code, output = run("export", root / "languages" / "tiny-it_IT.po", "-l", "it_IT", "--out", tmp_path / "out")
    assert "Traceback" not in output
    # refused, or exported under a name the catalog gives: either way only into --out
    assert {f for f in files_under(tmp_path) - before if not f.startswith("out/")} == set()


@pytest.mark.parametrize("locale", ["../../x", "it_IT/../../x"])
def test_export_refuses_a_locale_that_is_a_path(tmp_path, locale):
    root = plugin(tmp_path)
    before = files_under(tmp_path)
    code, output = run("export", root, "-l", locale, "--out", tmp_path / "out")
    assert code != 0 and "Traceback" not in output
    assert files_under(tmp_path) == before


def test_json_goes_next_to_the_po_with_a_sane_domain(tmp_path):
    root = plugin(tmp_path, x_domain="tiny")
    code, output = run("compile", root / "languages" / "tiny-it_IT.po")
    assert code == 0, output
    assert any(name.endswith(".json") for name in os.listdir(root / "languages"))


@pytest.mark.parametrize("field, value", [("text_domain", d) for d in HOSTILE]
                         + [("domain_path", p) for p in ["/../../../d", "languages/../../../d", "/../x"]])
def test_init_and_extract_never_write_outside_the_plugin(tmp_path, field, value):
    root = plugin(tmp_path, **{field: value})
    (root / "languages" / "tiny-it_IT.po").unlink()  # init must build the template and a new PO
    before = files_under(tmp_path)
    for command in (["extract", root], ["init", root, "-l", "de_DE"]):
        code, output = run(*command)
        assert "Traceback" not in output
        created = files_under(tmp_path) - before
        assert all(name.startswith("deep/er/wp-content/plugins/tiny/") for name in created), (command, created)
        if code:  # refused: for the field, or since no source uses such a domain; nothing written
            assert created == set(), output


@pytest.mark.parametrize("value", ["/../../../d", "../x"])
def test_a_hostile_domain_path_is_refused_naming_it(tmp_path, value):
    root = plugin(tmp_path, domain_path=value)
    code, output = run("init", root, "-l", "de_DE")
    assert code == 3 and "Domain Path" in output
    assert not (tmp_path / "deep" / "d").exists() and not (tmp_path / "deep" / "er" / "wp-content" / "x").exists()


def test_scan_follows_a_symlinked_plugin_folder_once(tmp_path):
    checkout = plugin(tmp_path / "checkouts")  # the real folder, elsewhere
    plugins = tmp_path / "site" / "wp-content" / "plugins"
    plugins.mkdir(parents=True)
    (plugins / "tiny").symlink_to(checkout, target_is_directory=True)
    (checkout / "loop").symlink_to(plugins, target_is_directory=True)  # a cycle must not hang or repeat
    from transkit.jobs.scan import scan_folder

    summaries = scan_folder(tmp_path / "site", seed=False)
    assert [s.project.name for s in summaries] == ["Tiny"]
    assert [item.locale for item in summaries[0].locales] == ["it_IT"]


@pytest.mark.parametrize("domain_path", ["/../../../d", "../outside"])
def test_doctor_never_moves_a_catalog_out_of_the_plugin(tmp_path, domain_path):
    root = plugin(tmp_path, domain_path=domain_path)
    po = root / "languages" / "tiny-it_IT.po"
    (root / "tiny-it_IT.po").write_bytes(po.read_bytes())  # a second copy, "misplaced" at the top
    before = files_under(tmp_path)
    code, output = run("doctor", root, "--fix")
    assert "Traceback" not in output
    moved = files_under(tmp_path) - before
    assert all(name.startswith("deep/er/wp-content/plugins/tiny/") for name in moved), moved
    assert not (tmp_path / "deep" / "d").exists() and not (tmp_path / "deep" / "er" / "wp-content" / "plugins" / "outside").exists()
