"""One rule for arguments and exit codes, across every command.

Every command that works on catalogs takes PATH… (or one PLUGIN) defaulting to the current folder,
and the exit codes a command's --help promises are ExitCode values that real failures produce.
"""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from transkit.cli.main import cli
from transkit.errors import ExitCode


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def commands():
    """(name path, click command) of every command and subcommand."""
    ctx = click.Context(cli)
    found = []

    def walk(group, prefix):
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            found.append((prefix + [name], command))
            if isinstance(command, click.Group):
                walk(command, prefix + [name])

    walk(cli, [])
    return found


CATALOG_COMMANDS = ["scan", "doctor", "init", "status", "update", "review", "check", "compile", "fill", "export",
                    "extract", "history", "tui"]


@pytest.mark.parametrize("name", CATALOG_COMMANDS)
def test_every_catalog_command_takes_a_path_defaulting_to_the_current_folder(name):
    command = dict((" ".join(p), c) for p, c in commands())[name]
    arguments = [param for param in command.params if isinstance(param, click.Argument)]
    assert arguments, f"{name} takes no PATH"
    first = arguments[0]
    assert not first.required, f"{name} requires its {first.name.upper()}"
    assert first.nargs == -1 or first.default == ".", f"{name}: {first.name} does not default to '.'"
    help_text = run(*name.split(), "--help").output
    assert "current folder" in " ".join(help_text.split()), f"{name} --help does not say the default"


@pytest.mark.parametrize("args", [["check"], ["compile"], ["fill", "--locale", "it_IT", "--dry-run",
                                                           "--provider", "tm", "--json"]])
def test_a_command_without_path_works_on_the_current_folder(sample_po, monkeypatch, args):
    monkeypatch.chdir(sample_po / "tiny-gallery")
    here = run(*args)
    explicit = run(*args[:1], ".", *args[1:])
    assert "Missing argument" not in here.output
    assert here.exit_code == explicit.exit_code
    assert here.output == explicit.output
    assert "it_IT" in here.output or "tiny-gallery" in here.output


def documented_exit_codes(help_text: str) -> set[int]:
    """The numbers --help states as exit codes: 'Exits 1 when …, 3 when …', 'exit status 3',
    'Exit status: 0 done; 2 bad selector; 3 …'."""
    text = " ".join(help_text.split())
    codes = set()
    for match in re.finditer(r"(?i)exit(?:s| status| code)?:?\s*(?:with\s+)?(\(?\d[^.]*)", text):
        sentence = match.group(1)
        codes.update(int(n) for n in re.findall(r"(?:^|[\s(;,])(\d{1,3})(?=[\s),;:]|$)", sentence))
    return codes


def test_every_exit_code_a_help_documents_is_an_exit_code_value():
    valid = {int(code) for code in ExitCode}
    documented_somewhere = 0
    for path, _command in commands():
        help_text = run(*path, "--help").output
        codes = documented_exit_codes(help_text)
        documented_somewhere += bool(codes)
        assert codes <= valid, f"transkit {' '.join(path)} --help documents {sorted(codes - valid)}"
    assert documented_somewhere >= 5


def test_the_exit_code_parser_reads_the_sentences_helps_use():
    assert documented_exit_codes("Exits 1 when any error is found, 3 when a catalog cannot be read, "
                                 "0 otherwise.") == {0, 1, 3}
    assert documented_exit_codes("Exit status: 0 done; 2 bad selector;\n 3 a catalog could not be read") == {0, 2, 3}
    assert documented_exit_codes("listed (exit status 3).") == {3}


MALFORMED = 'msgid ""\nmsgstr ""\n"Language: it_IT\\n"\n\nmsgid "a"\nmsgstr "b\n'


def helped(name: str) -> str:
    return " ".join(run(name, "--help").output.split())


def test_check_on_a_malformed_catalog_exits_as_its_help_says(sample_po):
    bad = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-de_DE.po"
    bad.write_text(MALFORMED, encoding="utf-8")
    assert f"{int(ExitCode.CATALOG)} when a catalog cannot be read" in helped("check")
    result = run("check", str(sample_po / "tiny-gallery"))
    assert result.exit_code == ExitCode.CATALOG
    assert "tiny-gallery-de_DE.po" in result.output and "Traceback" not in result.output


def test_compile_with_one_malformed_catalog_among_good_ones(sample_po):
    """Partial failure: the good catalogs are compiled, the bad one is named, the exit code says so."""
    folder = sample_po / "tiny-gallery" / "languages"
    bad = folder / "tiny-gallery-de_DE.po"
    bad.write_text(MALFORMED, encoding="utf-8")
    assert f"{int(ExitCode.CATALOG)} when a catalog cannot be read" in helped("compile")
    result = run("compile", str(sample_po / "tiny-gallery"))
    assert result.exit_code == ExitCode.CATALOG
    assert "tiny-gallery-de_DE.po" in result.output
    assert not bad.with_suffix(".mo").exists()
    good = [po for po in folder.glob("*.po") if po != bad]
    assert good and all(po.with_suffix(".mo").exists() for po in good)


