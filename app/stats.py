"""Per-request round-trip counters for `QUERY_STATS=1` (store and search calls)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class RequestStats:
    store_calls: int = 0
    search_calls: int = 0


_current: ContextVar[RequestStats | None] = ContextVar("request_stats", default=None)


def start_request_stats() -> RequestStats:
    stats = RequestStats()
    _current.set(stats)
    return stats


def count_store_call() -> None:
    stats = _current.get()
    if stats is not None:
        stats.store_calls += 1


def count_search_call() -> None:
    stats = _current.get()
    if stats is not None:
        stats.search_calls += 1


def current_stats() -> RequestStats | None:
    return _current.get()
