"""Carrier tracking: one accepted webhook delivery merged into every shipment it names, and its roll-up."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from app.domain.notifications import NotificationKind
from app.domain.orders import Order, OrderStatus, Via
from app.domain.shipments import (
    PUSHED_STATUSES,
    Shipment,
    ShipmentStatus,
    TrackingDelivery,
    all_delivered,
    merge,
)
from app.services.orders import OrderService
from app.services.transactions import OutboxRecorder, TransactionRunner
from app.store.repositories import Repositories


@dataclass(frozen=True)
class TrackingResult:
    matched: int
    """Shipments with that carrier and tracking number (0: the webhook answers 404)."""
    added: int
    """Events that were new to them."""


class TrackingService:
    def __init__(self, repos: Repositories, transactions: TransactionRunner) -> None:
        self._repos = repos
        self._transactions = transactions
        self._orders = OrderService(repos, transactions)
        self._notices = self._orders.notices

    async def ingest(self, delivery: TrackingDelivery, raw_body: str) -> TrackingResult:
        """All matching shipments (consolidated cargo may share a number) change in one transaction."""

        async def write(outbox: OutboxRecorder) -> TrackingResult:
            # Read inside the transaction: deliveries of one parcel at once are merged one after another.
            shipments = await self._repos.shipments.by_tracking(delivery.carrier, delivery.tracking_number)
            added = 0
            for shipment in shipments:
                added += await self._update(outbox, shipment, delivery)
            if shipments:
                await self._repos.tracking_log.add(
                    f"{outbox.now:013d}-{secrets.token_hex(6)}",
                    delivery.carrier,
                    delivery.tracking_number,
                    raw_body,
                    outbox.now,
                )
            return TrackingResult(len(shipments), added)

        return await self._transactions.run(write)

    async def _update(self, outbox: OutboxRecorder, shipment: Shipment, delivery: TrackingDelivery) -> int:
        merged = merge(shipment, delivery)
        if not merged.added and not merged.eta_changed:
            return 0
        updated = merged.shipment
        await self._repos.shipments.save(updated)
        order = await self._repos.orders.get(updated.order_key)
        if order is None:
            return merged.added
        if updated.delivered_at is not None and shipment.delivered_at is None:
            await self._repos.lanes.record(updated.lane, max(0, updated.delivered_at - updated.created_at))
        delivers_order = await self._delivers_order(order, updated)
        if merged.status_changed:
            # When this parcel delivers the whole order, the order's DELIVERED push (same group) is
            # the one the device keeps: the shipment's own push is left out rather than raced.
            push = updated.status in PUSHED_STATUSES and not delivers_order
            kind = NotificationKind.SHIPMENT_UPDATE
            await self._notices.tell(outbox, order, kind, "buyer", updated.status.value, push)
        if delivers_order:
            await self._orders.move_within(outbox, order, OrderStatus.DELIVERED, Via.CARRIER, None, ())
        else:
            await self._notices.publish(outbox, order)
        return merged.added

    async def _delivers_order(self, order: Order, updated: Shipment) -> bool:
        if updated.status is not ShipmentStatus.DELIVERED or order.status is not OrderStatus.SHIPPED:
            return False
        siblings = (await self._repos.shipments.of_orders([order.key]))[0]
        return all_delivered([updated if s.key == updated.key else s for s in siblings])
