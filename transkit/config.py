"""User configuration and where transkit keeps its files.

Config is a TOML file (``$TRANSKIT_CONFIG`` or ``<user config dir>/transkit/config.toml``)::

    [identity]
    name = "Ada Lovelace"
    email = "ada@example.org"

    [keys]            # TUI key bindings by id, e.g. next_untranslated = "ctrl+n"

    [store]           # share memory, review state, MT cache and ledger on PostgreSQL (team work)
    url = "postgresql://ada@db.example.org/transkit"   # or $TRANSKIT_DATABASE_URL; unset: SQLite
    sslmode = "verify-full"   # TLS options go to libpq as they are: sslmode, sslrootcert,
    sslrootcert = "/etc/ssl/team-ca.pem"                # sslcert, sslkey, sslcrl, sslpassword

The data folder (review store, translation memory, MT cache) is ``$TRANSKIT_DATA_DIR``, else a
workspace folder given by the caller, else platformdirs' user data dir.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from transkit.errors import ConfigError, mask_url

APP_NAME = "transkit"


@dataclass(frozen=True)
class Identity:
    name: str = ""
    email: str = ""

    @property
    def is_set(self) -> bool:
        return bool(self.name)

    def as_header(self) -> str:
        """The ``Last-Translator`` header value: ``Name <email>``."""
        return f"{self.name} <{self.email}>" if self.email else self.name


# [store] keys passed through to libpq (TLS and timeouts); anything else there is a ConfigError
STORE_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl", "sslpassword",
                 "sslcompression", "target_session_attrs", "connect_timeout")


@dataclass(frozen=True)
class StoreConfig:
    """Where the stores live: ``url`` (PostgreSQL) or None (SQLite files in the data folder)."""

    url: str | None = None
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    identity: Identity = field(default_factory=Identity)
    store: StoreConfig = field(default_factory=StoreConfig)
    keys: dict[str, str] = field(default_factory=dict)
    raw: dict = field(default_factory=dict)


def config_path() -> Path:
    env = os.environ.get("TRANSKIT_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def data_dir(workspace: str | os.PathLike | None = None) -> Path:
    """Folder for transkit's own state. Created on first use."""
    if workspace is not None:
        path, chosen_by = Path(workspace) / ".transkit", "the workspace"
    elif os.environ.get("TRANSKIT_DATA_DIR"):
        path, chosen_by = Path(os.environ["TRANSKIT_DATA_DIR"]), "$TRANSKIT_DATA_DIR"
    else:
        path, chosen_by = Path(platformdirs.user_data_dir(APP_NAME)), "the user data folder"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file there, a read-only parent: said with the path, not a traceback
        raise ConfigError(f"{path}: cannot use it as transkit's data folder ({chosen_by}): "
                          f"{exc.strerror or exc}") from None
    return path


def load_config(path: str | os.PathLike | None = None) -> Config:
    """Read the config file; a missing file is an empty config, a broken one a ConfigError."""
    path = Path(path) if path is not None else config_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raw = {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except OSError as exc:  # a folder, no permission: the file named, not a traceback
        raise ConfigError(f"{path}: cannot read the config file: {exc.strerror or exc}") from None
    ident = raw.get("identity", {})
    name = os.environ.get("TRANSKIT_TRANSLATOR_NAME", ident.get("name", ""))
    email = os.environ.get("TRANSKIT_TRANSLATOR_EMAIL", ident.get("email", ""))
    keys = {str(k): str(v) for k, v in raw.get("keys", {}).items()}
    return Config(identity=Identity(name=name, email=email), store=_store_config(raw, path), keys=keys,
                  raw=raw)


def _store_config(raw: dict, path: Path) -> StoreConfig:
    section = raw.get("store", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [store] must be a table")
    unknown = sorted(set(section) - {"url", *STORE_OPTIONS})
    if unknown:
        raise ConfigError(f"{path}: [store] does not know {', '.join(unknown)} "
                          f"(it takes url and {', '.join(STORE_OPTIONS)})")
    url = section.get("url")
    if url is not None and not (isinstance(url, str) and url.lower().startswith(("postgresql://", "postgres://"))):
        raise ConfigError(f"{path}: [store] url must be a postgresql:// URL, not {mask_url(str(url))!r}")
    options = {key: str(value) for key, value in section.items() if key != "url"}
    return StoreConfig(url=url or None, options=options)


def secret_key(env_var: str, keyring_user: str) -> str | None:
    """An API key from ``$env_var``, else the OS keyring (service ``transkit``, user ``keyring_user``).

    The one rule for where keys live: never in the config file, never in the repository."""
    key = os.environ.get(env_var, "").strip()
    if key:
        return key
    try:
        import keyring  # lazy: finding a keyring backend costs start-up time most commands never need

        return (keyring.get_password(APP_NAME, keyring_user) or "").strip() or None
    except Exception:  # no backend, locked keyring, ...: behave as "no key"
        return None
