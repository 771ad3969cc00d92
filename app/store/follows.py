"""FollowRepository: the suppliers each buyer follows."""

from __future__ import annotations

from app.store.port import Database
from app.store.saved import LinkRepository


class FollowRepository(LinkRepository):
    def __init__(self, database: Database) -> None:
        super().__init__(database, "follows", "supplier_key")

    async def ensure_indexes(self) -> None:
        await super().ensure_indexes()
        await self._links.create_index([("supplier_key", 1)])

    async def followers_of(self, supplier_key: str) -> list[str]:
        """Users following a supplier (for the feed's "new from suppliers you follow")."""
        return [d["user_key"] async for d in self._links.find({"supplier_key": supplier_key})]
