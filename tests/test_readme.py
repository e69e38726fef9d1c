"""The README is the first thing a new user runs: every command line in it must exist as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click

from transkit.cli.main import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_command_lines() -> list[list[str]]:
    """`transkit ...` invocations from the README's sh blocks, as words (comments and env set-up cut)."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    lines = []
    for block in blocks:
        for line in block.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part, comments=True)
                while words and "=" in words[0] and not words[0].startswith("-"):
                    words.pop(0)  # DEEPL_AUTH_KEY=... transkit fill
                if words and words[0] == "transkit":
                    lines.append(words)
    return lines


def resolve(words: list[str]) -> tuple[click.Command, list[str]]:
    command: click.Command = cli
    rest = words[1:]
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        sub = command.get_command(click.Context(command), rest[0])
        if sub is None:
            break
        command, rest = sub, rest[1:]
    return command, rest


def test_the_readme_shows_commands():
    assert len(readme_command_lines()) >= 10


def test_every_readme_command_and_option_exists():
    for words in readme_command_lines():
        command, rest = resolve(words)
        assert command is not cli or not rest or rest[0].startswith("-"), f"no such command: {words}"
        known = {name for param in command.params for name in (*param.opts, *param.secondary_opts)}
        for word in rest:
            if word.startswith("--"):
                assert word.split("=", 1)[0] in known, f"{' '.join(words)}: {word} is not an option"


def test_every_command_is_in_the_readme():
    shown = {words[1] for words in readme_command_lines() if len(words) > 1}
    missing = sorted(set(cli.list_commands(click.Context(cli))) - shown)
    assert not missing, f"commands the README never shows: {missing}"
