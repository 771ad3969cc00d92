"""Every filter operator of the port's subset, on both engines, against the same documents."""

from __future__ import annotations

from typing import Any

import pytest

from app.store.port import Database
from tests.contract.store.helpers import collect

DOCS: list[dict[str, Any]] = [
    {
        "_id": "a",
        "n": 1,
        "s": "apple",
        "b": True,
        "tags": ["x", "y"],
        "nested": {"k": 1, "deep": {"v": "one"}},
        "nul": None,
    },
    {"_id": "b", "n": 2.5, "s": "banana", "b": False, "tags": ["y"], "nested": {"k": 2}},
    {"_id": "c", "n": 3, "s": "cherry", "tags": [], "nested": {"k": 3, "deep": {"v": "three"}}, "nul": 0},
    {
        "_id": "d",
        "s": "date",
        "b": True,
        "tags": "x",
        "lines": [{"sku": "p1", "qty": 2}, {"sku": "p2", "qty": 5, "marks": ["m1", "m2"]}],
    },
    {"_id": "e", "n": -4, "s": "10", "lines": [{"sku": "p3", "qty": 1}], "nul": None, "scores": [7, 12]},
]

CASES: list[tuple[str, dict[str, Any], str]] = [
    # equality, type-exact (1 == 1.0; 1 != true; "10" != 10)
    ("empty", {}, "abcde"),
    ("eq-str", {"s": "apple"}, "a"),
    ("eq-int", {"n": 1}, "a"),
    ("eq-int-as-float", {"n": 1.0}, "a"),
    ("eq-float", {"n": 2.5}, "b"),
    ("eq-negative", {"n": -4}, "e"),
    ("eq-true", {"b": True}, "ad"),
    ("eq-false", {"b": False}, "b"),
    ("eq-int-not-bool", {"b": 1}, ""),
    ("eq-str-not-number", {"s": 10}, ""),
    ("eq-number-string", {"s": "10"}, "e"),
    ("eq-null-or-missing", {"nul": None}, "abde"),
    ("eq-zero-not-null", {"nul": 0}, "c"),
    ("eq-no-match", {"s": "zzz"}, ""),
    ("eq-missing-field", {"nope": "x"}, ""),
    # arrays: equality matches an element, or the whole array
    ("eq-array-element", {"tags": "x"}, "ad"),
    ("eq-array-element-2", {"tags": "y"}, "ab"),
    ("eq-whole-array", {"tags": ["y"]}, "b"),
    ("eq-whole-array-order", {"tags": ["y", "x"]}, ""),
    ("eq-empty-array", {"tags": []}, "c"),
    ("eq-number-element", {"scores": 12}, "e"),
    # dotted paths
    ("dotted", {"nested.k": 2}, "b"),
    ("dotted-deep", {"nested.deep.v": "one"}, "a"),
    ("dotted-missing-is-null", {"nested.deep": None}, "bde"),
    ("whole-subdocument", {"nested": {"k": 2}}, "b"),
    ("through-array", {"lines.sku": "p2"}, "d"),
    ("through-array-number", {"lines.qty": 1}, "e"),
    ("through-array-into-array", {"lines.marks": "m2"}, "d"),
    # $eq / $ne
    ("$eq", {"s": {"$eq": "banana"}}, "b"),
    ("$eq-array-element", {"tags": {"$eq": "y"}}, "ab"),
    ("$ne", {"s": {"$ne": "apple"}}, "bcde"),
    ("$ne-missing-matches", {"n": {"$ne": 1}}, "bcde"),
    ("$ne-array", {"tags": {"$ne": "x"}}, "bce"),
    ("$ne-null", {"nul": {"$ne": None}}, "c"),
    ("$ne-through-array", {"lines.sku": {"$ne": "p1"}}, "abce"),
    # comparisons bracket types: numbers with numbers, strings with strings
    ("$gt", {"n": {"$gt": 1}}, "bc"),
    ("$gte", {"n": {"$gte": 1}}, "abc"),
    ("$lt", {"n": {"$lt": 2.5}}, "ae"),
    ("$lte", {"n": {"$lte": 2.5}}, "abe"),
    ("$gt-float-bound", {"n": {"$gt": 2.4}}, "bc"),
    ("range", {"n": {"$gt": 0, "$lt": 3}}, "ab"),
    ("$gt-str", {"s": {"$gt": "c"}}, "cd"),
    ("$lt-str", {"s": {"$lt": "b"}}, "ae"),
    ("$lte-str", {"s": {"$lte": "banana"}}, "abe"),
    ("$gt-number-skips-strings", {"s": {"$gt": 0}}, ""),
    ("$lt-string-skips-numbers", {"n": {"$lt": "z"}}, ""),
    ("$gt-bool", {"b": {"$gt": False}}, "ad"),
    ("$gte-null", {"nul": {"$gte": None}}, "abde"),
    ("$gt-array-element", {"tags": {"$gt": "x"}}, "ab"),
    ("$gt-through-array", {"lines.qty": {"$gte": 5}}, "d"),
    ("$lt-array-element", {"scores": {"$lt": 8}}, "e"),
    ("range-on-array-any-elements", {"scores": {"$gt": 10, "$lt": 8}}, "e"),
    ("$gt-dotted", {"nested.k": {"$gt": 1}}, "bc"),
    # $in / $nin
    ("$in-str", {"s": {"$in": ["apple", "date", "zzz"]}}, "ad"),
    ("$in-numbers", {"n": {"$in": [1, 3]}}, "ac"),
    ("$in-float", {"n": {"$in": [2.5]}}, "b"),
    ("$in-array-element", {"tags": {"$in": ["x"]}}, "ad"),
    ("$in-null-matches-missing", {"nul": {"$in": [None, 0]}}, "abcde"),
    ("$in-empty", {"n": {"$in": []}}, ""),
    ("$in-bool", {"b": {"$in": [True]}}, "ad"),
    ("$in-int-not-bool", {"b": {"$in": [1, 0]}}, ""),
    ("$in-mixed-types", {"s": {"$in": [10, "10", "cherry"]}}, "ce"),
    ("$in-through-array", {"lines.sku": {"$in": ["p3", "p9"]}}, "e"),
    ("$nin", {"s": {"$nin": ["apple", "banana"]}}, "cde"),
    ("$nin-array", {"tags": {"$nin": ["y"]}}, "cde"),
    ("$nin-missing-matches", {"n": {"$nin": [1, 3]}}, "bde"),
    ("$nin-null", {"nul": {"$nin": [None]}}, "c"),
    # $exists
    ("$exists", {"n": {"$exists": True}}, "abce"),
    ("$exists-false", {"n": {"$exists": False}}, "d"),
    ("$exists-null-counts", {"nul": {"$exists": True}}, "ace"),
    ("$exists-dotted", {"nested.deep": {"$exists": True}}, "ac"),
    ("$exists-dotted-false", {"nested.deep.v": {"$exists": False}}, "bde"),
    ("$exists-through-array", {"lines.sku": {"$exists": True}}, "de"),
    ("$exists-through-array-false", {"lines.sku": {"$exists": False}}, "abc"),
    ("$exists-empty-array", {"tags": {"$exists": True}}, "abcd"),
    # _id
    ("_id", {"_id": "c"}, "c"),
    ("_id-$in", {"_id": {"$in": ["a", "e", "zz"]}}, "ae"),
    ("_id-$gt", {"_id": {"$gt": "c"}}, "de"),
    ("_id-$ne", {"_id": {"$ne": "a"}}, "bcde"),
    ("_id-not-number", {"_id": 1}, ""),
    # $and / $or, also nested and next to fields
    ("$or", {"$or": [{"s": "apple"}, {"n": {"$gt": 2}}]}, "abc"),
    ("$and", {"$and": [{"n": {"$gte": 1}}, {"n": {"$lt": 3}}]}, "ab"),
    ("$or-of-$and", {"$or": [{"$and": [{"b": True}, {"n": {"$exists": False}}]}, {"s": "10"}]}, "de"),
    ("field-and-$or", {"b": True, "$or": [{"n": 1}, {"s": "date"}]}, "ad"),
    ("$and-of-$or", {"$and": [{"$or": [{"n": 1}, {"n": 3}]}, {"$or": [{"s": "cherry"}, {"b": True}]}]}, "ac"),
    ("several-fields", {"b": True, "tags": "x", "s": {"$ne": "date"}}, "a"),
]


@pytest.fixture
async def loaded(database: Database) -> Database:
    await database.collection("things").insert_many([dict(doc) for doc in DOCS])
    return database


@pytest.mark.parametrize(("filter", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_filter(loaded: Database, filter: dict[str, Any], expected: str) -> None:
    things = loaded.collection("things")
    found = sorted(doc["_id"] for doc in await collect(things.find(filter)))
    assert "".join(found) == expected
    assert await things.count_documents(filter) == len(expected)
    first = await things.find_one(filter, sort=[("_id", 1)])
    assert (first["_id"] if first else "") == expected[:1]


async def test_filters_on_a_collection_never_written(database: Database) -> None:
    empty = database.collection("never_written")
    assert await collect(empty.find({"a": 1})) == []
    assert await empty.count_documents({}) == 0
    assert await empty.find_one({}) is None
    assert await empty.delete_many({}) == 0
    assert await empty.update_many({}, {"$set": {"a": 1}}) == 0
