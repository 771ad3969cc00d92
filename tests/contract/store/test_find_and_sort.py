"""find / find_one / count_documents: sort order (MongoDB's), ties, missing fields, limit and skip."""

from __future__ import annotations

from typing import Any

import pytest

from app.store.port import Database
from tests.contract.store.helpers import collect, ids

NUMBERS: list[dict[str, Any]] = [
    {"_id": "three", "n": 3},
    {"_id": "one", "n": 1},
    {"_id": "null", "n": None},
    {"_id": "missing"},
    {"_id": "two-and-half", "n": 2.5},
    {"_id": "minus", "n": -1},
    {"_id": "big", "n": 1_700_000_000_000},
]


async def test_numbers_ascending_put_null_and_missing_first(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many(NUMBERS)
    found = ids(await collect(things.find({}, sort=[("n", 1)])))
    assert set(found[:2]) == {"null", "missing"}
    assert found[2:] == ["minus", "one", "two-and-half", "three", "big"]


async def test_numbers_descending_put_null_and_missing_last(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many(NUMBERS)
    found = ids(await collect(things.find({}, sort=[("n", -1)])))
    assert found[:5] == ["big", "three", "two-and-half", "one", "minus"]
    assert set(found[5:]) == {"null", "missing"}


async def test_strings_sort_by_code_point_and_after_numbers(database: Database) -> None:
    things = database.collection("things")
    values = ["b", "B", "a", "ab", "é", "", "Z", "10", "9"]
    await things.insert_many([{"_id": f"s{i}", "v": v} for i, v in enumerate(values)])
    await things.insert_many([{"_id": "num", "v": 100}, {"_id": "none", "v": None}])
    found = [doc.get("v") for doc in await collect(things.find({}, sort=[("v", 1)]))]
    assert found == [None, 100, "", "10", "9", "B", "Z", "a", "ab", "b", "é"]


async def test_booleans_sort_false_before_true(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([{"_id": "t", "v": True}, {"_id": "f", "v": False}, {"_id": "m"}])
    assert ids(await collect(things.find({}, sort=[("v", 1)]))) == ["m", "f", "t"]
    assert ids(await collect(things.find({}, sort=[("v", -1)]))) == ["t", "f", "m"]


async def test_compound_sort_breaks_ties_with_the_next_key(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many(
        [
            {"_id": "a1", "g": "a", "n": 1},
            {"_id": "b3", "g": "b", "n": 3},
            {"_id": "a3", "g": "a", "n": 3},
            {"_id": "b1", "g": "b", "n": 1},
            {"_id": "a2", "g": "a", "n": 2},
            {"_id": "x", "n": 9},
        ]
    )
    found = ids(await collect(things.find({}, sort=[("g", 1), ("n", -1)])))
    assert found == ["x", "a3", "a2", "a1", "b3", "b1"]
    found = ids(await collect(things.find({}, sort=[("g", -1), ("n", 1)])))
    assert found == ["b1", "b3", "a1", "a2", "a3", "x"]


async def test_ties_keep_groups_together(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([{"_id": f"d{i}", "g": i % 3} for i in range(9)])
    found = await collect(things.find({}, sort=[("g", 1)]))
    assert [doc["g"] for doc in found] == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert sorted(ids(found)) == [f"d{i}" for i in range(9)]


async def test_sort_on_dotted_path(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many(
        [{"_id": "b", "m": {"at": 20}}, {"_id": "a", "m": {"at": 10}}, {"_id": "c", "m": {}}, {"_id": "d"}]
    )
    found = ids(await collect(things.find({}, sort=[("m.at", -1)])))
    assert found[:2] == ["b", "a"]
    assert set(found[2:]) == {"c", "d"}


async def test_sort_on_id(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([{"_id": key} for key in ["m", "a", "z", "b"]])
    assert ids(await collect(things.find({}, sort=[("_id", 1)]))) == ["a", "b", "m", "z"]
    assert ids(await collect(things.find({}, sort=[("_id", -1)]))) == ["z", "m", "b", "a"]


@pytest.mark.parametrize(
    ("limit", "skip", "expected"),
    [
        (0, 0, ["k0", "k1", "k2", "k3", "k4"]),
        (2, 0, ["k0", "k1"]),
        (2, 1, ["k1", "k2"]),
        (0, 3, ["k3", "k4"]),
        (10, 4, ["k4"]),
        (3, 5, []),
        (1, 0, ["k0"]),
    ],
)
async def test_limit_and_skip(database: Database, limit: int, skip: int, expected: list[str]) -> None:
    things = database.collection("things")
    await things.insert_many([{"_id": f"k{i}", "n": i} for i in reversed(range(5))])
    found = await collect(things.find({"n": {"$gte": 0}}, sort=[("n", 1)], limit=limit, skip=skip))
    assert ids(found) == expected


async def test_find_one_with_sort_takes_the_first(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([{"_id": f"k{i}", "n": i, "even": i % 2 == 0} for i in range(6)])
    assert ids(await things.find_one({"even": True}, sort=[("n", -1)])) == ["k4"]
    assert ids(await things.find_one({"even": False}, sort=[("n", 1)])) == ["k1"]
    assert await things.find_one({"n": 99}) is None


async def test_count_documents(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([{"_id": f"k{i}", "n": i} for i in range(7)])
    assert await things.count_documents({}) == 7
    assert await things.count_documents({"n": {"$gte": 3}}) == 4
    assert await things.count_documents({"n": {"$gt": 100}}) == 0


async def test_find_iterates_while_the_loop_body_writes(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([{"_id": f"k{i}", "n": i} for i in range(5)])
    async for doc in things.find({}, sort=[("n", 1)]):
        await things.update_one({"_id": doc["_id"]}, {"$set": {"seen": True}})
    assert await things.count_documents({"seen": True}) == 5


async def test_collections_are_separate(database: Database) -> None:
    await database.collection("one").insert_one({"_id": "x", "v": 1})
    await database.collection("two").insert_one({"_id": "x", "v": 2})
    assert await database.collection("one").find_one({"_id": "x"}) == {"_id": "x", "v": 1}
    assert await database.collection("two").find_one({"_id": "x"}) == {"_id": "x", "v": 2}
