"""Supplier: profile, service index, certificates, verticals and its products as a keyset connection."""

from __future__ import annotations

from enum import Enum

import strawberry

from app.context import Info
from app.domain import suppliers as rules
from app.domain.accounts import Account, Role
from app.domain.ids import to_global_id
from app.domain.money import Money as DomainMoney
from app.domain.money import convert
from app.schema.base import Image, Money, Node, PageInfo, UserError
from app.schema.paging import build_page, page_request
from app.schema.products import CatalogView, Product, ProductConnection, ProductEdge, catalog_view
from app.schema.verticals import Vertical
from app.services.transactions import now_ms


@strawberry.type
class ServiceIndex:
    total: int
    information_display: int
    opportunity_acquisition: int
    opportunity_handling: int
    transaction_fulfillment: int

    @classmethod
    def from_domain(cls, index: rules.ServiceIndex) -> ServiceIndex:
        return cls(
            total=index.total,
            information_display=index.information_display,
            opportunity_acquisition=index.opportunity_acquisition,
            opportunity_handling=index.opportunity_handling,
            transaction_fulfillment=index.transaction_fulfillment,
        )


@strawberry.enum
class CertificateKind(Enum):
    PRODUCT = "PRODUCT"
    PATENT = "PATENT"
    TRADEMARK = "TRADEMARK"
    MANAGEMENT = "MANAGEMENT"


@strawberry.type
class Certificate:
    kind: CertificateKind
    name: str
    verified: bool


@strawberry.type
class Supplier(Node):
    id: strawberry.ID
    name: str
    country: str
    region: str | None
    verified: bool
    years_on_platform: int
    logo: Image | None
    trade_assurance_limit: Money | None
    response_rate: float | None
    median_response_minutes: int | None
    service_index: ServiceIndex
    certificates: list[Certificate]
    domain: strawberry.Private[rules.Supplier]

    @classmethod
    def from_domain(cls, supplier: rules.Supplier, view: CatalogView, now: int) -> Supplier:
        limit = supplier.trade_assurance_limit_usd
        shown_limit = (
            Money.from_domain(DomainMoney(convert(limit, "USD", view.currency, view.rates), view.currency))
            if limit is not None
            else None
        )
        return cls(
            id=strawberry.ID(to_global_id("Supplier", supplier.key)),
            name=supplier.name,
            country=supplier.country,
            region=supplier.region,
            verified=supplier.verified,
            years_on_platform=supplier.years_on_platform(now),
            logo=Image.maybe(supplier.logo),
            trade_assurance_limit=shown_limit,
            response_rate=supplier.response_rate,
            median_response_minutes=supplier.median_response_minutes,
            service_index=ServiceIndex.from_domain(rules.service_index(supplier, now)),
            certificates=[
                Certificate(kind=CertificateKind[c.kind.name], name=c.name, verified=c.verified)
                for c in supplier.certificates
            ],
            domain=supplier,
        )

    @strawberry.field
    async def verticals(self, info: Info) -> list[Vertical]:
        found = await info.context.loaders.vertical_by_key.load_many(list(self.domain.vertical_keys))
        return [Vertical.from_domain(v, info.context.locale) for v in found if v is not None]

    @strawberry.field
    async def viewer_follows(self, info: Info) -> bool:
        viewer = info.context.viewer
        if viewer is None or viewer.role is not Role.BUYER:
            return False
        return await info.context.loaders.followed_by_user_supplier.load((viewer.key, self.domain.key))

    @strawberry.field
    async def products(
        self, info: Info, first: int | None = 10, after: str | None = None
    ) -> ProductConnection:
        """Newest first; public cursors (bound to this supplier, not to the viewer)."""
        request = page_request(
            info, "Supplier.products", first, after, default=10, personal=False, args=[self.domain.key]
        )
        fetched = await info.context.ports.repos.products.of_supplier(
            self.domain.key, request.after, request.fetch
        )
        page = build_page(info, request, fetched, lambda p: [p.created_at, p.key])
        loader = info.context.loaders.product_by_key
        for product in page.items:
            loader.prime(product.key, product)
        view = await catalog_view(info)
        edges = [
            ProductEdge(cursor=cursor, node=Product.from_domain(product, view))
            for product, cursor in zip(page.items, page.cursors, strict=True)
        ]
        return ProductConnection(edges=edges, page_info=page.page_info)


async def load_suppliers(info: Info, keys: list[str]) -> list[Supplier | None]:
    """Suppliers by store key through the request's DataLoader, in key order (None for misses)."""
    view = await catalog_view(info)
    found = await info.context.loaders.supplier_by_key.load_many(keys)
    now = now_ms()
    return [Supplier.from_domain(s, view, now) if s is not None else None for s in found]


async def load_supplier(info: Info, key: str) -> Supplier | None:
    [found] = await load_suppliers(info, [key])
    return found


@strawberry.type
class SupplierEdge:
    cursor: str
    node: Supplier


@strawberry.type
class SupplierConnection:
    edges: list[SupplierEdge]
    page_info: PageInfo


@strawberry.type
class FollowPayload:
    supplier: Supplier | None
    user_errors: list[UserError]


async def following_connection(
    info: Info, user_key: str, first: int | None, after: str | None
) -> SupplierConnection:
    """`Viewer.following`: newest first, cursors bound to the viewer."""
    request = page_request(info, "Viewer.following", first, after, default=20, personal=True)
    follows = info.context.ports.repos.follows
    fetched = await follows.page(user_key, request.after, request.fetch)
    page = build_page(info, request, fetched, follows.cursor_key)
    suppliers = await load_suppliers(info, [link.target_key for link in page.items])
    edges = [
        SupplierEdge(cursor=cursor, node=supplier)
        for supplier, cursor in zip(suppliers, page.cursors, strict=True)
        if supplier is not None
    ]
    return SupplierConnection(edges=edges, page_info=page.page_info)


async def viewer_supplier(info: Info, account: Account) -> Supplier | None:
    """`Viewer.supplier`: the supplier a supplier user acts for; null for everyone else."""
    if account.role is not Role.SUPPLIER or account.supplier_key is None:
        return None
    return await load_supplier(info, account.supplier_key)
