"""Search shapes: the product filter and sort, facets, and the product search connection."""

from __future__ import annotations

from enum import Enum

import strawberry

from app.domain.ids import key_of
from app.schema.base import PageInfo
from app.schema.errors import bad_input
from app.schema.products import Product
from app.schema.scalars import Decimal
from app.services.search import ProductFilterInput


@strawberry.enum
class ProductSort(Enum):
    RELEVANCE = "RELEVANCE"
    NEWEST = "NEWEST"
    PRICE_ASC = "PRICE_ASC"
    PRICE_DESC = "PRICE_DESC"
    POPULAR = "POPULAR"


@strawberry.input
class ProductFilter:
    vertical: strawberry.ID | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    max_moq: int | None = None
    has_video: bool | None = None
    verified_supplier: bool | None = None
    trade_assurance: bool | None = None
    supplier_countries: list[str] | None = None

    def to_input(self) -> ProductFilterInput:
        vertical_key = key_of(self.vertical, "Vertical") if self.vertical is not None else None
        if self.vertical is not None and vertical_key is None:
            raise bad_input("`filter.vertical` is not a vertical id.")
        return ProductFilterInput(
            vertical_key=vertical_key,
            price_min=self.price_min,
            price_max=self.price_max,
            max_moq=self.max_moq,
            has_video=self.has_video,
            verified_supplier=self.verified_supplier,
            trade_assurance=self.trade_assurance,
            supplier_countries=self.supplier_countries,
        )

    def scope(self) -> tuple[object, ...]:
        """What binds a cursor to this filter (a cursor is valid only under the filter it was made for)."""
        countries = tuple(self.supplier_countries) if self.supplier_countries is not None else None
        return (
            self.vertical,
            str(self.price_min) if self.price_min is not None else None,
            str(self.price_max) if self.price_max is not None else None,
            self.max_moq,
            self.has_video,
            self.verified_supplier,
            self.trade_assurance,
            countries,
        )


@strawberry.type
class FacetBucket:
    value: str
    label: str
    count: int


@strawberry.type
class Facet:
    field: str
    buckets: list[FacetBucket]


@strawberry.type
class ProductSearchEdge:
    cursor: str
    node: Product
    highlight: str | None


@strawberry.type
class ProductSearchConnection:
    total_count: int
    facets: list[Facet]
    edges: list[ProductSearchEdge]
    page_info: PageInfo
