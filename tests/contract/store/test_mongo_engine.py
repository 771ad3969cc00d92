"""MongoDB engine only: database naming, unavailability, and the live server's `ping`."""

from __future__ import annotations

import socket
import time

import pytest

from app.store.mongo import open_mongo
from app.store.port import StoreUnavailable


async def test_database_name_comes_from_the_url_or_defaults_to_buyer() -> None:
    for url, database, expected in [
        ("mongodb://127.0.0.1:1", None, "buyer"),
        ("mongodb://127.0.0.1:1/", None, "buyer"),
        ("mongodb://127.0.0.1:1/shop?retryWrites=true", None, "shop"),
        ("mongodb://127.0.0.1:1/shop", "override", "override"),
    ]:
        db = open_mongo(url, database)
        try:
            assert db.name == expected
        finally:
            await db.close()


async def test_an_unreachable_server_is_store_unavailable() -> None:
    # A port that accepts connections but never answers (a hung server). (With a closed port,
    # closing the client while its monitor reconnects leaks a socket inside PyMongo.)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        db = open_mongo(f"mongodb://127.0.0.1:{silent.getsockname()[1]}/x")
        try:
            started = time.monotonic()
            with pytest.raises(StoreUnavailable):
                await db.ping()
            assert time.monotonic() - started < 10  # serverSelectionTimeoutMS=3000
            with pytest.raises(StoreUnavailable):
                async with db.transaction():
                    await db.collection("things").insert_one({"_id": "x"})
        finally:
            await db.close()


async def test_ping_a_live_server(mongodb_url: str) -> None:
    db = open_mongo(mongodb_url, "ping_test")
    try:
        await db.ping()
    finally:
        await db.close()
