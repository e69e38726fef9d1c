"""Git work for giving a translation back: the only module that imports GitPython.

The user's repository is someone's working copy. Everything here happens in a separate worktree
(``git worktree add``) on the branch ``translations/<locale>``, so the user's checked-out branch, index
and uncommitted changes are never touched; the worktree is removed afterwards and the branch stays for
the user to push. ``format_patch`` writes the commit as an mbox that ``git am`` applies on a clean clone
of the base commit (binary diffs included, so .mo files travel too).
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import git
from git.exc import (GitCommandError, InvalidGitRepositoryError, NoSuchPathError, UnsafeOptionError,
                     UnsafeProtocolError)

from transkit.catalog.paths import contained
from transkit.errors import UpstreamError
from transkit.files import exclusive_lock

_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|[^/\s]+@[^/\s]+:)", re.IGNORECASE)


@dataclass(frozen=True)
class RepoInfo:
    root: Path  # the working tree's top folder
    head_commit: str  # full sha of HEAD: the base the translation is committed on
    branch: str | None  # the user's checked-out branch (None when detached)


@dataclass(frozen=True)
class CommitResult:
    branch: str
    base: str
    commit: str
    paths: list[str]  # repository-relative paths committed


def _error(action: str, exc: Exception) -> UpstreamError:
    if isinstance(exc, GitCommandError):
        detail = (exc.stderr or exc.stdout or "").strip().replace("\n", " ")
        detail = re.sub(r"^stderr: ?'?|'$", "", detail).strip() or str(exc.status)
        return UpstreamError(f"git {action} failed: {detail}")
    return UpstreamError(f"git {action} failed: {exc}")


def is_url(location: str) -> bool:
    return bool(_URL.match(location))


def find_repository(path: str | os.PathLike) -> RepoInfo | None:
    """The git working tree containing ``path``, or None when it is not in one."""
    try:
        repo = git.Repo(Path(path), search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        return None
    try:
        if repo.bare or repo.working_tree_dir is None:
            return None
        try:
            head = repo.head.commit.hexsha
        except ValueError:
            raise UpstreamError(f"{repo.working_tree_dir}: the repository has no commit yet") from None
        branch = None if repo.head.is_detached else repo.active_branch.name
        return RepoInfo(Path(repo.working_tree_dir).resolve(), head, branch)
    finally:
        repo.close()


# transports that run commands (ext::) or read file descriptors (fd::): never from a user's string
_UNSAFE_LOCATION = re.compile(r"^(?:ext|fd)::|^-", re.IGNORECASE)


def check_location(location: str) -> None:
    if _UNSAFE_LOCATION.match(location.strip()):
        raise UpstreamError(f"refusing repository {location!r}: the ext::/fd:: transports and option-like "
                            "names run commands; give an https://, ssh, git@ URL or a local path")


def clone(location: str, destination: str | os.PathLike, revision: str | None = None) -> RepoInfo:
    """Clone a URL or local path into ``destination`` (reused when it already is that clone: then
    fetched and moved to the upstream tip, or to ``revision``)."""
    check_location(location)
    destination = Path(destination)
    try:
        if (destination / ".git").exists():
            repo = git.Repo(destination)
            repo.remotes.origin.fetch()
            revision = revision or "origin/HEAD"
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            repo = git.Repo.clone_from(location, destination)
        if revision:
            repo.git.checkout("--detach", revision)
        repo.close()
    except (UnsafeProtocolError, UnsafeOptionError) as exc:
        raise UpstreamError(f"refusing repository {location!r}: {exc}") from None
    except (GitCommandError, InvalidGitRepositoryError, OSError, AttributeError) as exc:
        raise _error(f"clone of {location}", exc) from None
    info = find_repository(destination)
    assert info is not None
    return info


def read_file_at(root: str | os.PathLike, commit: str, relative_path: str) -> bytes | None:
    """A file's bytes at a commit, or None when it does not exist there."""
    with git.Repo(root) as repo:
        try:
            blob = repo.commit(commit).tree / relative_path
        except KeyError:
            return None
        except (ValueError, GitCommandError) as exc:
            raise _error("show", exc) from None
        return blob.data_stream.read()


def commits_only_on(root: str | os.PathLike, branch: str, base: str) -> list[str] | None:
    """The commits of ``branch`` that ``base`` does not have (newest first), or None when there is
    no such branch: what moving the branch to ``base`` would drop."""
    with git.Repo(root) as repo:
        if f"refs/heads/{branch}" not in {ref.path for ref in repo.heads}:
            return None
        try:
            return repo.git.rev_list(f"refs/heads/{branch}", "--not", base).split()
        except GitCommandError as exc:
            raise _error("rev-list", exc) from None


