"""EventRepository: the `events` collection, every accepted tracked event (article stats read it too)."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.events import TrackedEvent
from app.store.port import Collection, Database, Document


def event_key(viewer: str, client_event_id: str) -> str:
    """One document per viewer and client event id, so a resent event is found by its key."""
    return f"{viewer}|{client_event_id}"


def event_to_doc(event: TrackedEvent) -> Document:
    return {
        "_id": event.key,
        "subject_type": event.subject_type,
        "subject_key": event.subject_key,
        "kind": event.kind,
        "viewer": event.viewer,
        "hour": event.hour,
        "duration_ms": event.duration_ms,
        "at": event.occurred_at,
        "received_at": event.received_at,
        "client_event_id": event.client_event_id,
        "vertical_keys": list(event.vertical_keys),
        "supplier_key": event.supplier_key,
    }


class EventRepository:
    def __init__(self, database: Database) -> None:
        self._events: Collection = database.collection("events")

    async def ensure_indexes(self) -> None:
        # Article stats read one article's VIEW and DWELL events.
        await self._events.create_index([("subject_type", 1), ("subject_key", 1), ("kind", 1)])
        await self._events.create_index([("viewer", 1), ("at", -1)])

    async def existing(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        return {d["_id"] async for d in self._events.find({"_id": {"$in": list(keys)}})}

    async def insert_many(self, events: Sequence[TrackedEvent]) -> None:
        if events:
            await self._events.insert_many([event_to_doc(e) for e in events])

    async def of_viewer(self, viewer: str, limit: int) -> list[Document]:
        """The viewer's latest events, newest first (for evaluation and support)."""
        return [d async for d in self._events.find({"viewer": viewer}, sort=[("at", -1)], limit=limit)]
