"""ReportRepository: reports of inquiries for moderation, and the blocks some of them set."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.inquiries import Side
from app.store.port import Collection, Database


@dataclass(frozen=True)
class Report:
    key: str
    inquiry_key: str
    reporter_key: str
    reporter_side: Side
    buyer_key: str
    supplier_key: str
    reason: str
    details: str | None
    block: bool
    created_at: int


class ReportRepository:
    def __init__(self, database: Database) -> None:
        self._reports: Collection = database.collection("inquiry_reports")

    async def ensure_indexes(self) -> None:
        await self._reports.create_index([("buyer_key", 1), ("supplier_key", 1), ("block", 1)])
        await self._reports.create_index([("created_at", -1)])

    async def add(self, report: Report) -> None:
        await self._reports.insert_one(
            {
                "_id": report.key,
                "inquiry_key": report.inquiry_key,
                "reporter_key": report.reporter_key,
                "reporter_side": report.reporter_side.value,
                "buyer_key": report.buyer_key,
                "supplier_key": report.supplier_key,
                "reason": report.reason,
                "details": report.details,
                "block": report.block,
                "created_at": report.created_at,
            }
        )

    async def blocked_sides(self, buyer_key: str, supplier_key: str) -> set[Side]:
        """The sides that blocked the other between this buyer and this supplier."""
        query = {"buyer_key": buyer_key, "supplier_key": supplier_key, "block": True}
        return {Side(d["reporter_side"]) async for d in self._reports.find(query)}
