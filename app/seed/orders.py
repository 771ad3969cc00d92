"""Demo orders: the demo buyers' orders in every status, with timelines, shipments and tracking events."""

from __future__ import annotations

import random
from decimal import Decimal

from rich.progress import Progress

from app.domain.orders import AUTO_COMPLETE_MS, Address, Order, OrderLine, OrderStatus, TimelineEntry, price
from app.domain.products import Product
from app.domain.shipments import Shipment, ShipmentStatus, TrackingEvent, lane_of
from app.services.orders import AUTO_COMPLETE
from app.store.repositories import Repositories

HOUR = 3600 * 1000
DAY = 24 * HOUR
BUYERS = 40
MAX_ORDERS = 600
CARRIERS = ("DHL", "FedEx", "UPS", "SF Express", "Maersk")
S = OrderStatus
# The path every demo order walks until it stops at its status (CANCELLED branches off early).
PATH = (S.PENDING_CONFIRMATION, S.CONFIRMED, S.IN_PRODUCTION, S.SHIPPED, S.DELIVERED, S.COMPLETED)
TRACK = (
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.CUSTOMS,
    ShipmentStatus.OUT_FOR_DELIVERY,
    ShipmentStatus.DELIVERED,
)


def _timeline(rng: random.Random, final: OrderStatus, start: int, now: int) -> list[TimelineEntry]:
    steps = (
        [S.PENDING_CONFIRMATION, S.CANCELLED] if final is S.CANCELLED else list(PATH[: PATH.index(final) + 1])
    )
    moments = [start]
    for _ in steps[1:]:
        moments.append(moments[-1] + rng.randint(6, 72) * HOUR)
    late = max(0, moments[-1] - now + HOUR)  # keep the whole story in the past
    return [TimelineEntry(status, at - late) for status, at in zip(steps, moments, strict=True)]


def _shipment(
    rng: random.Random, order: Order, shipped_at: int, delivered_at: int | None, now: int
) -> Shipment:
    carrier = rng.choice(CARRIERS)
    end = delivered_at if delivered_at is not None else min(now, shipped_at + 4 * DAY)
    statuses = TRACK if delivered_at is not None else TRACK[: rng.randint(0, 2)]
    moments = sorted(rng.randint(shipped_at, end) for _ in statuses)
    if delivered_at is not None:
        moments[-1] = delivered_at
    events = [
        TrackingEvent(s, s.value.replace("_", " ").capitalize(), "Shenzhen, CN" if i == 0 else None, at)
        for i, (s, at) in enumerate(zip(statuses, moments, strict=True))
    ]
    events.reverse()
    return Shipment(
        key=f"{order.key}-1",
        order_key=order.key,
        carrier=carrier,
        tracking_number=f"{carrier[:2].upper()}{rng.randint(10**9, 10**10 - 1)}",
        status=events[0].status if events else ShipmentStatus.INFO_RECEIVED,
        created_at=shipped_at,
        lane=lane_of(order.origin_country, order.shipping_address.country, carrier),
        estimated_delivery=None if delivered_at is not None else shipped_at + rng.randint(6, 14) * DAY,
        events=tuple(events),
        delivered_at=delivered_at,
    )


def _order(
    rng: random.Random, index: int, product: Product, origin: str | None, rates: dict[str, Decimal], now: int
) -> Order:
    final = rng.choice([*PATH, S.CANCELLED, S.SHIPPED])
    start = now - rng.randint(2, 60) * DAY
    timeline = _timeline(rng, final, start, now)
    quantity = product.moq * rng.randint(1, 6)
    pricing = price(product, quantity, "USD", rates)
    delivered = next((t.at for t in timeline if t.status is S.DELIVERED), None)
    if final is S.DELIVERED and delivered is not None and delivered + AUTO_COMPLETE_MS <= now:
        # What the worker would have done by now: completed 14 days after delivery.
        final = S.COMPLETED
        timeline.append(TimelineEntry(S.COMPLETED, delivered + AUTO_COMPLETE_MS))
    return Order(
        key=f"demo-order-{index}",
        number=f"PO-DEMO-{index:06d}",
        buyer_key=f"demo-buyer-{index % BUYERS}",
        supplier_key=product.supplier_key,
        vertical_key=product.vertical_key,
        status=final,
        currency="USD",
        total=pricing.total,
        lines=(OrderLine(product.key, dict(product.titles), quantity, pricing.unit_price),),
        trade_assurance=product.trade_assurance,
        shipping_address=Address(f"Buyer {index % BUYERS}", f"{index} Harbour Road", "Rotterdam", "NL"),
        origin_country=origin,
        created_at=timeline[0].at,
        updated_at=timeline[-1].at,
        timeline=tuple(timeline),
        delivered_at=delivered,
    )


async def seed_orders(
    repos: Repositories, rng: random.Random, products: int, now: int, progress: Progress
) -> int:
    """A few hundred orders over the first products: fast at any catalog size."""
    wanted = min(MAX_ORDERS, products // 5)
    sample: list[Product] = []
    async for batch in repos.products.batches(max(wanted, 1)):
        sample = [p for p in batch if p.tiers]
        break
    if not sample or wanted == 0 or await repos.orders.get("demo-order-0") is not None:
        return 0
    suppliers = {
        s.key: s for s in await repos.suppliers.get_many(list({p.supplier_key for p in sample})) if s
    }
    rates = await repos.rates.current()
    task = progress.add_task("orders", total=wanted)
    orders: list[Order] = []
    shipments: list[Shipment] = []
    for index in range(wanted):
        product = rng.choice(sample)
        supplier = suppliers.get(product.supplier_key)
        order = _order(rng, index, product, supplier.country if supplier else None, rates, now)
        shipped = next((t.at for t in order.timeline if t.status is S.SHIPPED), None)
        if shipped is not None:
            shipments.append(_shipment(rng, order, shipped, order.delivered_at, now))
        if order.status is S.DELIVERED and order.delivered_at is not None:
            await repos.outbox.add(
                AUTO_COMPLETE, {"order": order.key}, now, order.delivered_at + AUTO_COMPLETE_MS
            )
        orders.append(order)
        progress.advance(task)
    await repos.orders.insert_many(orders)
    await repos.shipments.insert_many(shipments)
    progress.remove_task(task)
    return wanted
