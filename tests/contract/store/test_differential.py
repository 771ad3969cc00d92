"""Differential check: random filters and updates (seeded) give the same results on SQLite and
on the MongoDB server (skipped without one). Values mix every JSON type, arrays and
sub-documents, so type bracketing and array semantics are exercised together.

Field order of new fields after an update is not compared (SecantusDB appends them in the
update's order, MongoDB 5+ and the SQLite engine in lexicographic order).
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.store.mongo import MongoDatabase, open_mongo
from app.store.port import Database
from app.store.sqlite import open_sqlite

SCALARS: list[Any] = [None, True, False, 0, 1, 2, -1, 1.5, 2.0, "", "a", "b", "ab", "B", "10", "[x", "{y"]
FIELDS = ["a", "b", "s.x", "s.y", "arr", "objs.k", "objs.v"]
OPERATORS = ["eq", "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists"]


class Random(random.Random):
    def value(self, depth: int = 0) -> Any:
        r = self.random()
        if r < 0.6 or depth > 1:
            return self.choice(SCALARS)
        if r < 0.8:
            return [self.value(depth + 1) for _ in range(self.randint(0, 3))]
        return {k: self.value(depth + 1) for k in self.sample(["x", "y", "k"], self.randint(0, 2))}

    def document(self, i: int) -> dict[str, Any]:
        doc: dict[str, Any] = {"_id": f"d{i:02}"}
        for field in ("a", "b"):
            if self.random() < 0.8:
                doc[field] = self.value()
        if self.random() < 0.7:
            doc["s"] = {k: self.value() for k in self.sample(["x", "y"], self.randint(0, 2))}
        if self.random() < 0.6:
            doc["arr"] = [self.choice(SCALARS) for _ in range(self.randint(0, 4))]
        if self.random() < 0.6:
            doc["objs"] = [
                {"k": self.choice(SCALARS), "v": self.choice(SCALARS)} if self.random() < 0.8 else 1
                for _ in range(self.randint(0, 3))
            ]
        return doc

    def condition(self) -> dict[str, Any]:
        field, op = self.choice(FIELDS), self.choice(OPERATORS)
        if op == "eq":
            return {field: self.choice(SCALARS) if self.random() < 0.85 else self.value(1)}
        if op == "$exists":
            return {field: {"$exists": self.random() < 0.5}}
        if op in ("$in", "$nin"):
            return {field: {op: [self.choice(SCALARS) for _ in range(self.randint(0, 3))]}}
        return {field: {op: self.choice(SCALARS)}}

    def filter(self, depth: int = 0) -> dict[str, Any]:
        r = self.random()
        if depth < 2 and r < 0.25:
            key = "$or" if r < 0.15 else "$and"
            return {key: [self.filter(depth + 1) for _ in range(self.randint(1, 3))]}
        result: dict[str, Any] = {}
        for _ in range(self.randint(1, 2)):
            result.update(self.condition())
        return result

    def update(self) -> dict[str, Any]:
        update: dict[str, Any] = {}
        used: list[str] = []
        for _ in range(self.randint(1, 2)):
            path = self.choice(["a", "b", "s.x", "new.deep", "arr", "objs", "arr.1"])
            if any(path == p or path.startswith(p + ".") or p.startswith(path + ".") for p in used):
                continue
            used.append(path)
            op = self.choice(["$set", "$unset", "$inc", "$max", "$min", "$push", "$addToSet", "$pull"])
            arg: Any = self.choice(SCALARS)
            if op == "$inc":
                arg = self.choice([1, -2, 0.5])
            elif op == "$push" and self.random() < 0.5:
                arg = {"$each": [self.value(1) for _ in range(3)], "$slice": self.choice([-1, -5, 0, 2])}
            elif op == "$addToSet" and self.random() < 0.5:
                arg = {"$each": [self.choice(SCALARS) for _ in range(3)]}
            elif op == "$pull" and self.random() < 0.3:
                arg = {"k": self.choice(SCALARS[:5])}
            update.setdefault(op, {})[path] = arg
        return update or {"$set": {"z": 1}}


@pytest.fixture
async def both(mongodb_url: str, tmp_path: os.PathLike[str]) -> AsyncIterator[tuple[Database, Database]]:
    sqlite = await open_sqlite(os.path.join(tmp_path, "store.db"))
    mongo = open_mongo(mongodb_url, f"test_differential_{random.getrandbits(40):x}")
    yield sqlite, mongo
    await sqlite.close()
    assert isinstance(mongo, MongoDatabase)
    await mongo.drop()
    await mongo.close()


def copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


async def test_random_filters_match_the_same_documents(both: tuple[Database, Database]) -> None:
    rng = Random(20240501)
    documents = [rng.document(i) for i in range(40)]
    for database in both:
        await database.collection("things").insert_many(copy(documents))
    for _ in range(400):
        filter = rng.filter()
        found = [
            [d["_id"] async for d in database.collection("things").find(copy(filter), sort=[("_id", 1)])]
            for database in both
        ]
        assert found[0] == found[1], f"filter {json.dumps(filter)}"


async def test_random_updates_give_the_same_documents(both: tuple[Database, Database]) -> None:
    rng = Random(20240502)
    for round in range(300):
        document, update = rng.document(round), rng.update()
        results = []
        for database in both:
            things = database.collection("things")
            await things.delete_many({})
            await things.insert_one(copy(document))
            try:
                await things.update_one({"_id": document["_id"]}, copy(update))
            except Exception:  # an invalid update: both engines must refuse it
                results.append("refused")
                continue
            results.append(json.dumps(await things.find_one({}), sort_keys=True))
        assert results[0] == results[1], f"update {json.dumps(update)} of {json.dumps(document)}"
