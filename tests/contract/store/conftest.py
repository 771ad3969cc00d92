"""Engines for the store conformance suite: every test taking `database` runs once per engine.

- `sqlite`: always, a fresh file per test.
- `mongodb`: the server at MONGODB_URL when set; else an in-memory SecantusDB started once per
  session (`secantusd-py`, pip package `secantusdb`); else skipped with the reason
  (or failed, when REQUIRE_MONGODB=1, so that CI cannot pass without it).
  Each test gets its own database (named after its module), dropped afterwards.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest

from app.store.mongo import MongoDatabase, open_mongo
from app.store.port import Database
from app.store.sqlite import open_sqlite
from tests.servers.mongo import MongoServerUnavailable, start_secantusdb

ENGINES = ("sqlite", "mongodb")


@pytest.fixture(scope="session")
def mongodb_url() -> Iterator[str]:
    url = os.environ.get("MONGODB_URL")
    if url:
        yield url
        return
    with ExitStack() as stack:
        try:
            url = stack.enter_context(start_secantusdb())
        except MongoServerUnavailable as error:
            if os.environ.get("REQUIRE_MONGODB") == "1":
                raise
            pytest.skip(f"mongodb engine skipped (no MONGODB_URL, no SecantusDB): {error}")
        yield url


@dataclass
class Engine:
    """Opens databases of one engine on one storage: `open()` again gives a second connection
    (another process, as far as the engine can tell) to the same data."""

    name: str
    open: Callable[[], Awaitable[Database]]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Engine:
    if request.param == "sqlite":
        path = os.path.join(tmp_path, "store.db")
        return Engine("sqlite", lambda: open_sqlite(path))
    url = request.getfixturevalue("mongodb_url")
    module = re.sub(r"\W", "_", request.module.__name__.rsplit(".", 1)[-1])[:30]
    name = f"{module}_{uuid.uuid4().hex[:12]}"

    async def open_database() -> Database:
        return open_mongo(url, name)

    return Engine("mongodb", open_database)


@pytest.fixture
async def connections(engine: Engine) -> AsyncIterator[Callable[[], Awaitable[Database]]]:
    """Opens more connections to the test's storage; all closed (and the data dropped) at the end."""
    opened: list[Database] = []

    async def connect() -> Database:
        database = await engine.open()
        opened.append(database)
        return database

    yield connect
    for database in reversed(opened):
        if isinstance(database, MongoDatabase) and database is opened[0]:
            await database.drop()
        await database.close()


@pytest.fixture
async def database(connections: Callable[[], Awaitable[Database]]) -> Database:
    return await connections()
