"""RateRepository: the exchange rates the operator loads (units per one USD)."""

from __future__ import annotations

import time
from decimal import Decimal

from app.store.port import Collection, Database

CACHE_SECONDS = 60.0


class RateRepository:
    """Rates change rarely and every price needs them: kept in memory for a minute."""

    def __init__(self, database: Database) -> None:
        self._rates: Collection = database.collection("fx_rates")
        self._cached: dict[str, Decimal] | None = None
        self._cached_at = 0.0

    async def ensure_indexes(self) -> None:
        return None

    async def current(self) -> dict[str, Decimal]:
        if self._cached is not None and time.monotonic() - self._cached_at < CACHE_SECONDS:
            return self._cached
        doc = await self._rates.find_one({"_id": "current"})
        rates = {code: Decimal(value) for code, value in (doc or {}).get("rates", {}).items()}
        rates["USD"] = Decimal(1)
        self._cached, self._cached_at = rates, time.monotonic()
        return rates

    async def load(self, rates: dict[str, str], now: int) -> None:
        await self._rates.update_one(
            {"_id": "current"}, {"$set": {"rates": rates, "updated_at": now}}, upsert=True
        )
        self._cached = None
