"""Tracking events: accept the valid part of a batch, count engagement once per viewer and hour,
and move a buyer's interests at once."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.articles import visible_to_public
from app.domain.errors import Violation, not_found
from app.domain.events import EventInput, TrackedEvent, check_event, hour_of
from app.services.interests import InterestService, Signal
from app.services.transactions import OutboxRecorder, TransactionRunner
from app.store.events import event_key
from app.store.repositories import Repositories

SubjectRef = tuple[str, str]
KEEP_MARK_HOURS = 2


@dataclass(frozen=True)
class Subject:
    vertical_keys: tuple[str, ...]
    supplier_key: str | None


@dataclass(frozen=True)
class TrackResult:
    accepted: int
    violations: list[Violation]


class EventService:
    def __init__(
        self, repos: Repositories, transactions: TransactionRunner, interests: InterestService
    ) -> None:
        self._repos = repos
        self._transactions = transactions
        self._interests = interests

    async def track(
        self, viewer: str, buyer_key: str | None, events: Sequence[EventInput], now: int
    ) -> TrackResult:
        """`viewer` is the account key or "ip:…"; `buyer_key` is set only for signed-in buyers."""
        violations: list[Violation] = []
        valid: list[tuple[int, EventInput]] = []
        for index, event in enumerate(events):
            problems = check_event(index, event, now)
            violations.extend(problems)
            if not problems:
                valid.append((index, event))
        subjects = await self._subjects([(e.subject_type or "", e.subject_key or "") for _, e in valid])
        tracked: dict[str, TrackedEvent] = {}
        for index, event in valid:
            subject = subjects.get((event.subject_type or "", event.subject_key or ""))
            if subject is None:
                violations.append(not_found(("events", str(index), "subjectId"), "That subject"))
                continue
            made = _tracked(viewer, event, subject, now)
            tracked.setdefault(made.key, made)
        accepted = await self._record(viewer, buyer_key, list(tracked.values()), now)
        return TrackResult(accepted, sorted(violations, key=lambda v: int((v.field or ("", "0"))[1])))

    async def _subjects(self, refs: Sequence[SubjectRef]) -> dict[SubjectRef, Subject]:
        """Every subject of the batch in one round trip per type."""
        by_type = {
            t: sorted({k for kind, k in refs if kind == t}) for t in ("Product", "Article", "Supplier")
        }
        products, articles, suppliers = await asyncio.gather(
            self._repos.products.get_many(by_type["Product"]),
            self._repos.articles.get_many(by_type["Article"]),
            self._repos.suppliers.get_many(by_type["Supplier"]),
        )
        found: dict[SubjectRef, Subject] = {}
        for p in products:
            if p is not None:
                found["Product", p.key] = Subject((p.vertical_key,), p.supplier_key)
        for a in articles:
            if a is not None and visible_to_public(a):
                found["Article", a.key] = Subject((a.vertical_key,) if a.vertical_key else (), None)
        for s in suppliers:
            if s is not None:
                found["Supplier", s.key] = Subject(tuple(s.vertical_keys), s.key)
        return found

    async def _record(self, viewer: str, buyer_key: str | None, events: list[TrackedEvent], now: int) -> int:
        """Writes the events not seen before (a concurrent resend of the same ids is re-read and skipped)."""

        async def write(_: OutboxRecorder) -> int:
            fresh = await self._unseen(events)
            await self._repos.events.insert_many(fresh)
            await self._repos.engagement.count(fresh)
            if buyer_key is not None:
                await self._interests.record(buyer_key, [_signal(e) for e in fresh])
            return len(fresh)

        accepted = await self._transactions.run(write)
        if secrets.randbelow(50) == 0:
            # Marks matter only within their hour; pruning now and then keeps the collection small.
            await self._repos.engagement.prune(hour_of(now) - KEEP_MARK_HOURS)
        return accepted

    async def _unseen(self, events: list[TrackedEvent]) -> list[TrackedEvent]:
        seen = await self._repos.events.existing([e.key for e in events if e.client_event_id is not None])
        return [e for e in events if e.key not in seen]


def _tracked(viewer: str, event: EventInput, subject: Subject, now: int) -> TrackedEvent:
    client_id = event.client_event_id
    key = event_key(viewer, client_id) if client_id is not None else f"{viewer}|~{secrets.token_hex(10)}"
    return TrackedEvent(
        key=key,
        viewer=viewer,
        kind=event.kind,
        subject_type=event.subject_type or "",
        subject_key=event.subject_key or "",
        vertical_keys=subject.vertical_keys,
        supplier_key=subject.supplier_key,
        occurred_at=event.occurred_at,
        duration_ms=event.duration_ms,
        client_event_id=client_id,
        received_at=now,
    )


def _signal(event: TrackedEvent) -> Signal:
    vertical = event.vertical_keys[0] if event.vertical_keys else None
    return Signal(event.kind, vertical, event.supplier_key, event.occurred_at)
