"""Search indexing of products and suppliers: the outbox handler and the bulk rebuild's batches."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from app.domain.products import Product, usd_bounds
from app.domain.suppliers import Supplier
from app.store.repositories import Repositories
from search.port import ProductDoc, SearchEngine, SupplierDoc

# Outbox kind of "the search index must catch up with this document"; payload {"kind", "key"}.
SEARCH_INDEX = "search.index"
SUPPLIER_BATCH = 1_000


def index_entry(kind: str, key: str) -> dict[str, Any]:
    return {"kind": kind, "key": key}


def specs_text(product: Product) -> str:
    return " ".join(f"{name} {value}" for name, value in product.specs)


def product_doc_version(product: Product, supplier: Supplier | None) -> int:
    """A product document also carries supplier fields, so its version grows with either write: the
    product's version in the high bits, the supplier's in the low 24."""
    supplier_version = supplier.version & 0xFFFFFF if supplier is not None else 0
    return (product.version << 24) | supplier_version


def product_doc(product: Product, supplier: Supplier | None, rates: dict[str, Decimal]) -> ProductDoc:
    """Prices in USD minor units, so one index serves every display currency."""
    low, high = usd_bounds(product, rates)
    return ProductDoc(
        id=product.key,
        seq=product.seq,
        version=product_doc_version(product, supplier),
        titles=product.titles,
        descriptions=product.descriptions,
        specs_text=specs_text(product),
        vertical_id=product.vertical_key,
        supplier_id=product.supplier_key,
        supplier_country=supplier.country if supplier is not None else "",
        supplier_verified=supplier.verified if supplier is not None else False,
        trade_assurance=product.trade_assurance,
        has_video=product.has_video,
        price_min=low,
        price_max=high,
        moq=product.moq,
        created_at=product.created_at,
        popularity=product.popularity,
    )


def supplier_doc(supplier: Supplier) -> SupplierDoc:
    return SupplierDoc(
        id=supplier.key,
        seq=supplier.seq,
        version=supplier.version,
        name=supplier.name,
        vertical_ids=list(supplier.vertical_keys),
        country=supplier.country,
        verified=supplier.verified,
        popularity=supplier.popularity,
        created_at=supplier.created_at,
    )


class IndexingService:
    """Writes the current store documents to the search engine; versioned, so repeats change nothing."""

    def __init__(self, repos: Repositories, search: SearchEngine) -> None:
        self._repos = repos
        self._search = search

    async def handle(self, payload: dict[str, Any]) -> None:
        """The `search.index` outbox handler: a document gone from the store leaves the index too."""
        kind, key = payload["kind"], payload["key"]
        if kind == "product":
            [product] = await self._repos.products.get_many([key])
            if product is None:
                await self._search.delete("product", [key])
            else:
                await self.index_products([product])
        elif kind == "supplier":
            [supplier] = await self._repos.suppliers.get_many([key])
            if supplier is None:
                await self._search.delete("supplier", [key])
            else:
                await self.index_suppliers([supplier])
        elif kind == "supplier_products":
            await self.index_products_of(key)
        else:
            raise ValueError(f"search.index: unknown kind {kind!r}")

    async def index_products_of(self, supplier_key: str) -> None:
        after: list[Any] | None = None
        while batch := await self._repos.products.of_supplier(supplier_key, after, SUPPLIER_BATCH):
            await self.index_products(batch)
            after = [batch[-1].created_at, batch[-1].key]

    async def index_products(self, products: Sequence[Product]) -> None:
        """One store round trip for the suppliers of the whole batch, one engine call."""
        rates = await self._repos.rates.current()
        supplier_keys = sorted({p.supplier_key for p in products})
        suppliers = dict(zip(supplier_keys, await self._repos.suppliers.get_many(supplier_keys), strict=True))
        await self._search.index_products(
            [product_doc(p, suppliers[p.supplier_key], rates) for p in products]
        )

    async def index_suppliers(self, suppliers: Sequence[Supplier]) -> None:
        await self._search.index_suppliers([supplier_doc(s) for s in suppliers])
