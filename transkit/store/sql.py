"""The one door to a database: embedded SQLite (the default) or PostgreSQL (psycopg 3 + a pool).

Every store module talks to a ``Connection`` from here and writes portable SQL with ``?`` parameters
(turned into ``%s`` for psycopg); where the two dialects differ (schema, the memory's candidate
search) the caller asks ``conn.dialect``. This is the only module that imports ``psycopg``, so its
errors become ``StoreError`` here, with the URL's password masked.

Transactions are explicit: ``with conn.transaction():`` is ``BEGIN IMMEDIATE`` on SQLite (one writer
at a time, readers never blocked) and, on PostgreSQL, ``BEGIN`` plus a transaction-scoped advisory
lock named after the store, so writers of one store queue exactly as they do on SQLite — the
read-decide-write steps of the review store and the fill journal cannot lose an update.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import sqlite3
import threading
import zlib
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from transkit.errors import ConfigError, StoreError, mask_url  # noqa: F401  (mask_url: re-exported, its old home)

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
BUSY_TIMEOUT_MS = 15_000
CONNECT_TIMEOUT_S = 10



def is_url(target: object) -> bool:
    """True for a PostgreSQL URL (``postgresql://…`` or ``postgres://…``)."""
    return isinstance(target, str) and target.lower().startswith(("postgresql://", "postgres://"))


class Row(tuple):
    """A result row readable by position or by column name, as ``sqlite3.Row`` is."""

    __slots__ = ()
    _names: dict[str, int]

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_class(names: Sequence[str]) -> type[Row]:
    return type("Row", (Row,), {"__slots__": (), "_names": {n: i for i, n in enumerate(names)}})


class Result:
    """Rows of one statement, fetched in full before the connection's lock is released."""

    def __init__(self, rows: list, rowcount: int = -1):
        self.rows = rows
        self.rowcount = rowcount

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list:
        return self.rows

    def __iter__(self):
        return iter(self.rows)


class Connection:
    """One connection to one store, shareable between the threads of a process (calls are
    serialised by a lock; a transaction holds it until it ends)."""

    dialect: str
    label: str  # what messages name: the file, or the URL with its password masked

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._depth = 0

    # -- the backend's primitives (below) ---------------------------------------------------------
    def _run(self, sql: str, params, binary: bool = False) -> Result:
        raise NotImplementedError

    def _run_many(self, sql: str, rows: Iterable[Sequence]) -> None:
        raise NotImplementedError

    def _begin(self, lock_name: str | None) -> None:
        raise NotImplementedError

    # -- what the stores call --------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence | dict = (), binary: bool = False) -> Result:
        """``binary``: PostgreSQL sends the results in binary form — for large BYTEA values, which
        in text form (hex, twice the size) may pass the server's 1 GB limit for one row."""
        with self.lock:
            return self._run(sql, params, binary)

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        with self.lock:
            self._run_many(sql, rows)

    def query(self, sql: str, params: Sequence | dict = ()) -> list[Row]:
        return self.execute(sql, params).fetchall()

    @contextlib.contextmanager
    def transaction(self, lock_name: str | None = None) -> Iterator["Connection"]:
        """A write transaction (nested uses join the outer one). ``lock_name`` names what writers
        queue on; on SQLite the whole file is that lock anyway."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self._begin(lock_name)
            self._depth = 1
            try:
                yield self
            except BaseException:
                self._depth = 0
                with contextlib.suppress(StoreError):
                    self._run("ROLLBACK", ())
                raise
            else:
                self._depth = 0
                try:
                    self._run("COMMIT", ())
                except StoreError:
                    with contextlib.suppress(StoreError):
                        self._run("ROLLBACK", ())
                    raise

    def commit(self) -> None:
        """Nothing to do: outside ``transaction()`` every statement commits on its own (kept for
        callers written against sqlite3's implicit transactions)."""

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence],
                  progress: Callable[[int], None] | None = None) -> int:
        """Append ``rows`` to ``table`` as fast as the backend can (``COPY`` on PostgreSQL);
        ``progress(count)`` is told the running count every few thousand rows."""
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        count, batch = 0, []
        for row in rows:
            batch.append(row)
            if len(batch) >= 5000:
                self.executemany(sql, batch)
                count += len(batch)
                batch.clear()
                if progress:
                    progress(count)
        if batch:
            self.executemany(sql, batch)
            count += len(batch)
        if progress:
            progress(count)
        return count

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# ---------------------------------------------------------------------------------------------
# SQLite
# ---------------------------------------------------------------------------------------------

class SQLiteConnection(Connection):
    dialect = SQLITE

    def __init__(self, path: str | os.PathLike, purpose: str, synchronous: str = "NORMAL"):
        super().__init__()
        self.path = Path(path)
        self.label = str(self.path)
        self.purpose = purpose
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # autocommit mode: transactions are explicit (``transaction``)
            self.raw = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                       timeout=BUSY_TIMEOUT_MS / 1000)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the {purpose}: {exc}") from None
        try:
            self.raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = self.raw.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # e.g. a network file system: still usable, just slower
                self.raw.execute("PRAGMA journal_mode = DELETE")
            self.raw.execute(f"PRAGMA synchronous = {synchronous}")
            self.raw.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            self.raw.close()
            raise StoreError(f"{self.path}: not a usable {purpose} ({exc})") from None

    def _error(self, exc: Exception) -> StoreError:
        return StoreError(f"{self.path}: {exc}")

    def _run(self, sql: str, params, binary: bool = False) -> Result:
        try:
            cursor = self.raw.execute(sql, params)
            if cursor.description is None:
                return Result([], cursor.rowcount)
            cls = _row_class([d[0] for d in cursor.description])
            return Result([cls(r) for r in cursor.fetchall()], cursor.rowcount)
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _run_many(self, sql: str, rows) -> None:
        try:
            self.raw.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _begin(self, lock_name: str | None) -> None:
        self._run("BEGIN IMMEDIATE", ())

    def close(self) -> None:
        with self.lock:
            self.raw.close()


# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------

_POOLS: dict[str, Any] = {}
_POOLS_LOCK = threading.Lock()
_PARAMS = re.compile(r"%|\?")


def _pg_sql(sql: str) -> str:
    """``?`` parameters as psycopg's ``%s`` (and a literal ``%`` doubled)."""
    return _PARAMS.sub(lambda m: "%%" if m.group() == "%" else "%s", sql)


def _pg_row_factory(cursor):
    if cursor.description is None:
        return tuple
    cls = _row_class([column.name for column in cursor.description])
    return cls


def _close_pools() -> None:
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            with contextlib.suppress(Exception):
                pool.close(timeout=1)
        _POOLS.clear()


atexit.register(_close_pools)


def _pool_for(url: str, options: dict[str, str]):
    """One pool per URL and process: the jobs open and close stores often, a pool keeps the
    connection (TLS handshake and authentication included) for the next one."""
    try:
        import psycopg  # lazy: psycopg only for a PostgreSQL URL (optional extra)
        from psycopg_pool import ConnectionPool
    except ImportError:
        raise StoreError(f"{mask_url(url)}: PostgreSQL support is not installed; "
                         "run: python3 -m pip install 'transkit[postgres]'") from None

    authority = re.split(r"[/?#]", url.split("://", 1)[1], maxsplit=1)[0]
    if authority.count("@") > 1:  # libpq splits at the first "@" and names the rest as the host
        raise ConfigError(f"{mask_url(url)}: the user or password holds an '@': write it as %40")
    key = url + "\x00" + repr(sorted(options.items()))
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is not None:
            return pool
        kwargs = {"autocommit": True, "row_factory": _pg_row_factory, "connect_timeout": CONNECT_TIMEOUT_S,
                  "application_name": "transkit", **options}
        try:  # fail now, clearly, rather than after the pool's timeout
            psycopg.connect(url, **kwargs).close()
        except psycopg.Error as exc:
            raise StoreError(f"{mask_url(url)}: cannot connect: {_pg_message(exc)}") from None
        pool = ConnectionPool(url, kwargs=kwargs, min_size=1, max_size=8, open=True,
                              name="transkit", timeout=CONNECT_TIMEOUT_S * 3)
        _POOLS[key] = pool
        return pool


def _pg_message(exc: Exception) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return mask_url(message)


class PostgresConnection(Connection):
    dialect = POSTGRESQL

    def __init__(self, url: str, purpose: str, options: dict[str, str] | None = None):
        super().__init__()
        self.url = url
        self.label = mask_url(url)
        self.path = self.label  # what status and stats show as the store's location
        self.purpose = purpose
        self._options = dict(options or {})
        self._pool = _pool_for(url, self._options)
        import psycopg  # lazy: psycopg only for a PostgreSQL URL (optional extra)

        self._psycopg = psycopg
        try:
            self.raw = self._pool.getconn()
        except Exception as exc:  # PoolTimeout and friends
            raise StoreError(f"{self.label}: cannot open the {purpose}: {_pg_message(exc)}") from None

    def _error(self, exc: Exception) -> StoreError:
        return StoreError(f"{self.label}: {_pg_message(exc)}")

    def another(self) -> "PostgresConnection":
        """A second connection to the same database (from the pool), for work at the same time."""
        return PostgresConnection(self.url, self.purpose, self._options)

    def _run(self, sql: str, params, binary: bool = False) -> Result:
        psycopg = self._psycopg
        try:
            cursor = self.raw.execute(_pg_sql(sql) if params else sql, params or None, binary=binary)
            rows = cursor.fetchall() if cursor.description is not None else []
            return Result(rows, cursor.rowcount)
        except psycopg.Error as exc:
            raise self._error(exc) from None

    def _run_many(self, sql: str, rows) -> None:
        try:
            with self.raw.cursor() as cursor:
                cursor.executemany(_pg_sql(sql), list(rows))
        except self._psycopg.Error as exc:
            raise self._error(exc) from None

    def _begin(self, lock_name: str | None) -> None:
        self._run("BEGIN", ())
        if lock_name:
            try:
                self._run("SELECT pg_advisory_xact_lock(?)", (zlib.crc32(lock_name.encode()),))
            except BaseException:
                with contextlib.suppress(StoreError):
                    self._run("ROLLBACK", ())
                raise

    def copy_rows(self, table, columns, rows, progress=None) -> int:
        count = 0
        try:
            with self.lock, self.raw.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                        if progress and count % 20000 == 0:
                            progress(count)
        except self._psycopg.Error as exc:
            raise self._error(exc) from None
        if progress:
            progress(count)
        return count

    def close(self) -> None:
        with self.lock:
            raw, self.raw = self.raw, None
            if raw is not None:
                with contextlib.suppress(Exception):
                    self._pool.putconn(raw)


def connect(target: str | os.PathLike, purpose: str, synchronous: str = "NORMAL",
            options: dict[str, str] | None = None) -> Connection:
    """A connection to the file ``target``, or to the PostgreSQL database at the URL ``target``."""
    if is_url(target):
        return PostgresConnection(str(target), purpose, options)
    return SQLiteConnection(target, purpose, synchronous)