def free_branch(root: str | os.PathLike, wanted: str, base: str, ours: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``-3``… : the first branch that does not exist or holds only
    commits in ``ours`` (earlier exports), so no commit someone else made is ever moved away."""
    for attempt in range(1, 100):
        name = wanted if attempt == 1 else f"{wanted}-{attempt}"
        extra = commits_only_on(root, name, base)
        if extra is None or set(extra) <= ours:
            return name
    raise UpstreamError(f"{root}: branches {wanted} to {wanted}-99 all hold commits transkit did not make")


_OUR_WORKTREE = re.compile(r"worktree-[0-9a-f]{12}[0-9]*")


def _remove_broken_worktree_records(repo: git.Repo, work_dir: Path, say) -> None:
    """Records of ours that a kill left half written in ``.git/worktrees``: ``git worktree add``
    creates each file there empty before writing it, and an empty ``commondir`` or ``gitdir`` makes
    every ``git worktree`` command of the repository fail ("failed to read …/commondir"), so the
    user's own git would stay broken too. Removed by hand, with the folder of the same name."""
    records = Path(repo.common_dir) / "worktrees"
    if not records.is_dir():
        return
    for record in records.iterdir():
        if not _OUR_WORKTREE.fullmatch(record.name):
            continue
        files = [record / "commondir", record / "gitdir"]
        if not any(f.exists() and f.stat().st_size == 0 for f in files) and (record / "gitdir").exists():
            continue  # whole enough for git itself to list and remove
        say(f"removing a worktree left by an interrupted export: {work_dir / record.name}")
        shutil.rmtree(record, ignore_errors=True)
        shutil.rmtree(work_dir / record.name, ignore_errors=True)


def _remove_stale_worktrees(repo: git.Repo, work_dir: Path, say) -> None:
    """Worktrees of ours a killed export left registered (they would keep the branch checked out
    and block every later export). Only called while holding the export lock of this repository."""
    _remove_broken_worktree_records(repo, work_dir, say)
    try:
        listing = repo.git.worktree("list", "--porcelain")
    except GitCommandError as exc:
        raise _error("worktree list", exc) from None
    ours = work_dir.resolve()
    for block in listing.split("\n\n"):
        line = block.split("\n", 1)[0]
        if not line.startswith("worktree "):
            continue
        path = Path(line[len("worktree "):])
        if path.parent.resolve() != ours or not path.name.startswith("worktree-"):
            continue
        say(f"removing a worktree left by an interrupted export: {path}")
        _remove_worktree(repo, path)
    repo.git.worktree("prune")


def _remove_worktree(repo: git.Repo, path: Path) -> None:
    """Remove one of our worktrees, also one a kill left half made: ``git worktree add`` keeps the new
    worktree locked ("initializing") until it is checked out, and neither ``remove`` (its ``.git``
    file may be missing) nor ``prune`` (it skips locked entries) gets rid of that one."""
    try:
        repo.git.worktree("remove", "--force", "--force", str(path))
    except GitCommandError:
        shutil.rmtree(path, ignore_errors=True)
        try:
            repo.git.worktree("unlock", str(path))
        except GitCommandError:
            pass  # it was not locked
        repo.git.worktree("prune")


def _remove_stale_ref_lock(repo: git.Repo, branch: str, say) -> None:
    lock = Path(repo.git_dir) / "refs" / "heads" / f"{branch}.lock"
    if lock.exists():
        say(f"removing a stale lock an interrupted export left on {branch}: {lock}")
        lock.unlink(missing_ok=True)


@contextmanager
def translation_worktree(root: str | os.PathLike, branch: str, base: str,
                         work_dir: str | os.PathLike, say=None) -> Iterator[Path]:
    """A temporary worktree on ``branch``, (re)started at ``base``; removed on exit, branch kept.

    Raises when the branch is checked out in the user's own working tree: moving it would change
    what they have in front of them. Callers choose a branch with ``free_branch`` first. One export
    per repository at a time (a lock in ``work_dir``), so anything of ours found registered at the
    start is what a killed export left behind, and is removed with a notice.
    """
    say = say or (lambda message: None)
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    with git.Repo(root) as repo:
        if not repo.head.is_detached and repo.active_branch.name == branch:
            raise UpstreamError(f"{root}: branch {branch} is checked out here; switch to another branch "
                                "so transkit can update it without touching your files")
        key = uuid.uuid5(uuid.NAMESPACE_URL, str(Path(repo.git_dir).resolve())).hex[:16]
        busy = UpstreamError(f"{root}: another transkit export is working on this repository")
        with exclusive_lock(work_dir / f"repo-{key}.lock", 60, busy):
            _remove_stale_worktrees(repo, work_dir, say)
            _remove_stale_ref_lock(repo, branch, say)
            path = work_dir / f"worktree-{uuid.uuid4().hex[:12]}"
            try:
                repo.git.worktree("add", "-B", branch, str(path), base)
            except GitCommandError as exc:
                raise _error("worktree add", exc) from None
            try:
                yield path
            finally:
                _remove_worktree(repo, path)


def commit_files(worktree: str | os.PathLike, files: dict[str, bytes], message: str,
                 author_name: str, author_email: str) -> CommitResult:
    """Write ``files`` (repository-relative path -> bytes) in the worktree and commit only them.

    The translator is author and committer, so the commit does not depend on the machine's git
    identity. Raises when nothing changed (the maintainer would get an empty patch).
    """
    if not (author_name.strip() and author_email.strip()):  # git would take "" (or make one up)
        raise UpstreamError(f"a commit needs an author name and email, not {author_name!r} <{author_email!r}>")
    worktree = Path(worktree)
    for relative, data in files.items():
        target = contained(relative, worktree, "committed file", relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    with git.Repo(worktree) as repo:
        paths = sorted(files)
        try:
            repo.git.add("--", *paths)
            if not repo.git.diff("--cached", "--name-only", "--", *paths).strip():
                raise UpstreamError("nothing to commit: the repository already has these translations")
            base = repo.head.commit.hexsha
            identity = {"GIT_AUTHOR_NAME": author_name, "GIT_AUTHOR_EMAIL": author_email,
                        "GIT_COMMITTER_NAME": author_name, "GIT_COMMITTER_EMAIL": author_email}
            with repo.git.custom_environment(**identity):
                # no hooks and no signing: the user's own setup must not stop or change the commit
                repo.git.commit("--no-verify", "--no-gpg-sign", "-q", "-m", message)
            commit = repo.head.commit
        except GitCommandError as exc:
            raise _error("commit", exc) from None
        return CommitResult(repo.active_branch.name, base, commit.hexsha, paths)


def ignored_paths(worktree: str | os.PathLike, paths: list[str]) -> set[str]:
    """Which of ``paths`` (repository-relative) the repository's ignore rules leave out and it does
    not track (``git check-ignore``): a plugin that ignores ``*.mo`` builds them itself, and ``git add``
    would refuse them."""
    if not paths:
        return set()
    with git.Repo(worktree) as repo:
        try:
            status, out, err = repo.git.execute(["git", "check-ignore", "--", *paths], with_exceptions=False,
                                                with_extended_output=True)
        except GitCommandError as exc:
            raise _error("check-ignore", exc) from None
    if status not in (0, 1):  # 1: none of them is ignored
        raise UpstreamError(f"git check-ignore failed: {(err or out or str(status)).strip()}")
    return {line for line in out.splitlines() if line}


def format_patch(root: str | os.PathLike, base: str, tip: str) -> bytes:
    """``git format-patch --stdout --binary base..tip``: an mbox ``git am`` applies."""
    with git.Repo(root) as repo:
        try:
            return repo.git.format_patch("--stdout", "--binary", "--no-signature", f"{base}..{tip}",
                                         stdout_as_string=False, strip_newline_in_stdout=False)
        except GitCommandError as exc:
            raise _error("format-patch", exc) from None


@dataclass(frozen=True)
class GitIdentity:
    """Who git itself would name as a commit's author: ``$GIT_AUTHOR_NAME``/``$GIT_AUTHOR_EMAIL``,
    else ``user.name``/``user.email`` as ``git config`` resolves them (the repository's, the global
    and system files, ``$GIT_CONFIG_GLOBAL``, includes). A part git does not know is "" — never one
    guessed from the login and host name, as git may. ``origin`` says where each part came from."""

    name: str
    email: str
    origin: str  # e.g. "git config user.name/user.email (/home/ada/.gitconfig)"


def configured_identity(root: str | os.PathLike) -> GitIdentity:
    """Git's configured author identity for commits in the repository at ``root``."""
    found: dict[str, tuple[str, str, str]] = {}  # part -> (value, setting, where)
    with git.Repo(root) as repo:
        for key, variable in (("name", "GIT_AUTHOR_NAME"), ("email", "GIT_AUTHOR_EMAIL")):
            value = os.environ.get(variable, "").strip()
            if value:
                found[key] = (value, f"${variable}", "the environment")
                continue
            # git itself reads the config (GitPython's own reader ignores $GIT_CONFIG_GLOBAL and includes)
            shown = repo.git.config("--show-origin", "--get", f"user.{key}", with_exceptions=False)
            origin, _, value = shown.partition("\t")
            if value.strip():
                found[key] = (value.strip(), f"user.{key}", f"git config, {origin.removeprefix('file:')}")
    by_place: dict[str, list[str]] = {}
    for _, setting, where in found.values():
        by_place.setdefault(where, []).append(setting)
    origin = "; ".join(f"{'/'.join(settings)} ({where})" for where, settings in by_place.items())
    return GitIdentity(found.get("name", ("",))[0], found.get("email", ("",))[0], origin)


def move_tracked(source: str | os.PathLike, target: str | os.PathLike) -> bool:
    """``git mv source target`` when ``source`` is tracked in a git working tree (so the history
    follows the file); False, touching nothing, when it is not in one or not tracked."""
    source, target = Path(source).resolve(), Path(target).resolve()
    try:
        repo = git.Repo(source.parent, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        return False
    try:
        if repo.bare or repo.working_tree_dir is None:
            return False
        root = Path(repo.working_tree_dir).resolve()
        relative = source.relative_to(root).as_posix()
        if not repo.git.ls_files("--", relative):
            return False
        repo.git.mv("--", relative, target.relative_to(root).as_posix())
        return True
    except ValueError:  # the target lies outside the working tree: a plain move
        return False
    except GitCommandError as exc:
        raise _error("mv", exc) from None
    finally:
        repo.close()
