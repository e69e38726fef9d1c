"""The README is the first thing a new user runs: every command line in it must exist as written."""

from __future__ import annotations

import os
import re
import subprocess
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


def readme_python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_library_example_runs_as_written(tmp_path, monkeypatch, capsys):
    """The README's library section, run from a copy of sample_po/tiny-gallery as its working folder:
    it translates one string, prints the stats, and the save changes that entry and nothing else."""
    import shutil

    [block] = readme_python_blocks()
    plugin = tmp_path / "tiny-gallery"
    shutil.copytree(README.parent / "sample_po" / "tiny-gallery", plugin)
    po = plugin / "languages" / "tiny-gallery-it_IT.po"
    before = po.read_text(encoding="utf-8")
    monkeypatch.chdir(plugin)

    exec(compile(block, "README.md (library example)", "exec"), {})

    printed = capsys.readouterr().out
    assert "'untranslated': 7" in printed and "'translated': 5" in printed
    after = po.read_text(encoding="utf-8")
    assert 'msgid "Save Changes"\nmsgstr "Salva modifiche"\n' in after
    assert after.replace('msgstr "Salva modifiche"', 'msgstr ""') == before


def test_the_library_functions_the_readme_names_exist(tmp_path):
    from transkit.catalog import load_catalog
    from transkit.catalog.discover import scan
    from transkit.catalog.locales import catalog_locale, plural_forms_for
    from transkit.catalog.merge import merge_template
    from transkit.jobs.catalogs import find_catalogs

    sample = README.parent / "sample_po"
    text = README.read_text(encoding="utf-8")
    for name in ("discover.scan(path)", "find_catalogs([path], locale)", "catalog_locale(path, header)",
                 "merge_template(catalog, template)", 'plural_forms_for("ru")'):
        assert name in text
    [project] = scan(sample / "tiny-gallery")
    assert project.name == "Tiny Gallery"
    assert ("tiny-gallery-it_IT.po", "it_IT") in [(f.path.name, f.locale) for f in project.files]
    found = find_catalogs([sample / "tiny-gallery"], "it_IT")
    refs = found.refs
    assert [r.path.name for r in refs] == ["tiny-gallery-it_IT.po"] and found.left_out == []
    assert catalog_locale(refs[0].path, {}).code == "it_IT"
    assert plural_forms_for("ru").startswith("nplurals=3;")
    catalog = load_catalog(refs[0].path)
    template = load_catalog(sample / "tiny-gallery" / "languages" / "tiny-gallery.pot")
    merge_template(catalog, template)
    assert {e.msgid for e in template.entries} <= {e.msgid for e in catalog.entries if not e.obsolete}


def test_the_extract_demo_prints_what_the_readme_shows(sample_po, isolated_home):
    """The README's output block after `transkit extract sample_po/pocket-events` is what a new user
    sees, run from the folder that holds sample_po/ (paths shown relative to it)."""
    text = README.read_text(encoding="utf-8")
    command = "transkit extract sample_po/pocket-events "
    shown = re.search(r"```text\n(.*?)```", text[text.index(command):], re.S).group(1)
    result = subprocess.run(["transkit", "extract", "sample_po/pocket-events"], cwd=sample_po.parent,
                            capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == shown
