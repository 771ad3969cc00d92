"""OutboxRepository: entries written in the writer's transaction, claimed by dispatchers with a lease."""

from __future__ import annotations

import secrets
from typing import Any

from app.domain.outbox import OutboxEntry
from app.store.port import Collection, Database, Document

PENDING = "pending"
LEASED = "leased"
DONE = "done"
FAILED = "failed"


def _entry_from_doc(doc: Document) -> OutboxEntry:
    return OutboxEntry(doc["_id"], doc["kind"], doc["payload"], doc["attempts"], doc["available_at"])


class OutboxRepository:
    def __init__(self, database: Database) -> None:
        self._entries: Collection = database.collection("outbox")

    async def ensure_indexes(self) -> None:
        await self._entries.create_index([("status", 1), ("available_at", 1)])
        await self._entries.create_index([("status", 1), ("lease_until", 1)])

    async def add(self, kind: str, payload: dict[str, Any], now: int, available_at: int | None = None) -> str:
        """Call inside the writer's transaction, so the entry exists exactly when the write does."""
        key = f"{now:013d}-{secrets.token_hex(6)}"
        await self._entries.insert_one(
            {
                "_id": key,
                "kind": kind,
                "payload": payload,
                "status": PENDING,
                "attempts": 0,
                "available_at": now if available_at is None else available_at,
                "lease_until": 0,
                "owner": None,
                "created_at": now,
                "last_error": None,
            }
        )
        return key

    async def claim(self, owner: str, now: int, lease_ms: int) -> OutboxEntry | None:
        """Takes an entry whose lease ran out because its holder died, else the oldest due one. Two
        queries, each served by one index: the dispatcher polls, and an `$or` of the two scanned every
        entry ever done on SecantusDB (167 ms a claim at 5,000 done entries, against 1 ms each)."""
        claimed = {
            "$set": {"status": LEASED, "lease_until": now + lease_ms, "owner": owner},
            "$inc": {"attempts": 1},
        }
        doc = await self._entries.find_one_and_update(
            {"status": LEASED, "lease_until": {"$lt": now}}, claimed, sort=[("lease_until", 1)]
        )
        if doc is None:
            doc = await self._entries.find_one_and_update(
                {"status": PENDING, "available_at": {"$lte": now}}, claimed, sort=[("available_at", 1)]
            )
        return _entry_from_doc(doc) if doc else None

    async def complete(self, key: str, owner: str) -> None:
        await self._entries.update_one(
            {"_id": key, "owner": owner}, {"$set": {"status": DONE, "owner": None}}
        )

    async def retry(self, key: str, owner: str, available_at: int, error: str) -> None:
        await self._entries.update_one(
            {"_id": key, "owner": owner},
            {"$set": {"status": PENDING, "available_at": available_at, "owner": None, "last_error": error}},
        )

    async def fail(self, key: str, owner: str, error: str) -> None:
        await self._entries.update_one(
            {"_id": key, "owner": owner}, {"$set": {"status": FAILED, "owner": None, "last_error": error}}
        )

    async def count(self, status: str) -> int:
        return await self._entries.count_documents({"status": status})

    async def purge_done(self, before: int) -> int:
        return await self._entries.delete_many({"status": DONE, "available_at": {"$lt": before}})
