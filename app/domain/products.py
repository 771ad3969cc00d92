"""Products: the catalog item, its media order, its price tiers and the rules derived from them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from app.domain.locales import pick_text
from app.domain.media import StoredImage, StoredVideo
from app.domain.money import Money, convert


class MediaKind(StrEnum):
    VIDEO = "video"
    IMAGE = "image"
    PANORAMA = "panorama"


# The order a product page shows media in: the video first, then photos, then the 360 view.
MEDIA_ORDER = (MediaKind.VIDEO, MediaKind.IMAGE, MediaKind.PANORAMA)


@dataclass(frozen=True)
class MediaItem:
    id: str
    kind: MediaKind
    image: StoredImage | None = None
    video: StoredVideo | None = None


@dataclass(frozen=True)
class StoredTier:
    """From `min_quantity` pieces on, each costs `unit_minor` (in the product's currency)."""

    min_quantity: int
    unit_minor: int


@dataclass(frozen=True)
class Tier:
    min_quantity: int
    max_quantity: int | None
    unit_price: Money


@dataclass(frozen=True)
class Product:
    key: str
    seq: int
    version: int
    supplier_key: str
    vertical_key: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    currency: str
    tiers: tuple[StoredTier, ...]
    unit: str
    specs: tuple[tuple[str, str], ...]
    media: tuple[MediaItem, ...]
    lead_time_days: int | None
    trade_assurance: bool
    created_at: int
    popularity: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)

    def title(self, locale: str) -> str:
        return pick_text(self.titles, locale)

    def description(self, locale: str) -> str:
        return pick_text(self.descriptions, locale)

    @property
    def has_video(self) -> bool:
        return any(item.kind is MediaKind.VIDEO for item in self.media)

    @property
    def cover(self) -> StoredImage:
        """The first photo, else the video's poster, else the panorama."""
        for kind in (MediaKind.IMAGE, MediaKind.VIDEO, MediaKind.PANORAMA):
            for item in self.media:
                if item.kind is kind:
                    return item.image if item.image is not None else item.video.poster  # type: ignore[union-attr]
        raise ValueError(f"product {self.key} has no media")

    def ordered_media(self) -> list[MediaItem]:
        return sorted(self.media, key=lambda item: MEDIA_ORDER.index(item.kind))

    @property
    def moq(self) -> int:
        return sorted_tiers(self.tiers)[0].min_quantity if self.tiers else 1

    def price_bounds(self) -> tuple[int, int]:
        """Lowest and highest unit price in the product's own currency."""
        prices = [t.unit_minor for t in self.tiers]
        return (min(prices), max(prices)) if prices else (0, 0)


def sorted_tiers(tiers: Sequence[StoredTier]) -> list[StoredTier]:
    """Sorted by quantity; of two tiers starting at the same quantity the first one stored wins."""
    seen: set[int] = set()
    unique: list[StoredTier] = []
    for tier in sorted(tiers, key=lambda t: t.min_quantity):
        if tier.min_quantity not in seen:
            seen.add(tier.min_quantity)
            unique.append(tier)
    return unique


def price_tiers(
    tiers: Sequence[StoredTier], currency: str, display: str, rates: dict[str, Decimal]
) -> list[Tier]:
    """Contiguous tiers in the display currency: each ends below the next one's start, the last is open."""
    ordered = sorted_tiers(tiers)
    shown: list[Tier] = []
    for index, tier in enumerate(ordered):
        upper = ordered[index + 1].min_quantity - 1 if index + 1 < len(ordered) else None
        unit = Money(convert(tier.unit_minor, currency, display, rates), display)
        shown.append(Tier(tier.min_quantity, upper, unit))
    return shown


def price_range(shown: Sequence[Tier], display: str) -> tuple[Money, Money]:
    """The lowest and highest unit price among the shown tiers (so the range always matches them)."""
    if not shown:
        return Money(0, display), Money(0, display)
    amounts = [t.unit_price.minor for t in shown]
    return Money(min(amounts), display), Money(max(amounts), display)


def usd_bounds(product: Product, rates: dict[str, Decimal]) -> tuple[int, int]:
    """Lowest and highest unit price in USD minor units, what the search index sorts and filters on."""
    low, high = product.price_bounds()
    return convert(low, product.currency, "USD", rates), convert(high, product.currency, "USD", rates)


@dataclass(frozen=True)
class RelatedCandidate:
    key: str
    vertical_key: str
    price_min_usd: int
    popularity: float


def rank_related(
    product_key: str, vertical_key: str, price_usd: int, candidates: Sequence[RelatedCandidate], first: int
) -> list[str]:
    """Same vertical, closest in price by ratio ($1 vs $2 is as far as $100 vs $200), not itself, no repeats.

    Ties go to the more popular, then to the key, so the order is stable.
    """
    if first <= 0:
        return []
    seen = {product_key}
    eligible: list[RelatedCandidate] = []
    for candidate in candidates:
        if candidate.key in seen or candidate.vertical_key != vertical_key:
            continue
        seen.add(candidate.key)
        eligible.append(candidate)

    def distance(candidate: RelatedCandidate) -> float:
        return abs(math.log(max(candidate.price_min_usd, 1) / max(price_usd, 1)))

    eligible.sort(key=lambda c: (round(distance(c), 6), -c.popularity, c.key))
    return [c.key for c in eligible[:first]]


def related_price_window(price_usd: int) -> tuple[int, int]:
    """The price band searched for related products: a third to three times the price."""
    return max(price_usd // 3, 0), max(price_usd * 3, 1)
