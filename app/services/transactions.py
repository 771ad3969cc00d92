"""Transactions with an outbox: a write and what must follow it commit together or not at all."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from app.store.repositories import Repositories


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
        """Yields the recorder for outbox entries; the local dispatcher is woken after the commit."""
        recorder = OutboxRecorder(self._repos, now_ms())
        async with self._repos.database.transaction():
            yield recorder
        if recorder.added:
            self._wake()
