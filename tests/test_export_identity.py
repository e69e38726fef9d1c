"""Who authors an `export --git` commit: the translator identity ([identity] or
TRANSKIT_TRANSLATOR_NAME/_EMAIL), else git's own configured identity — named in the output — and
otherwise a one-line error saying how to set it. Never an empty or made-up author. Real repositories
in tmp_path, git's global config pointed at a file the test writes, the transkit CLI."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from test_export_cli import GOOD, write_plugin


@pytest.fixture
def plugin(tmp_path) -> Path:
    """A plugin repository whose committed catalog lacks the translation of "Save"."""
    root = tmp_path / "tiny"
    po = write_plugin(root, GOOD.replace('msgstr "Salva"', 'msgstr ""'))
    git_env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["init", "-q", "-b", "main"], ["add", "."],
                 ["-c", "user.name=Upstream Dev", "-c", "user.email=dev@example.org", "commit", "-q", "-m", "1.2"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=git_env)
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "Save"\nmsgstr ""', 'msgid "Save"\nmsgstr "Salva"'),
                  encoding="utf-8")
    return root


def export(plugin: Path, tmp_path: Path, gitconfig: str = "", **env: str) -> subprocess.CompletedProcess:
    """`transkit export --git --json` with git's global config holding ``gitconfig`` and no identity
    in the environment but ``env``."""
    global_config = tmp_path / "gitconfig"
    global_config.write_text(gitconfig, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("GIT_AUTHOR_", "GIT_COMMITTER_", "TRANSKIT_TRANSLATOR_")) and k != "EMAIL"}
    return subprocess.run(["transkit", "export", str(plugin), "-l", "it_IT", "--git", "--json",
                           "--out", str(tmp_path / "out")], capture_output=True, text=True,
                          env={**clean, "GIT_CONFIG_GLOBAL": str(global_config), "GIT_CONFIG_NOSYSTEM": "1", **env})


def branches(repo: Path) -> str:
    return subprocess.run(["git", "branch", "--list"], cwd=repo, capture_output=True, text=True, check=True).stdout


def author_of(repo: Path, ref: str) -> str:
    return subprocess.run(["git", "log", "-1", "--format=%an <%ae>|%cn <%ce>", ref], cwd=repo, capture_output=True,
                          text=True, check=True).stdout.strip()


def test_no_identity_anywhere_is_one_clear_line_and_nothing_is_committed(plugin, tmp_path):
    done = export(plugin, tmp_path)
    assert done.returncode == 6, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: no translator identity to author the commit: set [identity] name and email in "
                      f"{os.environ['TRANSKIT_CONFIG']} (or TRANSKIT_TRANSLATOR_NAME and TRANSKIT_TRANSLATOR_EMAIL)"]
    assert "Traceback" not in done.stderr
    # --json: the same error, as the one JSON object on stdout
    assert json.loads(done.stdout)["error"]["message"] == errors[0].removeprefix("error: ")
    assert json.loads(done.stdout)["error"]["exit_code"] == 6
    assert "translations/" not in branches(plugin) and not (tmp_path / "out").exists()


@pytest.mark.parametrize("env, gitconfig, missing", [
    ({"TRANSKIT_TRANSLATOR_NAME": "Ada Traduttrice"}, "", "email"),
    # half an identity of ours is not completed from git's: that would be a made-up author
    ({"TRANSKIT_TRANSLATOR_EMAIL": "ada@example.org"}, "[user]\n\tname = Someone Else\n\temail = s@example.org\n",
     "name"),
])
def test_half_a_translator_identity_is_refused(plugin, tmp_path, env, gitconfig, missing):
    done = export(plugin, tmp_path, gitconfig, **env)
    assert done.returncode == 6, done.stderr
    assert (f"error: the translator identity has no {missing}: set [identity] {missing} in "
            f"{os.environ['TRANSKIT_CONFIG']} (or TRANSKIT_TRANSLATOR_{missing.upper()})") in done.stderr
    assert "translations/" not in branches(plugin) and not (tmp_path / "out").exists()


def test_git_knowing_only_a_name_is_not_enough(plugin, tmp_path):
    done = export(plugin, tmp_path, "[user]\n\tname = Half Known\n")
    assert done.returncode == 6, done.stderr
    assert "no translator identity to author the commit" in done.stderr
    assert f"git knows only user.name (git config, {tmp_path / 'gitconfig'})" in done.stderr
    assert "translations/" not in branches(plugin)


def test_without_identity_git_config_authors_the_commit_and_the_output_says_so(plugin, tmp_path):
    done = export(plugin, tmp_path, "[user]\n\tname = Grace Hopper\n\temail = grace@example.org\n")
    assert done.returncode == 0, done.stderr
    said = (f"commit authored as Grace Hopper <grace@example.org>, from user.name/user.email (git config, "
            f"{tmp_path / 'gitconfig'}): no [identity] in {os.environ['TRANSKIT_CONFIG']}")
    assert said in done.stderr
    result = json.loads(done.stdout)
    assert any(said in notice for notice in result["notices"])
    assert author_of(plugin, result["branch"]) == "Grace Hopper <grace@example.org>|Grace Hopper <grace@example.org>"
    committed = subprocess.run(["git", "show", f"{result['branch']}:languages/tiny-it_IT.po"], cwd=plugin,
                               capture_output=True, text=True, check=True).stdout
    assert '"Last-Translator: Grace Hopper <grace@example.org>\\n"' in committed
    assert (tmp_path / "out" / "MESSAGE.md").read_text(encoding="utf-8").rstrip().endswith(
        "— Grace Hopper <grace@example.org>")


def test_the_translator_identity_wins_over_git_and_is_not_announced(plugin, tmp_path):
    config = Path(os.environ["TRANSKIT_CONFIG"])
    config.write_text('[identity]\nname = "Ada Traduttrice"\nemail = "ada@example.org"\n', encoding="utf-8")
    done = export(plugin, tmp_path, "[user]\n\tname = Grace Hopper\n\temail = grace@example.org\n")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert author_of(plugin, result["branch"]) == "Ada Traduttrice <ada@example.org>|Ada Traduttrice <ada@example.org>"
    assert "authored as" not in done.stderr and result["notices"] == []
