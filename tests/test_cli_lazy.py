"""The ``transkit`` group imports a command's module only when that command runs; ``--help`` lists them all."""

from __future__ import annotations

import importlib
import subprocess
import sys

import click
from click.testing import CliRunner

from transkit.cli.main import COMMAND_MODULES, cli


def test_the_table_names_exactly_the_commands_each_module_registers():
    for module_name, names in COMMAND_MODULES.items():
        group = click.Group()
        importlib.import_module(module_name).register(group)
        assert tuple(sorted(group.commands)) == names, module_name


def test_help_lists_every_command_with_its_short_help():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for names in COMMAND_MODULES.values():
        for name in names:
            assert f"  {name} " in result.output
    assert "fill      Fill untranslated entries from the translation memory" in result.output


def test_tm_has_the_subcommands_of_both_modules():
    result = CliRunner().invoke(cli, ["tm", "--help"])
    assert result.exit_code == 0
    for sub in ("import", "stats", "export"):
        assert f"  {sub} " in result.output


def test_one_command_imports_only_its_own_module():
    code = ("import sys\nfrom transkit.cli.main import cli\n"
            "try:\n    cli(['fill', '--help'], prog_name='transkit')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('transkit.cli.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.strip().splitlines()[-1]
    assert "'transkit.cli.fill'" in loaded
    for other in ("transkit.cli.tui", "transkit.cli.glossary", "transkit.cli.export", "transkit.cli.db"):
        assert f"'{other}'" not in loaded
