"""Update operators, upserts with $setOnInsert, find_one_and_update, deletes, type round-trips."""

from __future__ import annotations

from typing import Any

import pytest

from app.store.port import Database

BASE: dict[str, Any] = {
    "_id": "doc",
    "n": 5,
    "f": 1.5,
    "s": "text",
    "list": [1, 2, 2, 3],
    "subs": [{"k": "a", "v": 1}, {"k": "b", "v": 2}, {"k": "a", "v": 3}],
    "nested": {"a": 1, "deep": {"b": 2}},
}

CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("$set", {"$set": {"s": "new", "extra": [1, {"x": None}]}}, {"s": "new", "extra": [1, {"x": None}]}),
    ("$set-dotted", {"$set": {"nested.deep.c": 3}}, {"nested": {"a": 1, "deep": {"b": 2, "c": 3}}}),
    ("$set-creates-parents", {"$set": {"new.path.here": True}}, {"new": {"path": {"here": True}}}),
    ("$set-replaces-subdoc", {"$set": {"nested": {"z": 0}}}, {"nested": {"z": 0}}),
    ("$set-array-index", {"$set": {"list.1": 20}}, {"list": [1, 20, 2, 3]}),
    ("$set-null", {"$set": {"n": None}}, {"n": None}),
    ("$unset", {"$unset": {"s": ""}}, {"s": ...}),
    ("$unset-dotted", {"$unset": {"nested.deep.b": ""}}, {"nested": {"a": 1, "deep": {}}}),
    ("$unset-missing", {"$unset": {"nope": "", "nested.nope.x": ""}}, {}),
    ("$inc", {"$inc": {"n": 2}}, {"n": 7}),
    ("$inc-negative", {"$inc": {"n": -10}}, {"n": -5}),
    ("$inc-float", {"$inc": {"f": 1.25}}, {"f": 2.75}),
    ("$inc-int-by-float", {"$inc": {"n": 0.5}}, {"n": 5.5}),
    (
        "$inc-missing",
        {"$inc": {"count": 1, "nested.count": 3}},
        {"count": 1, "nested": {"a": 1, "deep": {"b": 2}, "count": 3}},
    ),
    ("$max-raises", {"$max": {"n": 9}}, {"n": 9}),
    ("$max-keeps", {"$max": {"n": 2}}, {}),
    ("$max-missing", {"$max": {"hi": 4}}, {"hi": 4}),
    ("$min-lowers", {"$min": {"n": 1}}, {"n": 1}),
    ("$min-keeps", {"$min": {"n": 8}}, {}),
    ("$min-float", {"$min": {"n": 4.5}}, {"n": 4.5}),
    ("$min-missing", {"$min": {"lo": -1}}, {"lo": -1}),
    ("$push", {"$push": {"list": 4}}, {"list": [1, 2, 2, 3, 4]}),
    ("$push-missing", {"$push": {"fresh": "a"}}, {"fresh": ["a"]}),
    ("$push-array-as-one", {"$push": {"list": [9, 9]}}, {"list": [1, 2, 2, 3, [9, 9]]}),
    ("$push-$each", {"$push": {"list": {"$each": [4, 5]}}}, {"list": [1, 2, 2, 3, 4, 5]}),
    ("$push-$each-$slice", {"$push": {"list": {"$each": [4, 5], "$slice": -3}}}, {"list": [3, 4, 5]}),
    ("$push-$slice-bigger", {"$push": {"list": {"$each": [4], "$slice": -10}}}, {"list": [1, 2, 2, 3, 4]}),
    ("$push-$slice-longer", {"$push": {"list": {"$each": [4], "$slice": -7}}}, {"list": [1, 2, 2, 3, 4]}),
    ("$push-$slice-positive", {"$push": {"list": {"$each": [4], "$slice": 2}}}, {"list": [1, 2]}),
    ("$push-$slice-zero", {"$push": {"list": {"$each": [4], "$slice": 0}}}, {"list": []}),
    (
        "$push-dotted",
        {"$push": {"nested.items": {"$each": [1]}}},
        {"nested": {"a": 1, "deep": {"b": 2}, "items": [1]}},
    ),
    ("$addToSet-new", {"$addToSet": {"list": 7}}, {"list": [1, 2, 2, 3, 7]}),
    ("$addToSet-present", {"$addToSet": {"list": 3}}, {}),
    ("$addToSet-$each", {"$addToSet": {"list": {"$each": [3, 4, 4, 5]}}}, {"list": [1, 2, 2, 3, 4, 5]}),
    ("$addToSet-missing", {"$addToSet": {"set": "a"}}, {"set": ["a"]}),
    ("$addToSet-subdoc", {"$addToSet": {"subs": {"k": "b", "v": 2}}}, {}),
    ("$pull", {"$pull": {"list": 2}}, {"list": [1, 3]}),
    ("$pull-absent", {"$pull": {"list": 42}}, {}),
    ("$pull-subdoc-fields", {"$pull": {"subs": {"k": "a"}}}, {"subs": [{"k": "b", "v": 2}]}),
    ("$pull-missing-field", {"$pull": {"nope": 1}}, {}),
    (
        "several",
        {"$set": {"s": "x"}, "$inc": {"n": 1}, "$push": {"list": 0}},
        {"s": "x", "n": 6, "list": [1, 2, 2, 3, 0]},
    ),
    ("$setOnInsert-ignored-on-update", {"$set": {"s": "y"}, "$setOnInsert": {"created": 1}}, {"s": "y"}),
]


