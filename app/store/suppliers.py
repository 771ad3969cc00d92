"""SupplierRepository: the suppliers collection."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from app.domain.suppliers import Certificate, CertificateKind, Supplier
from app.store.decoded import DecodedMemo
from app.store.port import Collection, Database, Document
from app.store.verticals import image_from_doc, image_to_doc

# Decoded suppliers kept per process: about 1.5 KB each, so 50,000 are ~75 MB; a catalog has one
# supplier per 25 products, so with 1,000,000 products (40,000 suppliers) every supplier fits.
MEMO_CAPACITY = 50_000


def supplier_from_doc(doc: Document) -> Supplier:
    return Supplier(
        key=doc["_id"],
        seq=doc["seq"],
        version=doc["version"],
        name=doc["name"],
        country=doc["country"],
        region=doc.get("region"),
        verified=doc.get("verified", False),
        joined_at=doc["joined_at"],
        logo=image_from_doc(doc.get("logo")),
        trade_assurance_limit_usd=doc.get("ta_limit"),
        response_rate=doc.get("response_rate"),
        median_response_minutes=doc.get("median_response_minutes"),
        on_time_rate=doc.get("on_time_rate"),
        certificates=tuple(Certificate(CertificateKind(k), n, v) for k, n, v in doc.get("certificates", [])),
        vertical_keys=tuple(doc.get("vertical_keys", [])),
        created_at=doc["created_at"],
        popularity=doc.get("popularity", 0.0),
    )


def supplier_to_doc(supplier: Supplier) -> Document:
    return {
        "_id": supplier.key,
        "seq": supplier.seq,
        "version": supplier.version,
        "name": supplier.name,
        "country": supplier.country,
        "region": supplier.region,
        "verified": supplier.verified,
        "joined_at": supplier.joined_at,
        "logo": image_to_doc(supplier.logo),
        "ta_limit": supplier.trade_assurance_limit_usd,
        "response_rate": supplier.response_rate,
        "median_response_minutes": supplier.median_response_minutes,
        "on_time_rate": supplier.on_time_rate,
        "certificates": [[c.kind.value, c.name, c.verified] for c in supplier.certificates],
        "vertical_keys": list(supplier.vertical_keys),
        "created_at": supplier.created_at,
        "popularity": supplier.popularity,
    }


class SupplierRepository:
    def __init__(self, database: Database) -> None:
        self._suppliers: Collection = database.collection("suppliers")
        self._decoded = DecodedMemo(database, self._suppliers, supplier_from_doc, MEMO_CAPACITY)

    async def ensure_indexes(self) -> None:
        await self._suppliers.create_index([("seq", 1)])

    async def get_many(self, keys: Sequence[str]) -> list[Supplier | None]:
        """In key order, None for an unknown key; decoded suppliers are reused while their version holds."""
        return await self._decoded.get_many(keys)

    async def insert_many(self, suppliers: Sequence[Supplier]) -> None:
        if suppliers:
            await self._suppliers.insert_many([supplier_to_doc(s) for s in suppliers])

    async def put(self, supplier: Supplier) -> Supplier:
        """Writes the supplier as a new version (the search index keeps only the newest one)."""
        return await self._write(
            supplier.key, {k: v for k, v in supplier_to_doc(supplier).items() if k != "_id"}
        )

    async def set_response_stats(
        self, key: str, response_rate: float | None, median_minutes: int | None
    ) -> bool:
        """For the inquiries use cases: the figures of the last 30 days' first replies; False if unknown."""
        fields: dict[str, Any] = {"response_rate": response_rate, "median_response_minutes": median_minutes}
        if await self._suppliers.find_one({"_id": key}) is None:
            return False
        await self._write(key, fields)
        return True

    async def _write(self, key: str, fields: Document) -> Supplier:
        fields = {k: v for k, v in fields.items() if k != "version"}
        written = await self._suppliers.find_one_and_update(
            {"_id": key}, {"$set": fields, "$inc": {"version": 1}}, upsert=True, return_new=True
        )
        if written is None:
            raise RuntimeError(f"upsert of supplier {key} returned nothing")
        return self._decoded.written(written)

    async def batches(self, size: int) -> AsyncIterator[list[Supplier]]:
        """Every supplier in key order, a batch per round trip (for reindexing)."""
        last: str | None = None
        while True:
            query = {"_id": {"$gt": last}} if last is not None else {}
            batch = [
                supplier_from_doc(d) async for d in self._suppliers.find(query, sort=[("_id", 1)], limit=size)
            ]
            if not batch:
                return
            yield batch
            last = batch[-1].key

    async def count(self) -> int:
        return await self._suppliers.count_documents({})