@pytest.mark.parametrize("args", [["check", "--only", "nonsense"], ["compile", "--bogus"],
                                  ["fill", "--locale", "klingon"], ["scan", "/no/such/folder"]])
def test_a_bad_option_is_a_usage_error(args):
    result = run(*args)
    assert result.exit_code == ExitCode.USAGE == 2
    assert "Traceback" not in result.output


def test_fill_on_a_malformed_catalog_exits_as_its_help_says(sample_po):
    bad = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-de_DE.po"
    bad.write_text(MALFORMED.replace("it_IT", "de_DE"), encoding="utf-8")
    before = bad.read_bytes()
    assert f"{int(ExitCode.CATALOG)} when a catalog cannot be read" in helped("fill")
    result = run("fill", str(sample_po / "tiny-gallery"), "--locale", "de_DE", "--provider", "tm")
    assert result.exit_code == ExitCode.CATALOG
    assert "tiny-gallery-de_DE.po:6" in result.output and "Traceback" not in result.output
    assert bad.read_bytes() == before


def test_fill_says_which_catalog_the_memory_could_not_learn_from(sample_po):
    """Filling it_IT next to a broken de_DE catalog: the fill runs, and the skipped catalog is named
    (a line, and in --json) instead of silently teaching the memory nothing."""
    bad = sample_po / "tiny-gallery" / "languages" / "tiny-gallery-de_DE.po"
    bad.write_text(MALFORMED.replace("it_IT", "de_DE"), encoding="utf-8")
    args = ["fill", str(sample_po / "tiny-gallery"), "--locale", "it_IT", "--provider", "tm", "--dry-run"]
    result = run(*args)
    assert result.exit_code == 0
    assert "memory: not learned from" in result.output and "tiny-gallery-de_DE.po:6" in result.output
    import json

    report = json.loads(run(*args, "--json").stdout)
    assert any("tiny-gallery-de_DE.po:6" in reason for reason in report["memory_unreadable"])


def test_every_help_fits_an_80_column_terminal():
    """click folds a help's prose at the terminal's width but not its \\b blocks (examples, exit
    status): those lines are written to fit 80 columns by hand."""
    from narrow_terminal import transkit_at_80

    too_wide = {}
    for path, _command in commands():
        lines = transkit_at_80(*path, "--help").stdout.splitlines()
        wide = [line for line in lines if len(line) > 80]
        if wide:
            too_wide[" ".join(path)] = wide
    assert not too_wide, too_wide


def json_commands():
    return [path for path, command in commands()
            if any(param.name == "as_json" for param in command.params)]


def json_error(result) -> dict:
    """The error object a failed --json command printed on stdout (nothing else is there)."""
    import json

    return json.loads(result.stdout)["error"]


@pytest.mark.parametrize("path", json_commands(), ids=" ".join)
def test_every_json_command_prints_a_usage_error_as_json(path):
    result = run(*path, "--json", "--no-such-option")
    assert result.exit_code == ExitCode.USAGE
    error = json_error(result)
    assert error["exit_code"] == 2 and error["kind"] == "usage"
    assert "--no-such-option" in error["message"]


def test_a_failed_fill_json_says_why_on_stdout(sample_po, tmp_path, monkeypatch):
    gallery = str(sample_po / "tiny-gallery")
    missing = run("fill", str(tmp_path / "nowhere"), "--locale", "it_IT", "--json")
    assert missing.exit_code == ExitCode.USAGE
    assert "does not exist" in json_error(missing)["message"]
    no_catalog = run("fill", gallery, "--locale", "fr_FR", "--provider", "tm", "--json")
    assert no_catalog.exit_code == ExitCode.CATALOG
    error = json_error(no_catalog)
    assert error["kind"] == "catalog" and "no fr_FR catalog under" in error["message"]
    config = tmp_path / "broken.toml"
    config.write_text("[llm\n", encoding="utf-8")
    monkeypatch.setenv("TRANSKIT_CONFIG", str(config))
    bad_config = run("fill", gallery, "--locale", "it_IT", "--provider", "tm", "--json")
    assert bad_config.exit_code == ExitCode.CONFIG
    assert json_error(bad_config)["kind"] == "config" and str(config) in json_error(bad_config)["message"]
    assert "error:" in bad_config.stderr  # the one line for a person is still printed


def test_a_failure_without_json_prints_no_json(sample_po):
    result = run("fill", str(sample_po / "tiny-gallery"), "--locale", "fr_FR", "--provider", "tm")
    assert result.exit_code == ExitCode.CATALOG and result.stdout == ""
