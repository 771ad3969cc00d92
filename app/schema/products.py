"""Product: media, price tiers in the display currency, specs, and its references through DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from app.context import Info
from app.domain import media as domain_media
from app.domain import products as rules
from app.domain.accounts import Role
from app.domain.ids import to_global_id
from app.schema.base import Image, Money, MoneyRange, Node, PageInfo, Quantity, UserError
from app.schema.errors import bad_input
from app.schema.paging import build_page, page_request
from app.schema.verticals import Vertical

if TYPE_CHECKING:
    from app.schema.suppliers import Supplier


MAX_RELATED = 100


@dataclass(frozen=True)
class CatalogView:
    """How this request shows the catalog: its language, its display currency and the rates to it."""

    locale: str
    currency: str
    rates: dict[str, Decimal]


async def catalog_view(info: Info) -> CatalogView:
    """The rates are cached in-process by their repository, so this is rarely a round trip."""
    rates = await info.context.ports.repos.rates.current()
    currency = info.context.currency if info.context.currency in rates else "USD"
    return CatalogView(info.context.locale, currency, rates)


@strawberry.enum
class NetworkType(Enum):
    WIFI = "WIFI"
    CELLULAR = "CELLULAR"
    DATA_SAVER = "DATA_SAVER"


@strawberry.type
class VideoSource:
    url: str
    mime_type: str
    width: int
    height: int
    bitrate_kbps: int


@strawberry.type
class VideoMedia:
    id: strawberry.ID
    poster: Image
    duration_seconds: int
    hls_url: str
    video: strawberry.Private[domain_media.StoredVideo]

    @strawberry.field
    def sources(self, network: NetworkType | None = NetworkType.WIFI) -> list[VideoSource]:
        chosen = domain_media.Network[(network or NetworkType.WIFI).name]
        return [
            VideoSource(
                url=r.url, mime_type=r.mime_type, width=r.width, height=r.height, bitrate_kbps=r.bitrate_kbps
            )
            for r in domain_media.renditions_for(chosen, self.video.renditions())
        ]


@strawberry.type
class ImageMedia:
    id: strawberry.ID
    image: Image


@strawberry.type
class PanoramaMedia:
    id: strawberry.ID
    image: Image


ProductMedia = Annotated[VideoMedia | ImageMedia | PanoramaMedia, strawberry.union("ProductMedia")]


def media_of(item: rules.MediaItem) -> VideoMedia | ImageMedia | PanoramaMedia:
    media_id = strawberry.ID(item.id)
    if item.video is not None:
        video = item.video
        return VideoMedia(
            id=media_id,
            poster=Image.from_domain(video.poster),
            duration_seconds=video.duration_seconds,
            hls_url=video.hls_url,
            video=video,
        )
    if item.image is None:
        raise ValueError(f"media {item.id} has neither image nor video")
    if item.kind is rules.MediaKind.PANORAMA:
        return PanoramaMedia(id=media_id, image=Image.from_domain(item.image))
    return ImageMedia(id=media_id, image=Image.from_domain(item.image))


@strawberry.type
class PriceTier:
    min_quantity: int
    max_quantity: int | None
    unit_price: Money


@strawberry.type
class Spec:
    name: str
    value: str


@strawberry.type
class Product(Node):
    id: strawberry.ID
    title: str
    description: str
    cover_image: Image
    has_video: bool
    price_tiers: list[PriceTier]
    price_range: MoneyRange
    moq: Quantity
    trade_assurance: bool
    lead_time_days: int | None
    domain: strawberry.Private[rules.Product]

    @classmethod
    def from_domain(cls, product: rules.Product, view: CatalogView) -> Product:
        tiers = rules.price_tiers(product.tiers, product.currency, view.currency, view.rates)
        low, high = rules.price_range(tiers, view.currency)
        return cls(
            id=strawberry.ID(to_global_id("Product", product.key)),
            title=product.title(view.locale),
            description=product.description(view.locale),
            cover_image=Image.from_domain(product.cover),
            has_video=product.has_video,
            price_tiers=[
                PriceTier(
                    min_quantity=t.min_quantity,
                    max_quantity=t.max_quantity,
                    unit_price=Money.from_domain(t.unit_price),
                )
                for t in tiers
            ],
            price_range=MoneyRange(min=Money.from_domain(low), max=Money.from_domain(high)),
            moq=Quantity(value=tiers[0].min_quantity if tiers else 1, unit=product.unit),
            trade_assurance=product.trade_assurance,
            lead_time_days=product.lead_time_days,
            domain=product,
        )

    @strawberry.field
    def media(self) -> list[ProductMedia]:
        """Video first, then photos, then the 360 view."""
        return [media_of(item) for item in self.domain.ordered_media()]

    @strawberry.field
    def specs(self) -> list[Spec]:
        return [Spec(name=name, value=value) for name, value in self.domain.specs]

    @strawberry.field
    async def vertical(self, info: Info) -> Vertical:
        found = await info.context.loaders.vertical_by_key.load(self.domain.vertical_key)
        if found is None:
            raise LookupError(f"product {self.domain.key} names a missing vertical")
        return Vertical.from_domain(found, info.context.locale)

    @strawberry.field
    async def supplier(self, info: Info) -> Annotated["Supplier", strawberry.lazy("app.schema.suppliers")]:  # noqa: UP037
        from app.schema.suppliers import load_supplier

        found = await load_supplier(info, self.domain.supplier_key)
        if found is None:
            raise LookupError(f"product {self.domain.key} names a missing supplier")
        return found

    @strawberry.field
    async def related(self, info: Info, first: int | None = 6) -> list[Product]:
        """Same vertical, close in price, never itself, no repeats."""
        count = 6 if first is None else first
        if count < 0 or count > MAX_RELATED:
            raise bad_input(f"`first` must be between 0 and {MAX_RELATED}; got {count}.")
        loader = info.context.loaders.product_by_key
        keys = await info.context.services.catalog.related_keys(self.domain, count, loader.load_many)
        return [p for p in await load_products(info, keys) if p is not None]

    @strawberry.field
    async def viewer_has_saved(self, info: Info) -> bool:
        viewer = info.context.viewer
        if viewer is None or viewer.role is not Role.BUYER:
            return False
        return await info.context.loaders.saved_by_user_product.load((viewer.key, self.domain.key))


async def load_products(info: Info, keys: list[str]) -> list[Product | None]:
    """Products by store key through the request's DataLoader, in key order (None for misses)."""
    view = await catalog_view(info)
    found = await info.context.loaders.product_by_key.load_many(keys)
    return [Product.from_domain(p, view) if p is not None else None for p in found]


@strawberry.type
class ProductEdge:
    cursor: str
    node: Product


@strawberry.type
class ProductConnection:
    edges: list[ProductEdge]
    page_info: PageInfo


@strawberry.type
class SavePayload:
    product: Product | None
    user_errors: list[UserError]


async def saved_connection(
    info: Info, user_key: str, first: int | None, after: str | None
) -> ProductConnection:
    """`Viewer.saved`: newest first, cursors bound to the viewer."""
    request = page_request(info, "Viewer.saved", first, after, default=20, personal=True)
    saved = info.context.ports.repos.saved
    fetched = await saved.page(user_key, request.after, request.fetch)
    page = build_page(info, request, fetched, saved.cursor_key)
    products = await load_products(info, [link.target_key for link in page.items])
    edges = [
        ProductEdge(cursor=cursor, node=product)
        for product, cursor in zip(products, page.cursors, strict=True)
        if product is not None
    ]
    return ProductConnection(edges=edges, page_info=page.page_info)
