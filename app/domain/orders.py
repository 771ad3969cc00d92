"""Orders: the order, its pricing from the product's tiers, the state machine, visibility and numbers."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from app.domain.accounts import Account, Role
from app.domain.errors import UserErrorCode, Violation, invalid
from app.domain.money import convert, parse_amount
from app.domain.products import Product, sorted_tiers

AUTO_COMPLETE_MS = 14 * 24 * 3600 * 1000
"""The worker completes an order this long after it was delivered, unless the buyer did first."""
NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""No 0/O or 1/I: order numbers are read aloud to support and typed back."""
MAX_NOTE = 2000


class OrderStatus(StrEnum):
    PENDING_CONFIRMATION = "PENDING_CONFIRMATION"
    CONFIRMED = "CONFIRMED"
    IN_PRODUCTION = "IN_PRODUCTION"
    INSPECTION = "INSPECTION"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class Via(StrEnum):
    """Who asked for a move, and through which door."""

    SUPPLIER_UPDATE = "supplier:updateOrderStatus"
    BUYER_CANCEL = "buyer:cancelOrder"
    SUPPLIER_SHIPMENT = "supplier:addShipment"
    CARRIER = "carrier:webhook"
    BUYER_CONFIRM = "buyer:confirmReceipt"
    WORKER = "worker:autoComplete"


S = OrderStatus
# The contract's table of who moves what (CONTRACT.md section 7); anything else is INVALID.
TRANSITIONS: Mapping[tuple[OrderStatus, OrderStatus], frozenset[Via]] = {
    (S.PENDING_CONFIRMATION, S.CONFIRMED): frozenset({Via.SUPPLIER_UPDATE}),
    (S.PENDING_CONFIRMATION, S.CANCELLED): frozenset({Via.SUPPLIER_UPDATE, Via.BUYER_CANCEL}),
    (S.CONFIRMED, S.CANCELLED): frozenset({Via.SUPPLIER_UPDATE, Via.BUYER_CANCEL}),
    (S.CONFIRMED, S.IN_PRODUCTION): frozenset({Via.SUPPLIER_UPDATE}),
    (S.IN_PRODUCTION, S.INSPECTION): frozenset({Via.SUPPLIER_UPDATE}),
    (S.CONFIRMED, S.SHIPPED): frozenset({Via.SUPPLIER_SHIPMENT}),
    (S.IN_PRODUCTION, S.SHIPPED): frozenset({Via.SUPPLIER_SHIPMENT}),
    (S.INSPECTION, S.SHIPPED): frozenset({Via.SUPPLIER_SHIPMENT}),
    (S.SHIPPED, S.DELIVERED): frozenset({Via.CARRIER}),
    (S.SHIPPED, S.COMPLETED): frozenset({Via.BUYER_CONFIRM, Via.WORKER}),
    (S.DELIVERED, S.COMPLETED): frozenset({Via.BUYER_CONFIRM, Via.WORKER}),
}
SHIPPABLE = frozenset({S.CONFIRMED, S.IN_PRODUCTION, S.INSPECTION, S.SHIPPED})
"""Statuses in which a shipment may be added (SHIPPED: a second parcel of the same order)."""
PUSHED_STATUSES = frozenset({S.SHIPPED, S.DELIVERED})
"""Order moves that also push to the buyer's devices; every other move is in-app only."""


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    country: str
    line2: str | None = None
    region: str | None = None
    postal_code: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class OrderLine:
    product_key: str
    titles: Mapping[str, str]
    quantity: int
    unit_price: int
    """Minor units of the order's currency, fixed when the order was placed."""


@dataclass(frozen=True)
class TimelineEntry:
    status: OrderStatus
    at: int
    note: str | None = None


@dataclass(frozen=True)
class Order:
    key: str
    number: str
    buyer_key: str
    supplier_key: str
    vertical_key: str | None
    status: OrderStatus
    currency: str
    total: int
    lines: Sequence[OrderLine]
    trade_assurance: bool
    shipping_address: Address
    origin_country: str | None
    created_at: int
    updated_at: int
    timeline: Sequence[TimelineEntry] = field(default_factory=tuple)
    delivered_at: int | None = None


