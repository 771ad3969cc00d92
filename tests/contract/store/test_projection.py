"""find with a projection: `_id` and the named top-level fields only, with their exact values."""

from __future__ import annotations

from typing import Any

import pytest

from app.store.port import Database
from tests.contract.store.helpers import collect

THINGS: list[dict[str, Any]] = [
    {"_id": "a", "n": 3, "tag": "x", "meta": {"k": [1, 2]}, "on": True, "big": "payload"},
    {"_id": "b", "n": 1, "tag": None, "meta": [], "on": False, "big": "payload"},
    {"_id": "c", "n": 2.5, "big": "payload"},
    {"_id": "d", "n": 4, "tag": 'quo"te', "meta": {}, "on": True, "big": "payload"},
]


async def test_a_projection_returns_the_id_and_the_named_fields_with_their_values(database: Database) -> None:
    # given
    things = database.collection("things")
    await things.insert_many([dict(thing) for thing in THINGS])
    # when
    found = await collect(things.find({}, sort=[("_id", 1)], projection=["n", "tag", "meta", "on"]))
    # then
    assert found == [
        {"_id": "a", "n": 3, "tag": "x", "meta": {"k": [1, 2]}, "on": True},
        {"_id": "b", "n": 1, "tag": None, "meta": [], "on": False},
        {"_id": "c", "n": 2.5},
        {"_id": "d", "n": 4, "tag": 'quo"te', "meta": {}, "on": True},
    ]
    assert [type(doc.get("on")) for doc in found] == [bool, bool, type(None), bool]


async def test_a_field_the_document_lacks_is_absent_and_null_stays_present(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([dict(thing) for thing in THINGS])
    found = {doc["_id"]: doc async for doc in things.find({}, projection=["tag", "nowhere"])}
    assert found["c"] == {"_id": "c"}
    assert found["b"] == {"_id": "b", "tag": None}
    assert all("nowhere" not in doc for doc in found.values())


async def test_a_projection_combines_with_filter_sort_skip_and_limit(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([dict(thing) for thing in THINGS])
    found = await collect(
        things.find({"n": {"$gte": 2}}, sort=[("n", -1)], skip=1, limit=2, projection=["n"])
    )
    assert found == [{"_id": "a", "n": 3}, {"_id": "c", "n": 2.5}]


async def test_an_empty_projection_or_one_naming_only_the_id_returns_ids(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([dict(thing) for thing in THINGS])
    assert await collect(things.find({"_id": "a"}, projection=[])) == [{"_id": "a"}]
    assert await collect(things.find({"_id": "a"}, projection=["_id"])) == [{"_id": "a"}]


async def test_a_projection_inside_a_transaction_sees_its_writes(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([dict(thing) for thing in THINGS])
    async with database.transaction():
        await things.update_one({"_id": "a"}, {"$inc": {"n": 1}})
        assert await collect(things.find({"_id": "a"}, projection=["n"])) == [{"_id": "a", "n": 4}]


@pytest.mark.parametrize("name", ["meta.k", "$n", ""])
async def test_a_projection_names_top_level_fields_only(database: Database, name: str) -> None:
    things = database.collection("things")
    with pytest.raises(ValueError, match="top-level"):
        things.find({}, projection=[name])
