"""SavedRepository: each buyer's saved products, and the (user, target) list shape it shares with follows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.store.port import Collection, Database


@dataclass(frozen=True)
class Link:
    """A user keeping a target (a saved product, a followed supplier) since `created_at`."""

    user_key: str
    target_key: str
    created_at: int


class LinkRepository:
    """Documents `{user_key, <target field>, created_at}`, one per pair; erased with the account."""

    def __init__(self, database: Database, name: str, target_field: str) -> None:
        self._links: Collection = database.collection(name)
        self._target = target_field

    async def ensure_indexes(self) -> None:
        await self._links.create_index([("user_key", 1), (self._target, 1)], unique=True)
        await self._links.create_index([("user_key", 1), ("created_at", -1), ("_id", -1)])

    @staticmethod
    def _key(user_key: str, target_key: str) -> str:
        return f"{user_key}:{target_key}"

    async def add(self, user_key: str, target_key: str, now: int) -> bool:
        """Idempotent; True when the pair is new (so its side effects happen once)."""
        key = self._key(user_key, target_key)
        doc = {"user_key": user_key, self._target: target_key, "created_at": now}
        matched = await self._links.update_one({"_id": key}, {"$setOnInsert": doc}, upsert=True)
        return matched == 0

    async def remove(self, user_key: str, target_key: str) -> bool:
        return await self._links.delete_one({"_id": self._key(user_key, target_key)}) > 0

    async def kept_among(self, user_key: str, target_keys: Sequence[str]) -> set[str]:
        ids = [self._key(user_key, t) for t in target_keys]
        return {d[self._target] async for d in self._links.find({"_id": {"$in": ids}})}

    async def kept_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[bool]:
        """For a DataLoader keyed by (user, target): whether each pair is kept, in one round trip."""
        ids = [self._key(user, target) for user, target in pairs]
        found = {d["_id"] async for d in self._links.find({"_id": {"$in": ids}})}
        return [i in found for i in ids]

    async def page(self, user_key: str, after: Sequence[Any] | None, limit: int) -> list[Link]:
        """Newest first; `after` is the (created_at, _id) of the last link of the previous page."""
        query: dict[str, Any] = {"user_key": user_key}
        if after is not None:
            created_at, key = after
            query["$or"] = [
                {"created_at": {"$lt": created_at}},
                {"created_at": created_at, "_id": {"$lt": key}},
            ]
        sort = [("created_at", -1), ("_id", -1)]
        return [
            Link(d["user_key"], d[self._target], d["created_at"])
            async for d in self._links.find(query, sort=sort, limit=limit)
        ]

    def cursor_key(self, link: Link) -> list[Any]:
        return [link.created_at, self._key(link.user_key, link.target_key)]


class SavedRepository(LinkRepository):
    def __init__(self, database: Database) -> None:
        super().__init__(database, "saved", "product_key")
