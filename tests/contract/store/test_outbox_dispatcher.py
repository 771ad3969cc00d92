"""The outbox dispatcher over each store engine: an idle outbox costs one claim per poll, and work
found by one worker brings the others in."""

from __future__ import annotations

import asyncio
from typing import Any

from app.domain.outbox import OutboxEntry
from app.outbox.dispatcher import Dispatcher, now_ms
from app.store.outbox import OutboxRepository
from app.store.port import Database

POLL = 0.05
WORKERS = 8


class CountedOutbox(OutboxRepository):
    """The real repository, counting the claim queries it is asked for."""

    claims = 0

    async def claim(self, owner: str, now: int, lease_ms: int) -> OutboxEntry | None:
        self.claims += 1
        return await super().claim(owner, now, lease_ms)


async def _running(dispatcher: Dispatcher, seconds: float) -> None:
    task = asyncio.create_task(dispatcher.run())
    await asyncio.sleep(seconds)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_an_idle_outbox_is_polled_by_one_worker_not_all(database: Database) -> None:
    # given an empty outbox and eight workers polling every 50 ms
    outbox = CountedOutbox(database)
    dispatcher = Dispatcher(outbox, {}, idle_poll_seconds=POLL, concurrency=WORKERS)
    # when it idles for a second
    await _running(dispatcher, 1.0)
    # then about one claim per poll (twenty), far from one per worker per poll (160)
    assert outbox.claims <= 2 * (1.0 / POLL) + WORKERS


async def test_entries_found_by_the_poll_are_worked_on_by_every_worker(database: Database) -> None:
    # given an idle dispatcher whose entries each hold a worker for 200 ms
    outbox = OutboxRepository(database)
    running = 0
    most = 0

    async def slow(payload: dict[str, Any]) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.2)
        running -= 1

    dispatcher = Dispatcher(outbox, {"slow": slow}, idle_poll_seconds=POLL, concurrency=WORKERS)
    task = asyncio.create_task(dispatcher.run())
    await asyncio.sleep(0.3)
    # when another process writes entries (no local wake) and the dispatcher runs until they are done
    for _ in range(WORKERS):
        await outbox.add("slow", {}, now_ms())
    deadline = asyncio.get_running_loop().time() + 20
    while dispatcher.stats.done < WORKERS and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    # then the poller's find woke the others: entries ran side by side, not one after another
    assert dispatcher.stats.done == WORKERS
    assert most >= 2


async def test_a_claim_takes_a_dead_holders_entry_then_the_oldest_due_and_nothing_else(
    database: Database,
) -> None:
    # given: an entry due later, two due now, and one whose holder's lease ran out
    outbox = OutboxRepository(database)
    now = now_ms()
    await outbox.add("later", {}, now, available_at=now + 60_000)
    first = await outbox.add("due", {}, now - 2)
    second = await outbox.add("due", {}, now - 1)
    abandoned = await outbox.add("abandoned", {}, now - 10)
    taken = await outbox.claim("dead-worker", now - 5, lease_ms=1)
    assert taken is not None and taken.key == abandoned
    # when a live worker claims until nothing is left
    keys = []
    while (entry := await outbox.claim("live-worker", now, lease_ms=30_000)) is not None:
        keys.append(entry.key)
    # then: the abandoned one first, then the due ones oldest first; not the later one, none twice
    assert keys == [abandoned, first, second]
