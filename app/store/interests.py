"""InterestRepository: each buyer's decayed engagement weights per vertical and per supplier."""

from __future__ import annotations

from app.store.port import Collection, Database


class InterestRepository:
    def __init__(self, database: Database) -> None:
        self._interests: Collection = database.collection("interests")

    async def ensure_indexes(self) -> None:
        await self._interests.create_index([("user_key", 1)], unique=True)

    async def vertical_weights(self, user_key: str) -> dict[str, float]:
        doc = await self._interests.find_one({"user_key": user_key})
        weights: dict[str, float] = (doc or {}).get("verticals", {})
        return weights
