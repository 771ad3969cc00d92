"""create_index: idempotent; unique indexes raise the port's DuplicateKeyError."""

from __future__ import annotations

import pytest

from app.store.port import Database, DuplicateKeyError


async def test_create_index_is_idempotent(database: Database) -> None:
    things = database.collection("things")
    for _ in range(2):
        await things.create_index([("status", 1), ("at", -1)])
        await things.create_index([("email", 1)], unique=True, name="email_unique")
        await things.create_index([("nested.key", 1)], name="by_nested_key")
    await things.insert_many([{"_id": "a", "status": "s", "at": 1, "email": "x", "nested": {"key": 1}}])
    assert await things.count_documents({"status": "s", "nested.key": 1}) == 1


async def test_create_index_on_existing_documents(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([{"_id": f"k{i}", "n": i} for i in range(5)])
    await things.create_index([("n", 1)], unique=True)
    assert await things.count_documents({"n": {"$gte": 2}}) == 3


async def test_unique_index_rejects_a_duplicate_insert(database: Database) -> None:
    users = database.collection("users")
    await users.create_index([("email", 1)], unique=True)
    await users.insert_one({"_id": "u1", "email": "a@x"})
    with pytest.raises(DuplicateKeyError):
        await users.insert_one({"_id": "u2", "email": "a@x"})
    await users.insert_one({"_id": "u3", "email": "b@x"})
    assert sorted([d["_id"] async for d in users.find({})]) == ["u1", "u3"]


async def test_duplicate_id_is_a_duplicate_key(database: Database) -> None:
    things = database.collection("things")
    await things.insert_one({"_id": "same", "v": 1})
    with pytest.raises(DuplicateKeyError):
        await things.insert_one({"_id": "same", "v": 2})
    assert await things.find_one({"_id": "same"}) == {"_id": "same", "v": 1}


async def test_unique_index_rejects_an_update_and_an_upsert(database: Database) -> None:
    users = database.collection("users")
    await users.create_index([("email", 1)], unique=True)
    await users.insert_many([{"_id": "u1", "email": "a@x"}, {"_id": "u2", "email": "b@x"}])
    with pytest.raises(DuplicateKeyError):
        await users.update_one({"_id": "u2"}, {"$set": {"email": "a@x"}})
    with pytest.raises(DuplicateKeyError):
        await users.update_one({"_id": "u3"}, {"$set": {"email": "a@x"}}, upsert=True)
    with pytest.raises(DuplicateKeyError):
        await users.find_one_and_update({"_id": "u2"}, {"$set": {"email": "a@x"}})
    assert await users.find_one({"_id": "u2"}) == {"_id": "u2", "email": "b@x"}
    assert await users.count_documents({}) == 2


async def test_insert_many_with_a_duplicate_raises(database: Database) -> None:
    users = database.collection("users")
    await users.create_index([("email", 1)], unique=True)
    await users.insert_one({"_id": "u0", "email": "dup"})
    with pytest.raises(DuplicateKeyError):
        await users.insert_many([{"_id": "u1", "email": "new"}, {"_id": "u2", "email": "dup"}])
    # How much of the batch stays differs (MongoDB keeps the ones before the error, SQLite none);
    # the duplicate is never written.
    assert await users.count_documents({"email": "dup"}) == 1


async def test_compound_unique_index(database: Database) -> None:
    rates = database.collection("rates")
    await rates.create_index([("from", 1), ("to", 1)], unique=True)
    await rates.insert_many(
        [{"_id": "1", "from": "EUR", "to": "USD"}, {"_id": "2", "from": "USD", "to": "EUR"}]
    )
    with pytest.raises(DuplicateKeyError):
        await rates.insert_one({"_id": "3", "from": "EUR", "to": "USD"})
    await rates.insert_one({"_id": "4", "from": "EUR", "to": "GBP"})


async def test_unique_index_counts_missing_as_null(database: Database) -> None:
    users = database.collection("users")
    await users.create_index([("phone", 1)], unique=True)
    await users.insert_one({"_id": "u1"})
    with pytest.raises(DuplicateKeyError):
        await users.insert_one({"_id": "u2"})
    with pytest.raises(DuplicateKeyError):
        await users.insert_one({"_id": "u3", "phone": None})


async def test_the_database_works_after_a_duplicate_key(database: Database) -> None:
    users = database.collection("users")
    await users.create_index([("email", 1)], unique=True)
    await users.insert_one({"_id": "u1", "email": "a"})
    for _ in range(3):
        with pytest.raises(DuplicateKeyError):
            await users.insert_one({"_id": "u2", "email": "a"})
    await users.insert_one({"_id": "u2", "email": "b"})
    assert await users.count_documents({}) == 2


async def test_creating_a_unique_index_over_duplicates_fails(database: Database) -> None:
    users = database.collection("users")
    await users.insert_many([{"_id": "u1", "email": "a"}, {"_id": "u2", "email": "a"}])
    with pytest.raises(DuplicateKeyError):
        await users.create_index([("email", 1)], unique=True)
