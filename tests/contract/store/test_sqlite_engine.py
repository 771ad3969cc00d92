"""SQLite engine only: file setup, index use (EXPLAIN QUERY PLAN), array paths across
connections, the pure filter compiler and update applier, errors."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.store.doc_update import apply_update, array_paths, bson_key, upsert_seed
from app.store.port import StoreUnavailable
from app.store.sqlite import SqliteDatabase, open_sqlite
from app.store.sqlite_query import _Compiler, compile_filter, compile_sort, field_sql


@pytest.fixture
async def sqlite_db(tmp_path: os.PathLike[str]) -> AsyncIterator[SqliteDatabase]:
    database = await open_sqlite(os.path.join(tmp_path, "nested", "folder", "store.db"))
    yield database
    await database.close()


async def test_open_creates_the_folder_and_sets_the_pragmas(tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(tmp_path, "a", "b", "store.db")
    database = await open_sqlite(path)
    try:
        await database.collection("things").insert_one({"_id": "x"})
        assert os.path.isfile(path)
        connection = database._conn
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert connection.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    finally:
        await database.close()


async def test_filters_and_sorts_use_the_expression_indexes(sqlite_db: SqliteDatabase) -> None:
    outbox = sqlite_db.collection("outbox")
    await outbox.create_index([("status", 1), ("available_at", 1)])
    await outbox.create_index([("status", 1), ("lease_until", 1)])
    await outbox.create_index([("buyer.key", 1), ("created_at", -1)], name="by_buyer")
    await outbox.create_index([("email", 1)], unique=True)
    await outbox.insert_many(
        [
            {"status": "pending", "available_at": i, "lease_until": 0, "buyer": {"key": f"b{i % 3}"},
             "created_at": i, "email": f"e{i}", "tags": ["t"]}
            for i in range(50)
        ]
    )  # fmt: skip
    # equality + sort on the next key: the index serves both, no sort step
    plan = await outbox.explain({"status": "pending"}, sort=[("available_at", 1)], limit=1)
    assert plan == ["SEARCH outbox USING INDEX outbox.status_1_available_at_1 (<expr>=?)"]
    # dotted path, descending key
    plan = await outbox.explain({"buyer.key": "b1"}, sort=[("created_at", -1)], limit=20)
    assert plan == ["SEARCH outbox USING INDEX outbox.by_buyer (<expr>=?)"]
    # range on a number: bounded on both sides within the numbers
    plan = await outbox.explain({"status": "pending", "available_at": {"$gt": 5}})
    assert plan == [
        "SEARCH outbox USING INDEX outbox.status_1_available_at_1 (<expr>=? AND <expr>>? AND <expr><?)"
    ]
    # the outbox claim: each branch of the $or through its own index
    claim = {
        "$or": [
            {"status": "pending", "available_at": {"$lte": 5}},
            {"status": "leased", "lease_until": {"$lt": 5}},
        ]
    }
    plan = await outbox.explain(claim, sort=[("available_at", 1)], limit=1)
    assert "MULTI-INDEX OR" in plan
    assert any("USING INDEX outbox.status_1_available_at_1" in line for line in plan)
    assert any("USING INDEX outbox.status_1_lease_until_1" in line for line in plan)
    # the unique field, $in, _id
    assert "USING INDEX outbox.email_1 (<expr>=?)" in (await outbox.explain({"email": "e3"}))[0]
    assert "USING INDEX" in (await outbox.explain({"status": {"$in": ["pending", "leased"]}}))[0]
    assert "(id=?)" in (await outbox.explain({"_id": "x"}))[0]
    # a known array path needs the json_each branch: no index
    assert (await outbox.explain({"tags": "t"}))[0] == "SCAN outbox"


async def test_arrays_written_by_another_connection_are_matched(sqlite_db: SqliteDatabase) -> None:
    path = sqlite_db._conn.execute("PRAGMA database_list").fetchone()[2]
    worker = await open_sqlite(path)
    try:
        mine, theirs = sqlite_db.collection("things"), worker.collection("things")
        await mine.insert_one({"_id": "scalar", "tags": "x"})
        assert await mine.count_documents({"tags": "x"}) == 1
        await theirs.insert_one({"_id": "array", "tags": ["x", "y"], "lines": [{"sku": "s"}]})
        assert await mine.count_documents({"tags": "x"}) == 2
        assert await mine.count_documents({"lines.sku": "s"}) == 1
    finally:
        await worker.close()


async def test_writes_wait_for_the_write_lock_of_another_process(sqlite_db: SqliteDatabase) -> None:
    """busy_timeout: a write made while a worker holds the write lock waits for it."""
    path = sqlite_db._conn.execute("PRAGMA database_list").fetchone()[2]
    things = sqlite_db.collection("things")
    await things.insert_one({"_id": "x", "n": 0})
    worker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        worker.execute("BEGIN IMMEDIATE")
        worker.execute("""UPDATE things SET doc = json_set(doc, '$.n', 1) WHERE id = 'x'""")
        release = threading.Timer(0.3, lambda: worker.execute("COMMIT"))
        release.start()
        started = time.monotonic()
        assert await things.find_one_and_update({"_id": "x"}, {"$inc": {"n": 10}}) == {"_id": "x", "n": 11}
        assert time.monotonic() - started >= 0.2
        release.join()
    finally:
        worker.close()


async def test_a_closed_database_is_unavailable(tmp_path: os.PathLike[str]) -> None:
    database = await open_sqlite(os.path.join(tmp_path, "store.db"))
    await database.ping()
    await database.close()
    with pytest.raises(StoreUnavailable):
        await database.ping()
    with pytest.raises(StoreUnavailable):
        await database.collection("things").find_one({})


async def test_unsupported_filters_and_updates_raise_value_error(sqlite_db: SqliteDatabase) -> None:
    things = sqlite_db.collection("things")
    await things.insert_one({"_id": "x", "n": "text", "list": 1})
    bad_filters: list[dict[str, Any]] = [
        {"n": {"$regex": "^t"}},
        {"$nor": [{"n": 1}]},
        {"n": {"$elemMatch": {"a": 1}}},
        {"$or": []},
        {"n": {"$gt": {"a": 1}}},
        {"n": {"$in": "abc"}},
        {"a..b": 1},
        {'a"b': 1},
    ]
    for bad_filter in bad_filters:
        with pytest.raises(ValueError):
            await things.find_one(bad_filter)
    for bad_update in (
        {"n": 1},
        {},
        {"$rename": {"n": "m"}},
        {"$inc": {"n": 1}},
        {"$push": {"list": 2}},
        {"$push": {"arr": {"$each": [1], "$sort": 1}}},
        {"$set": {"_id": "other"}},
        {"$pull": {"list": {"$gte": 1}}},
    ):
        with pytest.raises(ValueError):
            await things.update_one({"_id": "x"}, bad_update)
    assert await things.find_one({"_id": "x"}) == {"_id": "x", "n": "text", "list": 1}
    with pytest.raises(ValueError):
        await things.insert_one({"_id": 5})
    with pytest.raises(TypeError):
        await things.insert_one({"_id": "y", "when": object()})


def test_compiled_scalar_conditions_are_plain_indexable_expressions() -> None:
    assert compile_filter({"status": "a"}) == ("(json_extract(doc, '$.status') = ?)", ["a"])
    assert compile_filter({"a.b": {"$in": ["x", "y"]}}) == (
        "(json_extract(doc, '$.a.b') IN (?, ?))",
        ["x", "y"],
    )
    assert compile_filter({"_id": "k"}) == ("(id = ?)", ["k"])
    assert compile_filter({}) == ("1", [])
    assert compile_filter({"n": None}) == ("(json_extract(doc, '$.n') IS NULL)", [])
    sql, params = compile_filter({"n": 5})
    assert sql == "((json_extract(doc, '$.n') = ? AND json_type(doc, '$.n') IN ('integer','real')))"
    assert params == [5]
    assert field_sql("with space.x") == """json_extract(doc, '$."with space".x')"""
    assert field_sql("it's") == """json_extract(doc, '$."it''s"')"""
    assert compile_sort([("a", 1), ("b.c", -1)]) == (
        "ORDER BY json_extract(doc, '$.a') ASC, json_extract(doc, '$.b.c') DESC"
    )


def test_known_array_paths_get_element_branches() -> None:
    plain, _ = compile_filter({"tags": "x"})
    assert "json_each" not in plain
    with_array, params = compile_filter({"tags": "x"}, {"tags"})
    assert "json_each(doc, '$.tags')" in with_array
    assert params == ["x", "x"]
    through, _ = compile_filter({"lines.sku": "s"}, {"lines"})
    assert "json_each(doc, '$.lines')" in through
    assert "'$.sku'" in through


def test_update_applier_is_pure_and_mongodb_like() -> None:
    doc: dict[str, Any] = {"_id": "x", "n": 1, "list": [1, 2, 3, 4]}
    after = apply_update(doc, {"$push": {"list": {"$each": [5], "$slice": 2}}, "$inc": {"n": 1}})
    assert after == {"_id": "x", "n": 2, "list": [1, 2]}
    assert doc == {"_id": "x", "n": 1, "list": [1, 2, 3, 4]}
    assert apply_update(doc, {"$push": {"list": {"$each": [], "$slice": 0}}})["list"] == []
    assert apply_update(doc, {"$setOnInsert": {"a": 1}}, inserting=True)["a"] == 1
    assert "a" not in apply_update(doc, {"$setOnInsert": {"a": 1}})
    assert apply_update({"a": [1, 1.0, True]}, {"$pull": {"a": 1}}) == {"a": [True]}
    assert apply_update({"a": [{"x": 1, "y": 2}]}, {"$addToSet": {"a": {"y": 2, "x": 1}}}) == {
        "a": [{"x": 1, "y": 2}, {"y": 2, "x": 1}]
    }
    assert upsert_seed({"a.b": 1, "c": {"$gt": 1}, "d": {"$eq": [1]}, "$or": [{"e": 1}]}) == {
        "a": {"b": 1},
        "d": [1],
    }
    assert array_paths({"a": [{"b": [1]}, 2], "c": {"d": []}, "e": 1}) == {"a", "a.b", "c.d"}


def test_bson_order_of_json_types() -> None:
    values = [True, [1], {"a": 1}, "b", "a", 2.5, 2, -1, None, False, {}]
    ordered = sorted(values, key=bson_key)
    assert ordered == [None, -1, 2, 2.5, "a", "b", {}, {"a": 1}, [1], False, True]


@pytest.mark.parametrize(
    "filter",
    [
        {"_id": {"$in": ["p-1", "p-2", "p-2"]}},
        {"_id": {"$in": ["[not json]", "{x}", "p-1"]}},
        {"_id": {"$in": []}},
        {"_id": {"$in": ["p-1", 7]}},
        {"_id": {"$in": ["p-1"]}, "status": "open"},
    ],
)
def test_an_id_list_compiles_as_the_general_walk_does(filter: dict[str, Any]) -> None:
    general = _Compiler(())
    assert compile_filter(filter) == (general.document(filter), general.params)
