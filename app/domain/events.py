"""Tracked events: what the app reports buyers did, the batch limit, and the rules an event must meet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.errors import Violation, invalid
from app.domain.interests import ENGAGEMENT_KINDS

MAX_EVENTS = 100
HOUR_MS = 3600 * 1000
MAX_AGE_MS = 24 * HOUR_MS
MAX_AHEAD_MS = 5 * 60 * 1000
MAX_CLIENT_EVENT_ID = 128
MAX_DURATION_MS = 24 * HOUR_MS
SUBJECT_TYPES = ("Product", "Article", "Supplier")

__all__ = ["ENGAGEMENT_KINDS", "EventInput", "TrackedEvent", "check_event", "hour_of"]


@dataclass(frozen=True)
class EventInput:
    """One event as the client sent it; `subject_type`/`subject_key` are None for an unreadable id."""

    kind: str
    subject_type: str | None
    subject_key: str | None
    occurred_at: int
    duration_ms: int | None
    client_event_id: str | None


@dataclass(frozen=True)
class TrackedEvent:
    """An accepted event with what its subject tells about it, as stored in the `events` collection."""

    key: str
    viewer: str
    kind: str
    subject_type: str
    subject_key: str
    vertical_keys: tuple[str, ...]
    supplier_key: str | None
    occurred_at: int
    duration_ms: int | None
    client_event_id: str | None
    received_at: int

    @property
    def hour(self) -> int:
        return hour_of(self.occurred_at)

    @property
    def engagement(self) -> bool:
        """VIEW, DWELL, SAVE, INQUIRE and VIDEO_PLAY count as engagement; impressions do not."""
        return self.kind in ENGAGEMENT_KINDS


def hour_of(at: int) -> int:
    """The epoch-hour bucket engagement is counted in."""
    return at // HOUR_MS


def check_event(index: int, event: EventInput, now: int) -> list[Violation]:
    """What is wrong with one event of a batch, at ["events", index, field]."""
    path: Sequence[str] = ("events", str(index))
    problems: list[Violation] = []
    if event.subject_type not in SUBJECT_TYPES or not event.subject_key:
        problems.append(
            invalid([*path, "subjectId"], "The subject must be a product, article or supplier id.")
        )
    if event.occurred_at < now - MAX_AGE_MS:
        problems.append(invalid([*path, "occurredAt"], "The event is more than 24 hours old."))
    elif event.occurred_at > now + MAX_AHEAD_MS:
        problems.append(invalid([*path, "occurredAt"], "The event is more than 5 minutes in the future."))
    if event.duration_ms is not None and not 0 <= event.duration_ms <= MAX_DURATION_MS:
        problems.append(invalid([*path, "durationMs"], "The duration must be between 0 and 24 hours."))
    client_id = event.client_event_id
    if client_id is not None and not 1 <= len(client_id) <= MAX_CLIENT_EVENT_ID:
        problems.append(
            invalid([*path, "clientEventId"], f"A client event id has 1 to {MAX_CLIENT_EVENT_ID} characters.")
        )
    return problems