def expected_after(changes: dict[str, Any]) -> dict[str, Any]:
    doc = {**BASE, **changes}
    return {key: value for key, value in doc.items() if value is not ...}


@pytest.mark.parametrize(("update", "changes"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_update_operator(database: Database, update: dict[str, Any], changes: dict[str, Any]) -> None:
    things = database.collection("things")
    await things.insert_one(dict(BASE))
    assert await things.update_one({"_id": "doc"}, update) == 1
    after = await things.find_one({"_id": "doc"})
    assert after == expected_after(changes)
    assert _types(after) == _types(expected_after(changes))


def _types(value: Any) -> Any:
    """The value with every leaf replaced by its JSON kind, so that 1, 1.0 and True differ.

    (PyMongo decodes 64-bit integers as `bson.Int64`, a subclass of int: an int here.)
    """
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    for kind in (bool, int, float, str, type(None)):
        if isinstance(value, kind):
            return kind.__name__
    return f"not JSON: {type(value).__name__}"


ROUND_TRIP: dict[str, Any] = {
    "_id": "types",
    "int": 1,
    "float": 1.0,
    "float_frac": 0.1,
    "neg": -7,
    "zero_float": 0.0,
    "big": 2**53 + 1,
    "millis": 1_767_225_600_000,
    "min_int64": -(2**63),
    "text": 'héllo "quoted" \\ \n 🌍 \t end',
    "nul_char": "before \u0000 after",  # (SQLite's json_extract cuts it: do not filter on it)
    "empty_text": "",
    "true": True,
    "false": False,
    "none": None,
    "list": [1, 2.5, "x", None, True, {"a": [1, 1.0]}, []],
    "object": {"x": {"y": {"z": [[], {}]}}},
    "empty_object": {},
    "empty_list": [],
    "weird keys": {"with space": 1, "dash-key": 2, "ünï": 3, "0": "zero"},
}


async def test_types_round_trip_exactly(database: Database) -> None:
    things = database.collection("things")
    await things.insert_one(dict(ROUND_TRIP))
    back = await things.find_one({"_id": "types"})
    assert back == ROUND_TRIP
    assert _types(back) == _types(ROUND_TRIP)
    # and through an update, and through find()
    await things.update_one({"_id": "types"}, {"$set": {"added": 2.0}})
    back = await things.find_one({"int": 1, "float": 1.0, "text": ROUND_TRIP["text"]})
    assert back is not None
    assert _types(back) == _types({**ROUND_TRIP, "added": 2.0})
    assert [doc async for doc in things.find({"weird keys.with space": 1})] == [back]


async def test_insert_without_id_gets_a_str_id(database: Database) -> None:
    things = database.collection("things")
    doc: dict[str, Any] = {"v": 1}
    await things.insert_one(doc)
    assert isinstance(doc["_id"], str)
    assert await things.find_one({"_id": doc["_id"]}) == doc
    many: list[dict[str, Any]] = [{"v": 2}, {"v": 3}]
    await things.insert_many(many)
    assert all(isinstance(d["_id"], str) for d in many)
    assert await things.count_documents({}) == 3


async def test_update_counts_matches_not_changes(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([{"_id": f"k{i}", "g": i % 2, "v": 0} for i in range(5)])
    assert await things.update_one({"g": 0}, {"$set": {"v": 1}}) == 1
    assert await things.update_one({"g": 7}, {"$set": {"v": 1}}) == 0
    assert await things.update_many({"g": 0}, {"$set": {"v": 1}}) == 3  # one was already 1
    assert await things.count_documents({"v": 1}) == 3
    assert await things.update_many({"g": 1}, {"$inc": {"v": 5}}) == 2
    assert await things.count_documents({"v": 5}) == 2


async def test_upsert_inserts_filter_fields_and_set_on_insert(database: Database) -> None:
    things = database.collection("things")
    update = {"$set": {"seen": 1}, "$setOnInsert": {"created": 100}, "$inc": {"hits": 1}}
    assert await things.update_one({"_id": "u1", "kind": "page"}, update, upsert=True) == 0
    assert await things.find_one({"_id": "u1"}) == {
        "_id": "u1",
        "kind": "page",
        "seen": 1,
        "created": 100,
        "hits": 1,
    }
    update = {"$set": {"seen": 2}, "$setOnInsert": {"created": 999}, "$inc": {"hits": 1}}
    assert await things.update_one({"_id": "u1"}, update, upsert=True) == 1
    assert await things.find_one({"_id": "u1"}) == {
        "_id": "u1",
        "kind": "page",
        "seen": 2,
        "created": 100,
        "hits": 2,
    }


async def test_upsert_without_id_generates_a_str_id(database: Database) -> None:
    things = database.collection("things")
    filter = {"email": "a@b.c", "tenant.key": {"$eq": "t1"}, "$and": [{"role": "admin"}]}
    assert await things.update_one(filter, {"$set": {"name": "A"}}, upsert=True) == 0
    doc = await things.find_one({"email": "a@b.c"})
    assert doc is not None
    assert isinstance(doc["_id"], str)
    assert {k: v for k, v in doc.items() if k != "_id"} == {
        "email": "a@b.c",
        "tenant": {"key": "t1"},
        "role": "admin",
        "name": "A",
    }
    # operators other than equality do not seed the inserted document
    assert await things.update_one({"n": {"$gt": 5}, "k": "z"}, {"$set": {"v": 1}}, upsert=True) == 0
    doc = await things.find_one({"k": "z"})
    assert doc is not None
    assert {k: v for k, v in doc.items() if k != "_id"} == {"k": "z", "v": 1}


async def test_find_one_and_update_returns_new_or_old(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([{"_id": f"k{i}", "n": i, "state": "new"} for i in range(3)])
    after = await things.find_one_and_update(
        {"state": "new"}, {"$set": {"state": "taken"}, "$inc": {"n": 10}}, sort=[("n", -1)]
    )
    assert after == {"_id": "k2", "n": 12, "state": "taken"}
    before = await things.find_one_and_update(
        {"state": "new"}, {"$set": {"state": "taken"}}, sort=[("n", 1)], return_new=False
    )
    assert before == {"_id": "k0", "n": 0, "state": "new"}
    assert await things.find_one({"_id": "k0"}) == {"_id": "k0", "n": 0, "state": "taken"}
    assert await things.find_one_and_update({"state": "gone"}, {"$set": {"state": "x"}}) is None


async def test_find_one_and_update_upsert(database: Database) -> None:
    things = database.collection("things")
    created = await things.find_one_and_update(
        {"_id": "counter"}, {"$inc": {"value": 1}, "$setOnInsert": {"since": 7}}, upsert=True
    )
    assert created == {"_id": "counter", "value": 1, "since": 7}
    again = await things.find_one_and_update({"_id": "counter"}, {"$inc": {"value": 1}}, upsert=True)
    assert again == {"_id": "counter", "value": 2, "since": 7}
    old = await things.find_one_and_update(
        {"_id": "other"}, {"$set": {"v": 1}}, upsert=True, return_new=False
    )
    assert old is None
    assert await things.find_one({"_id": "other"}) == {"_id": "other", "v": 1}
    generated = await things.find_one_and_update({"name": "n"}, {"$set": {"v": 2}}, upsert=True)
    assert generated is not None
    assert isinstance(generated["_id"], str)
    assert generated["name"] == "n"


async def test_delete_one_and_many(database: Database) -> None:
    things = database.collection("things")
    await things.insert_many([{"_id": f"k{i}", "g": i % 2} for i in range(6)])
    assert await things.delete_one({"g": 1}) == 1
    assert await things.count_documents({"g": 1}) == 2
    assert await things.delete_one({"g": 5}) == 0
    assert await things.delete_many({"g": 0}) == 3
    assert await things.delete_many({}) == 2
    assert await things.count_documents({}) == 0
