"""NotificationRepository: each user's in-app notifications, and the sent marks of their pushes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.domain.notifications import NotificationKind
from app.domain.notifications_rules import Notification
from app.store.port import Collection, Database, Document

DELIVERY_SENT = "sent"
DELIVERY_DROPPED = "dropped"
DELIVERY_FAILED = "failed"


def notification_from_doc(doc: Document) -> Notification:
    return Notification(
        key=doc["_id"],
        user_key=doc["user_key"],
        kind=NotificationKind(doc["kind"]),
        target_type=doc["target_type"],
        target_key=doc["target_key"],
        group=doc.get("group", ""),
        params=doc.get("params") or {},
        created_at=doc["created_at"],
        read_at=doc.get("read_at"),
    )


def notification_to_doc(notification: Notification) -> Document:
    return {
        "_id": notification.key,
        "user_key": notification.user_key,
        "kind": notification.kind.value,
        "target_type": notification.target_type,
        "target_key": notification.target_key,
        "group": notification.group,
        "params": notification.params,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


class NotificationRepository:
    def __init__(self, database: Database) -> None:
        self._notifications: Collection = database.collection("notifications")
        self._deliveries: Collection = database.collection("push_deliveries")

    async def ensure_indexes(self) -> None:
        await self._notifications.create_index([("user_key", 1), ("read_at", 1)])
        await self._notifications.create_index([("user_key", 1), ("created_at", -1), ("_id", -1)])
        await self._notifications.create_index([("user_key", 1), ("target_type", 1), ("target_key", 1)])

    async def count_unread(self, user_key: str) -> int:
        return await self._notifications.count_documents({"user_key": user_key, "read_at": None})

    async def get_many(self, keys: Sequence[str]) -> list[Notification | None]:
        found = {d["_id"]: d async for d in self._notifications.find({"_id": {"$in": list(keys)}})}
        return [notification_from_doc(found[k]) if k in found else None for k in keys]

    async def insert(self, notification: Notification) -> None:
        await self._notifications.insert_one(notification_to_doc(notification))

    async def page(
        self, user_key: str, unread_only: bool, after: Any | None, limit: int
    ) -> list[Notification]:
        """Newest first; keyset on (created_at, _id)."""
        owner: dict[str, Any] = {"user_key": user_key}
        if unread_only:
            owner["read_at"] = None
        query: dict[str, Any] = owner
        if after is not None:
            at, key = after
            query = {
                "$and": [
                    owner,
                    {"$or": [{"created_at": {"$lt": at}}, {"created_at": at, "_id": {"$lt": key}}]},
                ]
            }
        found = self._notifications.find(query, sort=[("created_at", -1), ("_id", -1)], limit=limit)
        return [notification_from_doc(d) async for d in found]

    async def mark_read(self, user_key: str, keys: Sequence[str], now: int) -> None:
        """Only the user's own: other ids are ignored, not refused."""
        await self._notifications.update_many(
            {"user_key": user_key, "_id": {"$in": list(keys)}, "read_at": None}, {"$set": {"read_at": now}}
        )

    async def mark_read_up_to(self, user_key: str, up_to: int, now: int) -> None:
        await self._notifications.update_many(
            {"user_key": user_key, "created_at": {"$lte": up_to}, "read_at": None}, {"$set": {"read_at": now}}
        )

    async def mark_read_for_target(self, user_key: str, target_type: str, target_key: str, now: int) -> None:
        query = {"user_key": user_key, "target_type": target_type, "target_key": target_key, "read_at": None}
        await self._notifications.update_many(query, {"$set": {"read_at": now}})

    async def delivery_states(self, keys: Sequence[str]) -> dict[str, str]:
        """The recorded outcome of each (notification, device) delivery that has one."""
        return {d["_id"]: d["state"] async for d in self._deliveries.find({"_id": {"$in": list(keys)}})}

    async def record_delivery(self, key: str, state: str, now: int, detail: str | None = None) -> None:
        await self._deliveries.update_one(
            {"_id": key}, {"$set": {"state": state, "at": now, "detail": detail}}, upsert=True
        )
