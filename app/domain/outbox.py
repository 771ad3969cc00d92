"""The outbox's rules: what an entry is, and how long a failed one waits before the next try."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_ATTEMPTS = 12
BASE_BACKOFF_MS = 500
MAX_BACKOFF_MS = 10 * 60 * 1000


@dataclass(frozen=True)
class OutboxEntry:
    key: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    available_at: int


def backoff_ms(attempts: int, retry_after_seconds: float | None = None) -> int:
    """Exponential backoff, never sooner than the server's Retry-After."""
    exponential: int = min(BASE_BACKOFF_MS * 2 ** max(attempts - 1, 0), MAX_BACKOFF_MS)
    if retry_after_seconds is not None:
        return max(exponential, int(retry_after_seconds * 1000))
    return exponential
