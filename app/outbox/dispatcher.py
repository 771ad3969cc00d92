"""Dispatcher: claims outbox entries with a lease, runs their handler, retries with backoff."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.outbox import MAX_ATTEMPTS, OutboxEntry, backoff_ms
from app.store.outbox import OutboxRepository

log = logging.getLogger("buyer_api.outbox")

Handler = Callable[[dict[str, Any]], Awaitable[None]]


class RetryLater(Exception):
    """A handler's temporary failure; `retry_after_seconds` is the server's word when it gave one."""

    def __init__(self, reason: str, retry_after_seconds: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after_seconds = retry_after_seconds


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class DispatcherStats:
    done: int = 0
    retried: int = 0
    failed: int = 0


class Dispatcher:
    def __init__(
        self,
        outbox: OutboxRepository,
        handlers: Mapping[str, Handler],
        *,
        lease_ms: int = 30_000,
        idle_poll_seconds: float = 0.2,
        concurrency: int = 8,
    ) -> None:
        self._outbox = outbox
        self._handlers = handlers
        self._lease_ms = lease_ms
        self._idle_poll = idle_poll_seconds
        self._concurrency = concurrency
        self._owner = f"dispatcher-{secrets.token_hex(4)}"
        self._wake = asyncio.Event()
        self._polling = asyncio.Lock()
        self.stats = DispatcherStats()

    def wake(self) -> None:
        """Called after a local commit, so in-process work starts at once instead of at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        workers = [asyncio.create_task(self._work()) for _ in range(self._concurrency)]
        try:
            await asyncio.gather(*workers)
        finally:
            for worker in workers:
                worker.cancel()

    async def drain(self) -> int:
        """Runs every due entry now; returns how many were taken (for tests and `reindex`)."""
        taken = 0
        while await self.run_once():
            taken += 1
        return taken

    async def run_once(self) -> bool:
        entry = await self._outbox.claim(self._owner, now_ms(), self._lease_ms)
        if entry is None:
            return False
        await self._perform(entry)
        return True

    async def _work(self) -> None:
        while True:
            try:
                entry = await self._outbox.claim(self._owner, now_ms(), self._lease_ms)
                if entry is not None:
                    # Recruit the idle workers: one of them keeps polling while this one works.
                    self._wake.set()
                    await self._perform(entry)
            except Exception:
                log.exception("outbox claim failed")
                entry = None
            if entry is None:
                await self._idle()

    async def _idle(self) -> None:
        """One idle worker polls (one claim query per poll, not one per worker); the others sleep
        until a local commit or a worker's find wakes them."""
        self._wake.clear()
        if self._polling.locked():
            await self._wake.wait()
            return
        async with self._polling:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._idle_poll)

    async def _perform(self, entry: OutboxEntry) -> None:
        handler = self._handlers.get(entry.kind)
        if handler is None:
            await self._outbox.fail(entry.key, self._owner, f"no handler for {entry.kind}")
            self.stats.failed += 1
            return
        try:
            await handler(entry.payload)
        except RetryLater as error:
            await self._retry(entry, str(error), error.retry_after_seconds)
        except Exception as error:
            log.exception("outbox entry %s (%s) failed", entry.key, entry.kind)
            await self._retry(entry, f"{type(error).__name__}: {error}", None)
        else:
            await self._outbox.complete(entry.key, self._owner)
            self.stats.done += 1

    async def _retry(self, entry: OutboxEntry, error: str, retry_after: float | None) -> None:
        if entry.attempts >= MAX_ATTEMPTS:
            await self._outbox.fail(entry.key, self._owner, error)
            self.stats.failed += 1
            return
        await self._outbox.retry(
            entry.key, self._owner, now_ms() + backoff_ms(entry.attempts, retry_after), error
        )
        self.stats.retried += 1