@dataclass(frozen=True)
class Pricing:
    unit_price: int
    total: int
    currency: str


def price(product: Product, quantity: int, currency: str, rates: Mapping[str, Decimal]) -> Pricing:
    """The matching tier's unit price in the buyer's currency, then total = quantity x unit price, exactly."""
    tiers = sorted_tiers(product.tiers)
    unit = tiers[0].unit_minor
    for tier in tiers:
        if quantity >= tier.min_quantity:
            unit = tier.unit_minor
    shown = convert(unit, product.currency, currency, dict(rates))
    return Pricing(unit_price=shown, total=shown * quantity, currency=currency)


def check_place(product: Product, quantity: int, note: str | None) -> list[Violation]:
    if not product.tiers:
        return [invalid(("input", "productId"), "This product cannot be ordered yet.")]
    if quantity < product.moq:
        return [invalid(("input", "quantity"), f"The minimum order is {product.moq}.")]
    if quantity > 10_000_000:
        return [invalid(("input", "quantity"), "The quantity is too large.")]
    if note is not None and len(note) > MAX_NOTE:
        return [invalid(("input", "note"), f"A note has at most {MAX_NOTE} characters.")]
    return []


def check_expected_total(expected: Decimal | None, pricing: Pricing) -> list[Violation]:
    """The app shows a total before the buyer confirms; a different one now means prices moved."""
    if expected is None:
        return []
    if parse_amount(str(expected), pricing.currency) == pricing.total:
        return []
    message = "The total changed since it was shown; review the new price and confirm again."
    return [Violation(UserErrorCode.CONFLICT, ("input", "expectedTotal"), message)]


def check_address(address: Address, is_country: bool) -> list[Violation]:
    path = ("input", "shippingAddress")
    for name in ("name", "line1", "city"):
        if not getattr(address, name).strip():
            return [invalid((*path, name), "This field is required.")]
    if not is_country:
        return [invalid((*path, "country"), "Use an ISO 3166-1 alpha-2 country code.")]
    return []


def new_order_number(now_ms: int) -> str:
    """Human-readable and unique enough to retry on the unique index: PO-YYMMDD-XXXXXXXX."""
    day = datetime.fromtimestamp(now_ms / 1000, UTC).strftime("%y%m%d")
    tail = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"PO-{day}-{tail}"


@dataclass(frozen=True)
class Move:
    """The result of asking for a status: the order after it, and whether anything changed."""

    order: Order
    changed: bool


def move(
    order: Order, to: OrderStatus, via: Via, at: int, note: str | None, field: Sequence[str]
) -> Move | Violation:
    """Applies one move of the table; the current status again succeeds and adds nothing."""
    if order.status is to:
        return Move(order, False)
    if via not in TRANSITIONS.get((order.status, to), frozenset()):
        message = f"An order that is {order.status.value} cannot become {to.value} this way."
        return invalid(tuple(field), message)
    delivered_at = at if to is S.DELIVERED else order.delivered_at
    timeline = (*order.timeline, TimelineEntry(to, at, note))
    return Move(replace(order, status=to, updated_at=at, timeline=timeline, delivered_at=delivered_at), True)


def can_read(viewer: Account | None, order: Order) -> bool:
    """A buyer reads their own orders; a supplier user the orders of their supplier; nobody else."""
    if viewer is None:
        return False
    if viewer.role is Role.BUYER:
        return viewer.key == order.buyer_key
    if viewer.role is Role.SUPPLIER:
        return viewer.supplier_key is not None and viewer.supplier_key == order.supplier_key
    return False


def other_side(via: Via) -> str:
    """Who is told about a move: the buyer, unless the buyer made it."""
    return "supplier" if via in (Via.BUYER_CANCEL, Via.BUYER_CONFIRM) else "buyer"
