"""EngagementRepository: engagement counted once per viewer per item per hour, and hourly counts per item.

`engagement` holds one mark per (item, viewer, hour) under a unique key; `engagement_hourly` one
counter per (item, hour), raised only when a new mark is made. Trending and the feed's popularity
read the counters of the last 48 hours, never the events.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.events import TrackedEvent
from app.domain.trending import HourCount
from app.store.port import Collection, Database, Filter


def mark_key(event: TrackedEvent) -> str:
    return f"{event.subject_type}:{event.subject_key}|{event.viewer}|{event.hour}"


def counter_key(subject_type: str, subject_key: str, hour: int) -> str:
    return f"{subject_type}:{subject_key}|{hour}"


class EngagementRepository:
    def __init__(self, database: Database) -> None:
        self._marks: Collection = database.collection("engagement")
        self._hourly: Collection = database.collection("engagement_hourly")

    async def ensure_indexes(self) -> None:
        await self._marks.create_index(
            [("subject_type", 1), ("subject_key", 1), ("viewer", 1), ("hour", 1)], unique=True
        )
        await self._marks.create_index([("hour", 1)])
        await self._hourly.create_index([("subject_type", 1), ("hour", -1)])
        await self._hourly.create_index([("vertical_keys", 1), ("subject_type", 1), ("hour", -1)])
        await self._hourly.create_index([("subject_key", 1), ("hour", -1)])

    async def count(self, events: Sequence[TrackedEvent]) -> int:
        """Marks each engagement once per viewer, item and hour; returns how many counted anew."""
        engaged = {mark_key(e): e for e in events if e.engagement}
        if not engaged:
            return 0
        seen = {d["_id"] async for d in self._marks.find({"_id": {"$in": list(engaged)}})}
        counted = 0
        for key, event in engaged.items():
            if key in seen:
                continue
            mark = {
                "subject_type": event.subject_type,
                "subject_key": event.subject_key,
                "viewer": event.viewer,
                "hour": event.hour,
            }
            # An upsert that inserts matches nothing: only then is this viewer new for the hour.
            if await self._marks.update_one({"_id": key}, {"$setOnInsert": mark}, upsert=True) == 0:
                await self._raise(event)
                counted += 1
        return counted

    async def _raise(self, event: TrackedEvent) -> None:
        await self._hourly.update_one(
            {"_id": counter_key(event.subject_type, event.subject_key, event.hour)},
            {
                "$inc": {"count": 1},
                "$setOnInsert": {
                    "subject_type": event.subject_type,
                    "subject_key": event.subject_key,
                    "vertical_keys": list(event.vertical_keys),
                    "hour": event.hour,
                },
            },
            upsert=True,
        )

    async def hourly(self, subject_type: str, vertical_key: str | None, since_hour: int) -> list[HourCount]:
        query: dict[str, object] = {"subject_type": subject_type, "hour": {"$gte": since_hour}}
        if vertical_key is not None:
            query["vertical_keys"] = vertical_key
        return [HourCount(d["subject_key"], d["hour"], d["count"]) async for d in self._hourly.find(query)]

    async def hourly_of(self, keys: Sequence[str], since_hour: int) -> list[HourCount]:
        """The hourly counts of some items (of any type: store keys do not collide across types)."""
        if not keys:
            return []
        query: Filter = {"subject_key": {"$in": list(keys)}, "hour": {"$gte": since_hour}}
        return [HourCount(d["subject_key"], d["hour"], d["count"]) async for d in self._hourly.find(query)]

    async def prune(self, before_hour: int) -> None:
        """Marks only matter within their hour; counters only within the 48 hours trending reads."""
        await self._marks.delete_many({"hour": {"$lt": before_hour}})
        await self._hourly.delete_many({"hour": {"$lt": before_hour - 24 * 30}})
