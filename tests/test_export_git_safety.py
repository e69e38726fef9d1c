"""git exports never lose a user's commit, survive being killed, and do nothing when nothing is new.

Real repositories in tmp_path, the real `transkit` command in a subprocess for the kills, `git am`
on a fresh clone as the referee that a patch still applies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_export_git import git
from transkit.jobs.export import ExportOptions, export_plugin

PO = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: it_IT\\n"\n'
      '"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n"Last-Translator: Upstream <u@example.org>\\n"\n'
      '"PO-Revision-Date: 2020-01-01 00:00+0000\\n"\n\n'
      'msgid "Hello"\nmsgstr "Ciao"\n\nmsgid "Bye"\nmsgstr ""\n\nmsgid "Thanks"\nmsgstr ""\n')


@pytest.fixture
def translator(monkeypatch):
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_NAME", "Ada Traduttrice")
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_EMAIL", "ada@example.org")


def tiny_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "tiny"
    (repo / "languages").mkdir(parents=True)
    (repo / "tiny.php").write_text("<?php\n/*\nPlugin Name: Tiny\nText Domain: tiny\nDomain Path: /languages\n*/\n")
    (repo / "languages" / "tiny-it_IT.po").write_text(PO, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Tiny 1.0")
    return repo


def translate(repo: Path, msgid: str, msgstr: str) -> None:
    po = repo / "languages" / "tiny-it_IT.po"
    po.write_text(po.read_text(encoding="utf-8").replace(f'msgid "{msgid}"\nmsgstr ""',
                                                        f'msgid "{msgid}"\nmsgstr "{msgstr}"'), encoding="utf-8")


def export(repo: Path, tmp_path: Path, **kwargs):
    return export_plugin(repo, ExportOptions(locale="it_IT", git=True, out_dir=tmp_path / "out", **kwargs))


def am_applies(tmp_path: Path, repo: Path, base: str, patch: Path) -> str:
    clone = tmp_path / f"clone-{time.monotonic_ns()}"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "checkout", "-q", "--detach", base)
    git(clone, "am", str(patch))
    return (clone / "languages" / "tiny-it_IT.po").read_text(encoding="utf-8")


def test_a_user_commit_on_the_translation_branch_survives(tmp_path, translator):
    repo = tiny_repo(tmp_path)
    base = git(repo, "rev-parse", "HEAD").strip()
    translate(repo, "Bye", "Ciao ciao")
    first = export(repo, tmp_path)
    assert first.branch == "translations/it_IT" and not first.notices
    # the user adds their own commit on top of transkit's, on the same branch
    side = tmp_path / "side"
    git(repo, "worktree", "add", "-q", str(side), "translations/it_IT")
    (side / "NOTES.txt").write_text("my own work\n")
    git(side, "add", "NOTES.txt")
    git(side, "commit", "-q", "-m", "My own commit")
    git(repo, "worktree", "remove", str(side))
    user_tip = git(repo, "rev-parse", "translations/it_IT").strip()

    translate(repo, "Thanks", "Grazie")
    second = export(repo, tmp_path)
    assert git(repo, "rev-parse", "translations/it_IT").strip() == user_tip  # not moved
    assert second.branch == "translations/it_IT-2"
    assert any("holds commits transkit did not make" in n for n in second.notices)
    assert 'msgstr "Grazie"' in am_applies(tmp_path, repo, base, second.patch_path)


def test_a_branch_holding_only_our_earlier_export_is_reused(tmp_path, translator):
    repo = tiny_repo(tmp_path)
    translate(repo, "Bye", "Ciao ciao")
    first = export(repo, tmp_path)
    translate(repo, "Thanks", "Grazie")
    second = export(repo, tmp_path)
    assert second.branch == "translations/it_IT" and not second.notices
    assert git(repo, "rev-parse", "translations/it_IT").strip() == second.commit != first.commit


def test_nothing_new_commits_nothing_and_keeps_the_header(tmp_path, translator):
    repo = tiny_repo(tmp_path)
    # the working tree has exactly what is committed: nothing to give back
    result = export(repo, tmp_path)
    assert result.nothing_new and result.commit is None and result.patch_path is None
    assert "translations/it_IT" not in git(repo, "branch", "--list")
    assert not (tmp_path / "out").exists()
    # the CLI says so and exits 0
    from click.testing import CliRunner

    from transkit.cli.main import cli

    run = CliRunner().invoke(cli, ["export", str(repo), "-l", "it_IT", "--git", "--out", str(tmp_path / "out")])
    assert run.exit_code == 0, run.output
    assert "nothing new" in run.output and "nothing written or committed" in run.output
    assert "--force" in run.output


def test_files_export_with_nothing_new_writes_nothing(tmp_path, translator):
    repo = tiny_repo(tmp_path)
    out = tmp_path / "files"
    first = export_plugin(repo, ExportOptions(locale="it_IT", out_dir=out))
    assert first.written and not first.nothing_new
    stamp = {p.name: p.read_bytes() for p in out.iterdir()}
    again = export_plugin(repo, ExportOptions(locale="it_IT", out_dir=out))
    assert again.nothing_new and not again.written
    assert {p.name: p.read_bytes() for p in out.iterdir()} == stamp
    # --force exports anyway, but Last-Translator/PO-Revision-Date are not rewritten for no change
    forced = export_plugin(repo, ExportOptions(locale="it_IT", out_dir=tmp_path / "forced", force=True))
    po = (tmp_path / "forced" / "tiny-it_IT.po").read_text(encoding="utf-8")
    assert forced.written and "PO-Revision-Date: 2020-01-01 00:00+0000" in po and "Upstream <u@" in po


@pytest.mark.parametrize("location", ["ext::sh -c touch% {marker}", "fd::17", "--upload-pack=touch {marker}"])
def test_command_running_repo_locations_are_refused_cleanly(tmp_path, translator, location):
    repo = tiny_repo(tmp_path)
    translate(repo, "Bye", "Ciao ciao")
    marker = tmp_path / "pwned"
    result = subprocess.run(["transkit", "export", str(repo), "-l", "it_IT", "--git",
                             "--repo", location.format(marker=marker), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, env=os.environ)
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr and "refusing repository" in result.stderr
    assert not marker.exists()


def _wait_for(condition, process, timeout=60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.001)
    return False


@pytest.mark.parametrize("point", ["worktree-created", "branch-committed", "early"])
def test_a_kill_during_export_leaves_the_next_export_working(tmp_path, translator, point):
    repo = tiny_repo(tmp_path)
    base = git(repo, "rev-parse", "HEAD").strip()
    translate(repo, "Bye", "Ciao ciao")
    worktrees = Path(os.environ["TRANSKIT_DATA_DIR"]) / "worktrees"
    branch_ref = repo / ".git" / "refs" / "heads" / "translations" / "it_IT"
    conditions = {
        "worktree-created": lambda: worktrees.is_dir() and any(worktrees.glob("worktree-*")),
        "branch-committed": lambda: branch_ref.exists() and (repo / ".git" / "worktrees").is_dir()
        and any((p / "COMMIT_EDITMSG").exists() for p in (repo / ".git" / "worktrees").iterdir()),
        "early": lambda: True,
    }
    command = ["transkit", "export", str(repo), "-l", "it_IT", "--git",
               "--out", str(tmp_path / "out")]
    # its own process group, killed as a whole: git children die with it, as with kill -9 of a job
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ,
                               start_new_session=True)
    if point == "early":
        time.sleep(0.4)
    reached = _wait_for(conditions[point], process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    # not `git worktree list`: a kill while git wrote a record leaves one it cannot read
    records = repo / ".git" / "worktrees"
    stale = records.is_dir() and any(records.iterdir())
    print(f"{point}: reached={reached}, a worktree left registered: {stale}")

    result = subprocess.run(command, capture_output=True, text=True, env=os.environ)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    if stale:
        assert "removing a worktree left by an interrupted export" in result.stderr
    assert git(repo, "worktree", "list").count("\n") == 1  # only the user's own working tree
    patch = tmp_path / "out" / "tiny-it_IT.patch"
    assert 'msgstr "Ciao ciao"' in am_applies(tmp_path, repo, base, patch)



def test_a_worktree_killed_while_git_was_creating_it_is_removed_by_the_next_export(tmp_path, translator):
    # what a SIGKILL during `git worktree add` leaves: the worktree registered and locked
    # ("initializing"), its folder without the .git file; neither `remove` nor `prune` takes it
    repo = tiny_repo(tmp_path)
    base = git(repo, "rev-parse", "HEAD").strip()
    translate(repo, "Bye", "Ciao ciao")
    half_made = Path(os.environ["TRANSKIT_DATA_DIR"]) / "worktrees" / "worktree-0123456789ab"
    git(repo, "worktree", "add", "-q", "--lock", "--reason", "initializing", "--detach", str(half_made))
    (half_made / ".git").unlink()
    assert "locked" in git(repo, "worktree", "list")

    result = export(repo, tmp_path)

    assert git(repo, "worktree", "list").count("\n") == 1  # only the user's own working tree
    assert not half_made.exists()
    patch = tmp_path / "out" / "tiny-it_IT.patch"
    assert 'msgstr "Ciao ciao"' in am_applies(tmp_path, repo, base, patch)
    assert any("removing a worktree left by an interrupted export" in n for n in result.notices)

@pytest.mark.parametrize("emptied", ["commondir", "gitdir"])
def test_a_worktree_record_killed_half_written_is_removed_by_the_next_export(tmp_path, translator, emptied):
    # what a SIGKILL between git's creating and writing a record file leaves (seen in CI): an empty
    # commondir makes every `git worktree` command of the user's repository fail
    repo = tiny_repo(tmp_path)
    base = git(repo, "rev-parse", "HEAD").strip()
    translate(repo, "Bye", "Ciao ciao")
    half_made = Path(os.environ["TRANSKIT_DATA_DIR"]) / "worktrees" / "worktree-0123456789ab"
    git(repo, "worktree", "add", "-q", "--detach", str(half_made))
    (repo / ".git" / "worktrees" / half_made.name / emptied).write_bytes(b"")
    if emptied == "commondir":
        assert "failed to read" in subprocess.run(["git", "worktree", "list"], cwd=repo, capture_output=True,
                                                  text=True).stderr

    result = export(repo, tmp_path)
    assert git(repo, "worktree", "list").count("\n") == 1  # only the user's own working tree
    assert not half_made.exists()
    patch = tmp_path / "out" / "tiny-it_IT.patch"
    assert 'msgstr "Ciao ciao"' in am_applies(tmp_path, repo, base, patch)
    assert any("removing a worktree left by an interrupted export" in n for n in result.notices)


def test_the_git_am_hint_is_one_shell_argument_per_part(tmp_path):
    from transkit.upstream.message import HandOff, maintainer_message

    hand_off = HandOff(plugin="Tiny", locale="it_IT", patch_name="tiny $(touch pwned) it_IT.patch", keep_cr=True)
    assert hand_off.am_command == "git am --keep-cr 'tiny $(touch pwned) it_IT.patch'"
    assert "git am --keep-cr 'tiny $(touch pwned) it_IT.patch'" in maintainer_message(hand_off)
    # the hint as a person would paste it: it applies that file, and runs nothing else
    result = subprocess.run(["bash", "-c", f"printf '%s\\n' {hand_off.am_command.split(' ', 3)[3]}"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.stdout == "tiny $(touch pwned) it_IT.patch\n" and not (tmp_path / "pwned").exists()
