"""Transactions with an outbox: a write and what must follow it commit together or not at all."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from app.store.port import WriteConflict
from app.store.repositories import Repositories

T = TypeVar("T")
CONFLICT_BUDGET_SECONDS = 10.0
"""How long `run` keeps retrying a transaction that meets concurrent writers (PyMongo's own
`with_transaction` allows 120 s). A budget of time rather than of attempts: under load the winner of
a hot document holds it longer, and its rivals fail more often in that time."""


def now_ms() -> int:
    return int(time.time() * 1000)


class OutboxRecorder:
    def __init__(self, repos: Repositories, now: int) -> None:
        self._repos = repos
        self.now = now
        self.added = 0

    async def add(self, kind: str, payload: dict[str, Any], available_at: int | None = None) -> None:
        await self._repos.outbox.add(kind, payload, self.now, available_at)
        self.added += 1


class TransactionRunner:
    def __init__(self, repos: Repositories, wake_dispatcher: Callable[[], None]) -> None:
        self._repos = repos
        self._wake = wake_dispatcher

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[OutboxRecorder]:
        """Yields the recorder for outbox entries; the local dispatcher is woken after the commit.

        One attempt: a write that can meet a concurrent writer goes through `run` instead."""
        recorder = OutboxRecorder(self._repos, now_ms())
        async with self._repos.database.transaction():
            yield recorder
        if recorder.added:
            self._wake()

    async def run(self, body: Callable[[OutboxRecorder], Awaitable[T]]) -> T:
        """Runs `body` in a transaction, again from its first read when a concurrent writer won.

        `body` must read what it changes inside the transaction, so a second run sees the winner's write.
        """
        deadline = time.monotonic() + CONFLICT_BUDGET_SECONDS
        attempt = 0
        while True:
            try:
                async with self.begin() as outbox:
                    return await body(outbox)
            except WriteConflict:
                attempt += 1
                if time.monotonic() > deadline:
                    raise
                # Growing and jittered, so that the writers of one document do not meet again in step.
                await asyncio.sleep(random.uniform(0.5, 1.0) * min(0.01 * 2**attempt, 0.3))
