"""Transactions (commit, rollback, isolation, nesting) and atomic claims under concurrency."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from app.store.port import Database, DuplicateKeyError
from tests.contract.store.helpers import collect

Connect = Callable[[], Awaitable[Database]]


class Boom(Exception):
    pass


def outside(coroutine: Awaitable[Any]) -> asyncio.Task[Any]:
    """A task running outside any transaction (in a fresh context)."""
    return asyncio.get_running_loop().create_task(_run_in(coroutine), context=contextvars.Context())


async def _run_in(coroutine: Awaitable[Any]) -> Any:
    return await coroutine


async def test_commit_makes_every_write_visible(database: Database) -> None:
    orders, outbox = database.collection("orders"), database.collection("outbox")
    await orders.insert_one({"_id": "o0", "state": "old"})
    async with database.transaction():
        await orders.insert_one({"_id": "o1", "state": "new"})
        await orders.update_one({"_id": "o0"}, {"$set": {"state": "changed"}})
        await outbox.insert_many([{"_id": "e1", "kind": "order"}, {"_id": "e2", "kind": "mail"}])
        await outbox.delete_one({"_id": "e2"})
        # reads inside see the transaction's own writes
        assert await orders.find_one({"_id": "o0"}) == {"_id": "o0", "state": "changed"}
        assert await orders.count_documents({}) == 2
        assert [d["_id"] for d in await collect(outbox.find({}))] == ["e1"]
    assert await orders.find_one({"_id": "o1"}) == {"_id": "o1", "state": "new"}
    assert await orders.find_one({"_id": "o0"}) == {"_id": "o0", "state": "changed"}
    assert await outbox.count_documents({}) == 1


async def test_an_exception_rolls_everything_back(database: Database) -> None:
    orders, outbox = database.collection("orders"), database.collection("outbox")
    await orders.insert_one({"_id": "o0", "state": "old", "n": 1})
    with pytest.raises(Boom):
        async with database.transaction():
            await orders.insert_one({"_id": "o1", "state": "new"})
            await orders.update_many({}, {"$set": {"state": "changed"}, "$inc": {"n": 1}})
            await outbox.insert_one({"_id": "e1"})
            await orders.find_one_and_update({"_id": "o9"}, {"$set": {"v": 1}}, upsert=True)
            await orders.delete_one({"_id": "o0"})
            raise Boom
    assert await collect(orders.find({})) == [{"_id": "o0", "state": "old", "n": 1}]
    assert await outbox.count_documents({}) == 0
    # and the database is usable afterwards, in and out of transactions
    await outbox.insert_one({"_id": "e2"})
    async with database.transaction():
        await outbox.insert_one({"_id": "e3"})
    assert await outbox.count_documents({}) == 2


async def test_a_duplicate_key_inside_rolls_back_the_transaction(database: Database) -> None:
    users = database.collection("users")
    await users.create_index([("email", 1)], unique=True)
    await users.insert_one({"_id": "u1", "email": "a"})
    with pytest.raises(DuplicateKeyError):
        async with database.transaction():
            await users.insert_one({"_id": "u2", "email": "b"})
            await users.insert_one({"_id": "u3", "email": "a"})
    assert await users.count_documents({}) == 1


async def test_nested_transaction_joins_the_outer_one(database: Database) -> None:
    things = database.collection("things")
    with pytest.raises(Boom):
        async with database.transaction():
            await things.insert_one({"_id": "outer"})
            async with database.transaction():
                await things.insert_one({"_id": "inner"})
            assert await things.count_documents({}) == 2
            raise Boom
    assert await things.count_documents({}) == 0
    async with database.transaction():
        async with database.transaction():
            await things.insert_one({"_id": "inner"})
        await things.insert_one({"_id": "outer"})
    assert await things.count_documents({}) == 2


async def test_another_connection_does_not_see_uncommitted_writes(
    database: Database, connections: Connect
) -> None:
    other = await connections()
    things = database.collection("things")
    await things.insert_one({"_id": "t0", "v": "committed"})
    assert await other.collection("things").count_documents({}) == 1
    async with database.transaction():
        await things.insert_one({"_id": "t1", "v": "pending"})
        await things.update_one({"_id": "t0"}, {"$set": {"v": "pending"}})
        seen = await asyncio.wait_for(collect(other.collection("things").find({})), 10)
        assert seen == [{"_id": "t0", "v": "committed"}]
    seen = await collect(other.collection("things").find({}, sort=[("_id", 1)]))
    assert seen == [{"_id": "t0", "v": "pending"}, {"_id": "t1", "v": "pending"}]


async def test_a_reader_outside_the_transaction_never_sees_uncommitted_writes(database: Database) -> None:
    """Same database object, another task outside the transaction: depending on the engine
    it waits for the commit (SQLite) or reads the state before the transaction (MongoDB)."""
    things = database.collection("things")
    await things.insert_one({"_id": "t0"})
    async with database.transaction():
        await things.insert_one({"_id": "t1"})
        reader = outside(things.count_documents({}))
        await asyncio.sleep(0.2)
        done_before_commit = reader.done()
        if done_before_commit:
            assert reader.result() == 1
    count = await asyncio.wait_for(reader, 10)
    assert count == (1 if done_before_commit else 2)


async def test_independent_transactions_run_concurrently(database: Database) -> None:
    things = database.collection("things")
    await things.insert_one({"_id": "existing"})  # MongoDB: creating a collection in concurrent
    # transactions conflicts

    async def write(key: str) -> None:
        async with database.transaction():
            await things.insert_one({"_id": key, "n": 0})
            await asyncio.sleep(0.01)
            await things.update_one({"_id": key}, {"$inc": {"n": 1}})

    await asyncio.gather(*(outside(write(f"k{i}")) for i in range(5)))
    assert await things.count_documents({"n": 1}) == 5


async def claim_all(database: Database, worker: str, attempts: int) -> list[str]:
    jobs = database.collection("jobs")
    claimed = []
    for _ in range(attempts):
        doc = await jobs.find_one_and_update(
            {"state": "ready"},
            {"$set": {"state": "claimed", "by": worker}, "$inc": {"claims": 1}},
            sort=[("at", 1)],
        )
        if doc is not None:
            assert doc["by"] == worker
            claimed.append(doc["_id"])
    return claimed


async def test_concurrent_claims_take_each_document_once(database: Database) -> None:
    jobs = database.collection("jobs")
    await jobs.insert_many([{"_id": f"j{i}", "state": "ready", "at": i, "claims": 0} for i in range(10)])
    results = await asyncio.gather(*(claim_all(database, f"w{i}", 1) for i in range(20)))
    claimed = [key for result in results for key in result]
    assert sorted(claimed) == sorted(f"j{i}" for i in range(10))
    assert await jobs.count_documents({"claims": 1}) == 10
    assert await jobs.count_documents({"state": "ready"}) == 0


async def test_concurrent_claims_from_two_connections(database: Database, connections: Connect) -> None:
    other = await connections()
    jobs = database.collection("jobs")
    await jobs.insert_many([{"_id": f"j{i}", "state": "ready", "at": i, "claims": 0} for i in range(30)])
    workers = [
        claim_all(db, f"{name}{i}", 4) for i in range(5) for name, db in (("a", database), ("b", other))
    ]
    results = await asyncio.gather(*workers)
    claimed = [key for result in results for key in result]
    assert sorted(claimed) == sorted(f"j{i}" for i in range(30))
    assert await jobs.count_documents({"claims": 1}) == 30


async def test_claims_inside_transactions(database: Database) -> None:
    jobs = database.collection("jobs")
    await jobs.insert_many([{"_id": f"j{i}", "state": "ready", "at": i, "claims": 0} for i in range(3)])
    async with database.transaction():
        first = await jobs.find_one_and_update(
            {"state": "ready"}, {"$set": {"state": "claimed"}}, sort=[("at", 1)]
        )
        second = await jobs.find_one_and_update(
            {"state": "ready"}, {"$set": {"state": "claimed"}}, sort=[("at", 1)]
        )
    assert (first or {}).get("_id") == "j0"
    assert (second or {}).get("_id") == "j1"
    with pytest.raises(Boom):
        async with database.transaction():
            await jobs.find_one_and_update({"state": "ready"}, {"$set": {"state": "claimed"}})
            raise Boom
    assert await jobs.count_documents({"state": "ready"}) == 1


async def test_writes_of_other_tasks_during_a_transaction_survive_its_rollback(database: Database) -> None:
    things = database.collection("things")
    await things.insert_one({"_id": "existing"})
    writer: asyncio.Task[None] | None = None
    with pytest.raises(Boom):
        async with database.transaction():
            await things.insert_one({"_id": "in-transaction"})
            writer = outside(things.insert_one({"_id": "outside"}))
            await asyncio.sleep(0.1)
            await things.update_one({"_id": "in-transaction"}, {"$set": {"v": 1}})
            raise Boom
    assert writer is not None
    await asyncio.wait_for(writer, 10)
    assert sorted([d["_id"] async for d in things.find({})]) == ["existing", "outside"]
