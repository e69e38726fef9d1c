"""Writing files that people and other programs rely on: the one atomic write and the one per-file
lock of transkit.

``atomic_write`` puts the bytes in a temporary file beside the target, fsyncs and renames it over the
target, so a crash, a kill or a full disk leaves the old file or the new one, never half of each.
A symlinked target (a PO linked from a shared folder) is written where the link points and stays a
link. Temporary files a killed process left behind (ours only, by name) are removed on the next write
to the same file. ``save_lock`` serialises writers of one file across processes (``filelock``: real
locks on Windows too); its lock files live in transkit's data folder, never beside the user's files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, Iterator

from transkit.errors import CatalogError, TranskitError
from transkit.config import data_dir

TEMP_MARK = ".transkit-"
STALE_AFTER_SECONDS = 60  # a write takes milliseconds; an older temporary file is an orphan
LOCK_TIMEOUT_SECONDS = 60


def open_for_reading(path: str | os.PathLike) -> BinaryIO:
    """``open(path, "rb")`` with the reasons a user can fix as CatalogError naming the file."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise CatalogError("no such file", path) from None
    except IsADirectoryError:
        raise CatalogError("is a folder, not a catalog file", path) from None
    except OSError as exc:
        raise CatalogError(exc.strerror or str(exc), path) from None


def _temp_names(target: Path) -> list[str]:
    """Names of temporary files of ours for ``target`` (current and earlier naming)."""
    return [f".{target.name}{TEMP_MARK}*.tmp", f".{target.name}.*.tmp", f".{target.name}.transkit-tmp"]


def remove_stale_temporaries(target: Path, older_than: float = STALE_AFTER_SECONDS) -> list[Path]:
    removed = []
    now = time.time()
    for pattern in _temp_names(target):
        for candidate in target.parent.glob(pattern):
            try:
                if now - candidate.lstat().st_mtime > older_than and candidate.is_file():
                    candidate.unlink()
                    removed.append(candidate)
            except OSError:
                continue
    return removed


def atomic_write(target: str | os.PathLike, data: bytes, error: type[TranskitError] = CatalogError) -> Path:
    """Write ``data`` to ``target`` atomically; returns the path given. OSErrors become ``error``."""
    given = Path(target)
    real = Path(os.path.realpath(given))  # through a symlink to the file it names
    try:
        mode = real.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    except OSError as exc:
        raise _error(error, given, exc) from None
    remove_stale_temporaries(real)
    try:
        handle = tempfile.NamedTemporaryFile("wb", dir=real.parent, prefix=f".{real.name}{TEMP_MARK}",
                                             suffix=".tmp", delete=False)
    except OSError as exc:
        raise _error(error, given, exc) from None
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, mode)
        os.replace(handle.name, real)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(handle.name)
        if isinstance(exc, OSError):
            raise _error(error, given, exc) from None
        raise
    return given


def _error(error: type[TranskitError], path: Path, exc: OSError) -> TranskitError:
    reason = f"cannot write: {exc.strerror or exc}"
    if issubclass(error, CatalogError):
        return error(reason, path)
    return error(f"{path}: {reason}")


@contextlib.contextmanager
def save_lock(target: str | os.PathLike) -> Iterator[None]:
    """One writer at a time for ``target`` across processes (keyed by its real path)."""

    folder = data_dir() / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(os.fsencode(os.path.realpath(target))).hexdigest()
    busy = CatalogError(f"another transkit process has been saving this file for over {LOCK_TIMEOUT_SECONDS} s; "
                        "try again", target)
    with exclusive_lock(folder / f"{name}.lock", LOCK_TIMEOUT_SECONDS, busy):
        yield


@contextlib.contextmanager
def exclusive_lock(lock_file: str | os.PathLike, timeout: float, busy: TranskitError) -> Iterator[None]:
    """Hold ``lock_file`` (a lock across processes, released if the holder dies); ``busy`` is raised
    when another process holds it for ``timeout`` seconds."""
    from filelock import FileLock, Timeout  # lazy: 13 ms of imports a command that writes nothing skips

    lock = FileLock(str(lock_file))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise busy from None
    try:
        yield
    finally:
        lock.release()
