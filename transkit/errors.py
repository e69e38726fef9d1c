"""The one error hierarchy of transkit.

Every layer translates the exceptions of the library it wraps into one of these at its border, so the
faces (CLI, TUI) only ever have to render a ``TranskitError``: one clear line, never a traceback.
"""

from __future__ import annotations

import enum
import os
import re

# No message carries a database password: every error and log line built from a URL goes through this.
# up to the authority's last "@": a password with an unencoded "@" is masked whole (libpq would
# split it at the first one and fail, but its message would still carry the rest)
_URL_PASSWORD = re.compile(r"([a-z][a-z0-9+.-]*://[^:/?#@\s]*:)([^/?#\s]*)(@)", re.IGNORECASE)
_KV_PASSWORD = re.compile(r"((?:^|[\s?&])password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)", re.IGNORECASE)


def mask_url(text: str) -> str:
    """``text`` with every database password replaced by ``***`` (URLs and ``password=`` pairs)."""
    text = _URL_PASSWORD.sub(r"\1***\3", str(text))
    return _KV_PASSWORD.sub(r"\1***", text)


class ExitCode(enum.IntEnum):
    """Process exit codes of the ``transkit`` command."""

    OK = 0
    PROBLEMS_FOUND = 1  # e.g. `transkit check` found error-level problems
    USAGE = 2  # bad arguments (click's own code)
    CATALOG = 3  # a catalog could not be read or written
    PROVIDER = 4  # DeepL / translation provider failure (auth, quota, network)
    UPSTREAM = 5  # git / export failure
    CONFIG = 6
    STORE = 7  # the review database is locked, damaged or from a newer transkit: not a config fix
    INTERRUPTED = 130


class TranskitError(Exception):
    """Base of every error transkit raises on purpose."""

    exit_code = ExitCode.CATALOG

    def __str__(self) -> str:  # pragma: no cover - trivial
        return super().__str__()


class CatalogError(TranskitError):
    """A catalog (or another file transkit reads: a TMX memory, a glossary) could not be read, parsed
    or written. Carries the path and (1-based) line."""

    exit_code = ExitCode.CATALOG

    def __init__(self, message: str, path: str | os.PathLike | None = None, line: int | None = None):
        self.message = message
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        super().__init__(message)

    def __str__(self) -> str:
        where = self.path or "<catalog>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class ProviderError(TranskitError):
    """A translation provider failed. ``kind`` says whether retrying can help."""

    exit_code = ExitCode.PROVIDER

    RETRYABLE = "retryable"
    QUOTA = "quota"
    AUTH = "auth"
    INVALID = "invalid"

    def __init__(self, message: str, kind: str = "invalid"):
        self.kind = kind
        super().__init__(message)

    @property
    def retryable(self) -> bool:
        return self.kind == self.RETRYABLE


class UpstreamError(TranskitError):
    """Compiling, git or export work failed."""

    exit_code = ExitCode.UPSTREAM


class ConfigError(TranskitError):
    """The configuration file or an option is invalid."""

    exit_code = ExitCode.CONFIG


class StoreError(TranskitError):
    """The review database (state, history, favour ledger) could not be opened, migrated or written."""

    exit_code = ExitCode.STORE
