"""Trending products: HOT and RISING from the hourly engagement counts of the last 48 hours."""

from __future__ import annotations

from app.domain.events import hour_of
from app.domain.trending import WINDOW_HOURS, Trend, TrendKind, trending
from app.store.repositories import Repositories


class TrendingService:
    """Reads one bounded range of hourly counters (items x 48 hours), never the raw events."""

    def __init__(self, repos: Repositories) -> None:
        self._repos = repos

    async def products(self, vertical_key: str | None, kind: TrendKind, first: int, now: int) -> list[Trend]:
        now_hour = hour_of(now)
        counts = await self._repos.engagement.hourly("Product", vertical_key, now_hour - 2 * WINDOW_HOURS + 1)
        return trending(counts, now_hour, kind, first)
