"""A real PostgreSQL for the tests: the server CI started, or one this test session starts itself.

``$TRANSKIT_TEST_DATABASE_URL`` (set by .ci/run) names a database the tests may create schemas in.
Without it, the first test that needs PostgreSQL runs ``initdb`` + ``pg_ctl`` into a temporary
folder, on a free port on 127.0.0.1 (as the ``postgres`` user when the tests run as root: the server
refuses root), and stops it when the session ends. Every test gets its own schema (search_path), so
tests never see each other's rows. Only where no server binary exists are PostgreSQL tests skipped.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

_STATE: dict = {}


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server() -> str:
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        raise _Skip("no PostgreSQL server binary (initdb/pg_ctl) on this machine")
    run_as: list[str] = []
    owner = None
    if os.geteuid() == 0:  # the server refuses to run as root
        for name in ("postgres", "transkit-ci"):
            try:
                owner = pwd.getpwnam(name)
                break
            except KeyError:
                continue
        if owner is None:
            raise _Skip("running as root and no 'postgres' user to run the server as")
        run_as = ["runuser", "-u", owner.pw_name, "--"]
    _stop_orphans(pg_ctl, run_as)
    folder = Path(tempfile.mkdtemp(prefix="transkit-pg-"))
    (folder / "owner.pid").write_text(str(os.getpid()))
    data = folder / "data"
    if owner is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    subprocess.run([*run_as, initdb, "-D", str(data), "-U", "transkit", "--auth=trust", "-E", "UTF8",
                    "--locale=C.UTF-8"], check=True, capture_output=True)
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off")
    subprocess.run([*run_as, pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "server.log"),
                    "-w", "start"], check=True, capture_output=True)
    atexit.register(subprocess.run, [*run_as, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
                    capture_output=True)
    atexit.register(shutil.rmtree, folder, True)
    import psycopg

    with psycopg.connect(f"postgresql://transkit@127.0.0.1:{port}/postgres", autocommit=True) as conn:
        conn.execute("CREATE DATABASE transkit_test")
    return f"postgresql://transkit@127.0.0.1:{port}/transkit_test"


def _stop_orphans(pg_ctl: str, run_as: list[str]) -> None:
    """Stop servers of earlier sessions that were killed before they could stop theirs."""
    for owner_file in Path(tempfile.gettempdir()).glob("transkit-pg-*/owner.pid"):
        try:
            os.kill(int(owner_file.read_text()), 0)
            continue  # its session is still running
        except ProcessLookupError:
            pass
        except (OSError, ValueError):
            continue
        subprocess.run([*run_as, pg_ctl, "-D", str(owner_file.parent / "data"), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(owner_file.parent, ignore_errors=True)


class _Skip(Exception):
    pass


def server_url() -> str:
    """The URL of a database the tests may use (started once per session); skips when impossible."""
    if "url" not in _STATE:
        try:
            _STATE["url"] = os.environ.get("TRANSKIT_TEST_DATABASE_URL") or _start_server()
        except _Skip as why:
            _STATE["url"] = None
            _STATE["why"] = str(why)
    if _STATE["url"] is None:
        pytest.skip(f"PostgreSQL: {_STATE['why']}")
    return _STATE["url"]


def with_schema(url: str, schema: str) -> str:
    """``url`` with a search_path of ``schema`` alone."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options={quote(f'-csearch_path={schema}')}"


def fresh_schema_url() -> tuple[str, str]:
    import psycopg

    url = server_url()
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return with_schema(url, schema), schema


def drop_schema(schema: str) -> None:
    import psycopg

    from transkit.store import sql

    sql._close_pools()  # pooled connections hold the schema's tables
    with psycopg.connect(server_url(), autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@dataclass
class Backend:
    """Where a test's stores live: ``name`` is "sqlite" (files in ``folder``, the test's data
    folder) or "postgresql" (``url``, a schema of its own)."""

    name: str
    url: str | None
    folder: Path

    def target(self, component: str = "review") -> str | Path:
        """What to pass to ``ReviewStore.open`` / ``TranslationMemory`` / ``MTCache``."""
        from transkit.store.schema import SQLITE_FILES

        return self.url if self.url else self.folder / SQLITE_FILES[component]


@pytest.fixture
def pg_url():
    """A URL of a fresh, empty schema on the session's PostgreSQL."""
    url, schema = fresh_schema_url()
    yield url
    drop_schema(schema)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path, monkeypatch):
    """Run the test once on SQLite files and once on PostgreSQL. On PostgreSQL the stores' default
    location (``TRANSKIT_DATABASE_URL``) is the test's schema, for subprocesses and the CLI too."""
    if request.param == "sqlite":  # the data folder's files, as the CLI uses them
        from transkit.config import data_dir

        yield Backend("sqlite", None, data_dir())
        return
    url, schema = fresh_schema_url()
    monkeypatch.setenv("TRANSKIT_DATABASE_URL", url)
    yield Backend("postgresql", url, tmp_path)
    drop_schema(schema)
