"""NotificationRepository: each user's in-app notifications."""

from __future__ import annotations

from app.store.port import Collection, Database


class NotificationRepository:
    def __init__(self, database: Database) -> None:
        self._notifications: Collection = database.collection("notifications")

    async def ensure_indexes(self) -> None:
        await self._notifications.create_index([("user_key", 1), ("read_at", 1)])
        await self._notifications.create_index([("user_key", 1), ("created_at", -1), ("_id", -1)])

    async def count_unread(self, user_key: str) -> int:
        return await self._notifications.count_documents({"user_key": user_key, "read_at": None})
