"""SQLite engine of the store port: one table `(id TEXT PRIMARY KEY, doc TEXT NOT NULL)` per
collection, documents as JSON text, filters and sorts compiled by `app.store.sqlite_query`,
collection calls in `app.store.sqlite_collection`.

sqlite3 is called synchronously (statements are short) on one connection, serialized by an
asyncio.Lock: a call outside a transaction takes the lock for itself; `transaction()` takes
it for the whole block (BEGIN IMMEDIATE ... COMMIT), and calls made inside the block (found
through a context variable) run without re-taking it. A nested `transaction()` joins the
enclosing one. Every call is atomic: outside a transaction it is its own transaction
(BEGIN IMMEDIATE for writes, BEGIN for reads, one snapshot), inside one it is a SAVEPOINT,
so a failing call (e.g. a unique violation half-way through `insert_many`) writes nothing.
Updates read the matched documents, apply the operators in Python (`app.store.doc_update`)
and write them back within that scope, so `find_one_and_update` claims are exclusive, also
against other processes on the same file (WAL, busy_timeout 5 s: a call waits up to 5 s,
blocking the event loop, for another process's write lock, then raises StoreUnavailable).

Each collection's array-valued paths are recorded in `_store_array_paths` on every write, so
that the compiler adds MongoDB's array-element semantics only where arrays occur (re-read
when another connection has written, per `PRAGMA data_version`, in the call's snapshot).
A batch (`insert_many`) records the union of its documents' paths once, and is written with
one `executemany`: the per-document cost of a bulk load is then JSON encoding and the INSERT.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from app.store.doc_update import array_paths
from app.store.port import Document, DuplicateKeyError, StoreUnavailable
from app.store.sqlite_collection import SqliteCollection
from app.store.sqlite_query import quote_identifier

_REGISTRY = "_store_array_paths"
_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_FULL")
_DUPLICATE = ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")


async def open_sqlite(path: str) -> SqliteDatabase:
    """Opens (creating it and its folder if needed) the database file at `path`."""
    if path != ":memory:" and not path.startswith("file:"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA busy_timeout = 5000")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        # 64 MB of page cache (default 2 MB): a bulk load inserts into expression indexes in key order
        # of their own, and a million-row index no longer fits the default, costing a read per insert.
        connection.execute("PRAGMA cache_size = -65536")
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS {_REGISTRY} (collection TEXT NOT NULL, path TEXT NOT NULL, "
            "PRIMARY KEY (collection, path)) WITHOUT ROWID"
        )
    except sqlite3.Error as exc:
        raise StoreUnavailable(f"cannot open SQLite database {path!r}: {exc}") from exc
    return SqliteDatabase(connection)


class _Transaction:
    active = True


class SqliteDatabase:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._lock = asyncio.Lock()
        self._tx: ContextVar[_Transaction | None] = ContextVar(f"sqlite_tx_{id(self)}", default=None)
        self._tables: set[str] = set()
        self._array_paths: dict[str, set[str]] = {}
        self._data_version: int | None = None
        self._writes: dict[str, int] = {}
        """Write calls begun per table by this connection (other connections show in data_version)."""
        self._closed = False

    def collection(self, name: str) -> SqliteCollection:
        if name.startswith(("sqlite_", "_store_")) or "." in name:
            raise ValueError(f"invalid collection name {name!r}")
        quote_identifier(name)
        return SqliteCollection(self, name)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if self._current() is not None:  # nested: part of the enclosing transaction
            yield
            return
        async with self._lock:
            self._check_open()
            self.execute("BEGIN IMMEDIATE")
            tx = _Transaction()
            token = self._tx.set(tx)
            try:
                yield
            except BaseException:
                tx.active = False
                self._rollback()
                raise
            else:
                tx.active = False
                self._commit()
            finally:
                self._tx.reset(token)

    def in_transaction(self) -> bool:
        return self._current() is not None

    async def ping(self) -> None:
        async with self.reading(None):
            self.execute("SELECT 1").fetchall()

    async def close(self) -> None:
        async with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()

    # -- for SqliteCollection ---------------------------------------------------------------------

    @asynccontextmanager
    async def reading(self, table: str | None) -> AsyncIterator[None]:
        """Reads of one call, in one snapshot: under the lock unless in a transaction."""
        if self._current() is not None:
            self._prepare(table)
            yield
            return
        async with self._lock:
            self._ensure_table(table)
            self.execute("BEGIN")
            try:
                self._refresh_array_paths()  # the PRAGMA starts the read snapshot
                yield
            except BaseException:
                self._rollback()
                raise
            self._commit()

    async def change_mark(self, table: str) -> tuple[int, int] | None:
        """`PRAGMA data_version` (which moves when another connection commits) and this connection's
        write calls on the table so far. None inside a transaction: its snapshot may be older than
        what a mark taken outside it vouched for."""
        if self._current() is not None:
            return None
        async with self._lock:  # not in the middle of another call's transaction on this connection
            self._check_open()
            version: int = self.execute("PRAGMA data_version").fetchone()[0]
            return version, self._writes.get(table, 0)

    @asynccontextmanager
    async def writing(self, table: str) -> AsyncIterator[None]:
        """The statements of one call, which succeed or fail together."""
        if self._current() is not None:
            self._count_write(table)  # under the transaction's lock, as marks are taken
            self._prepare(table)
            with self._savepoint():
                yield
            return
        async with self._lock:
            self._count_write(table)
            self._ensure_table(table)
            self.execute("BEGIN IMMEDIATE")
            try:
                self._refresh_array_paths()
                yield
            except BaseException:
                self._rollback()
                raise
            self._commit()

    def _count_write(self, table: str) -> None:
        """Under the lock that `change_mark` takes, so no mark falls between this and the commit: a
        mark taken before differs from every mark after (a rollback costs readers one more look)."""
        self._writes[table] = self._writes.get(table, 0) + 1

    def array_paths(self, table: str) -> set[str]:
        return self._array_paths.get(table, set())

    def record_arrays(self, table: str, docs: Iterable[Document]) -> None:
        """Records the array paths of `docs` (one registry write per batch, only for new paths)."""
        found: set[str] = set()
        for doc in docs:
            found |= array_paths(doc)
        known = self._array_paths.setdefault(table, set())
        new = found - known
        if new:
            self._conn.executemany(
                f"INSERT OR IGNORE INTO {_REGISTRY} (collection, path) VALUES (?, ?)",
                [(table, path) for path in sorted(new)],
            )
            known.update(new)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Runs one statement, mapping SQLite's errors to the port's."""
        try:
            return self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            mapped = self._mapped(exc)
            if mapped is None:
                raise
            raise mapped from exc

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Runs one statement per row in a single call (bulk inserts), mapping errors as `execute`."""
        try:
            self._conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            mapped = self._mapped(exc)
            if mapped is None:
                raise
            raise mapped from exc

    def _mapped(self, exc: sqlite3.Error) -> Exception | None:
        """The port's error for an SQLite error, or None when it has none (the error propagates as is)."""
        if isinstance(exc, sqlite3.IntegrityError) and exc.sqlite_errorname in _DUPLICATE:
            return DuplicateKeyError(str(exc))
        if isinstance(exc, sqlite3.OperationalError) and exc.sqlite_errorname.startswith(_UNAVAILABLE):
            return StoreUnavailable(str(exc))
        if isinstance(exc, sqlite3.ProgrammingError) and self._closed:
            return StoreUnavailable(str(exc))
        return None

    # -- internals -----------------------------------------------------------------------------------

    def _current(self) -> _Transaction | None:
        tx = self._tx.get()
        return tx if tx is not None and tx.active else None

    def _check_open(self) -> None:
        if self._closed:
            raise StoreUnavailable("the SQLite database is closed")

    def _prepare(self, table: str | None) -> None:
        self._ensure_table(table)
        self._refresh_array_paths()

    def _ensure_table(self, table: str | None) -> None:
        self._check_open()
        if table is not None and table not in self._tables:
            name = quote_identifier(table)
            self.execute(f"CREATE TABLE IF NOT EXISTS {name} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)")
            self._tables.add(table)

    def _refresh_array_paths(self) -> None:
        version = self.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:  # another connection wrote: re-read the array paths
            self._data_version = version
            self._array_paths = {}
            for collection, path in self.execute(f"SELECT collection, path FROM {_REGISTRY}"):
                self._array_paths.setdefault(collection, set()).add(path)

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        self.execute("SAVEPOINT store_call")
        try:
            yield
        except BaseException:
            self.execute("ROLLBACK TO store_call")
            self.execute("RELEASE store_call")
            raise
        self.execute("RELEASE store_call")

    def _commit(self) -> None:
        try:
            self.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        self._tables.clear()  # a rolled-back CREATE TABLE is gone
        if not self._closed and self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
