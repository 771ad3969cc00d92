"""Recording what a buyer engages with: decayed weights per vertical and supplier, and recent events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.interests import ENGAGEMENT_KINDS, RECENT_EVENTS, apply_signal
from app.store.port import Collection, Database


@dataclass(frozen=True)
class Signal:
    """One engagement of a buyer with something of a vertical (and maybe of a supplier)."""

    kind: str
    vertical_key: str | None
    supplier_key: str | None
    at: int


@dataclass(frozen=True)
class InterestProfile:
    """A buyer's decayed weights and the verticals of their last engagement events, oldest first."""

    verticals: dict[str, float]
    suppliers: dict[str, float]
    recent: list[str]


class InterestService:
    """Updates interests at once (the next feed request sees them); callers are buyers only."""

    def __init__(self, database: Database) -> None:
        self._interests: Collection = database.collection("interests")

    async def record(self, user_key: str, signals: Sequence[Signal]) -> None:
        if not signals:
            return
        doc = await self._interests.find_one({"user_key": user_key}) or {}
        verticals: dict[str, float] = doc.get("verticals", {})
        suppliers: dict[str, float] = doc.get("suppliers", {})
        updated_at: int = doc.get("updated_at", signals[0].at)
        recent: list[str] = list(doc.get("recent", []))
        for signal in sorted(signals, key=lambda s: s.at):
            elapsed = signal.at - updated_at
            if signal.vertical_key is not None:
                verticals = apply_signal(verticals, signal.vertical_key, signal.kind, elapsed)
                if signal.kind in ENGAGEMENT_KINDS:
                    recent.append(signal.vertical_key)
            if signal.supplier_key is not None:
                suppliers = apply_signal(suppliers, signal.supplier_key, signal.kind, elapsed)
            updated_at = max(updated_at, signal.at)
        await self._interests.update_one(
            {"user_key": user_key},
            {
                "$set": {
                    "verticals": verticals,
                    "suppliers": suppliers,
                    "recent": recent[-RECENT_EVENTS:],
                    "updated_at": updated_at,
                }
            },
            upsert=True,
        )

    async def profile(self, user_key: str) -> InterestProfile:
        doc = await self._interests.find_one({"user_key": user_key}) or {}
        return InterestProfile(
            dict(doc.get("verticals", {})), dict(doc.get("suppliers", {})), list(doc.get("recent", []))
        )
