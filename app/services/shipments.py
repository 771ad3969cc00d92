"""addShipment: the supplier hands an order to a carrier (idempotent; the first shipment ships the order)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from app.domain.accounts import Account, Role
from app.domain.errors import Violation, forbidden, invalid
from app.domain.idempotency import Claim, Conflict, Replay, check_key, fingerprint
from app.domain.orders import SHIPPABLE, Order, OrderStatus, Via
from app.domain.shipments import (
    MAX_CARRIER,
    MAX_TRACKING_NUMBER,
    Shipment,
    ShipmentStatus,
    carrier_key,
    lane_of,
)
from app.services.orders import OrderResult, OrderService, failed
from app.services.transactions import OutboxRecorder, TransactionRunner
from app.store.repositories import Repositories

SCOPE = "addShipment"


@dataclass(frozen=True)
class ShipmentCommand:
    order_key: str | None
    carrier: str
    tracking_number: str
    estimated_delivery: int | None
    idempotency_key: str

    def fingerprint(self) -> str:
        return fingerprint(
            {
                "order": self.order_key,
                "carrier": self.carrier,
                "number": self.tracking_number,
                "eta": self.estimated_delivery,
            }
        )


def check_shipment(command: ShipmentCommand, order: Order) -> list[Violation]:
    if order.status not in SHIPPABLE:
        message = f"An order that is {order.status.value} cannot get a shipment; confirm it first."
        return [invalid(("input", "orderId"), message)]
    carrier, number = command.carrier.strip(), command.tracking_number.strip()
    if not carrier or len(carrier) > MAX_CARRIER:
        return [invalid(("input", "carrier"), f"Name the carrier in 1 to {MAX_CARRIER} characters.")]
    if not number or len(number) > MAX_TRACKING_NUMBER:
        return [
            invalid(
                ("input", "trackingNumber"), f"A tracking number has 1 to {MAX_TRACKING_NUMBER} characters."
            )
        ]
    return []


class ShipmentService:
    def __init__(self, repos: Repositories, transactions: TransactionRunner) -> None:
        self._repos = repos
        self._transactions = transactions
        self._orders = OrderService(repos, transactions)
        self._notices = self._orders.notices

    async def add(self, supplier: Account, command: ShipmentCommand) -> OrderResult:
        if supplier.role is not Role.SUPPLIER:
            return failed(forbidden("Only the supplier adds shipments."))
        if bad_key := check_key(command.idempotency_key):
            return failed(*bad_key)
        claim = await self._repos.idempotency.claim(
            supplier.key, SCOPE, command.idempotency_key, command.fingerprint()
        )
        if isinstance(claim, Conflict):
            return failed(claim.violation)
        if isinstance(claim, Replay):
            return OrderResult(await self._repos.orders.get(claim.result["order"]), [])
        async with self._repos.idempotency.guarded(claim):
            return await self._add(supplier, command, claim)

    async def _add(self, supplier: Account, command: ShipmentCommand, claim: Claim) -> OrderResult:
        async def write(outbox: OutboxRecorder) -> OrderResult:
            # The order and its parcels as they are inside the transaction: after a concurrent move (two
            # first parcels at once both ship the order) this runs again and decides on what it left.
            found = await self._orders.visible(supplier, command.order_key, ("input", "orderId"))
            if isinstance(found, Violation):
                return failed(found)
            known = (await self._repos.shipments.of_orders([found.key]))[0]
            same_parcel = any(
                carrier_key(s.carrier) == carrier_key(command.carrier)
                and s.tracking_number == command.tracking_number.strip()
                for s in known
            )
            order = found
            if not same_parcel:
                if violations := check_shipment(command, found):
                    return failed(*violations)
                order = await self._ship(outbox, found, command)
            await self._repos.idempotency.complete(claim, {"order": order.key}, outbox.now)
            return OrderResult(order, [])

        return await self._transactions.run(write)

    async def _ship(self, outbox: OutboxRecorder, order: Order, command: ShipmentCommand) -> Order:
        shipment = Shipment(
            key=secrets.token_hex(8),
            order_key=order.key,
            carrier=command.carrier.strip(),
            tracking_number=command.tracking_number.strip(),
            status=ShipmentStatus.INFO_RECEIVED,
            created_at=outbox.now,
            lane=lane_of(order.origin_country, order.shipping_address.country, command.carrier),
            estimated_delivery=command.estimated_delivery,
        )
        await self._repos.shipments.insert(shipment)
        if order.status is OrderStatus.SHIPPED:
            await self._notices.publish(outbox, order)
            return order
        field = ("input", "orderId")
        moved = await self._orders.move_within(
            outbox, order, OrderStatus.SHIPPED, Via.SUPPLIER_SHIPMENT, None, field
        )
        if isinstance(moved, Violation):
            raise AssertionError(f"checked move failed: {moved.message}")
        return moved
