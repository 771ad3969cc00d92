"""Order use cases: placing (idempotent), moving through the state machine, and who hears of each change."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.domain.accounts import Account, Role
from app.domain.countries import is_country
from app.domain.errors import Violation, forbidden, not_found
from app.domain.idempotency import Claim, Conflict, Replay, check_key, fingerprint
from app.domain.notifications import NOTIFY, NotificationKind, NotifyRequest
from app.domain.orders import (
    AUTO_COMPLETE_MS,
    PUSHED_STATUSES,
    Address,
    Order,
    OrderLine,
    OrderStatus,
    TimelineEntry,
    Via,
    can_read,
    check_address,
    check_expected_total,
    check_place,
    move,
    new_order_number,
    other_side,
    price,
)
from app.domain.products import Product
from app.services.transactions import OutboxRecorder, TransactionRunner, now_ms
from app.store.port import DuplicateKeyError, WriteConflict
from app.store.repositories import Repositories

AUTO_COMPLETE = "order.auto_complete"
"""Outbox kind: the worker completes a delivered order 14 days later (payload {"order": key})."""
PLACE_SCOPE = "placeOrder"
NUMBER_ATTEMPTS = 3


@dataclass(frozen=True)
class PlaceCommand:
    product_key: str | None
    quantity: int
    expected_total: Decimal | None
    address: Address
    idempotency_key: str
    note: str | None
    currency: str

    def fingerprint(self) -> str:
        expected = str(self.expected_total) if self.expected_total is not None else None
        address = {name: getattr(self.address, name) for name in self.address.__dataclass_fields__}
        wanted = {
            "product": self.product_key,
            "quantity": self.quantity,
            "expected": expected,
            "note": self.note,
        }
        return fingerprint({**wanted, "address": address})


@dataclass(frozen=True)
class OrderResult:
    order: Order | None
    violations: Sequence[Violation]


def failed(*violations: Violation) -> OrderResult:
    return OrderResult(None, list(violations))


def channel(order_key: str) -> str:
    """The broker channel of `orderUpdated`; its messages are the order's key."""
    return f"order:{order_key}"


class ConcurrentChange(WriteConflict):
    """The order changed between reading it and saving the move: as after any write conflict, the
    transaction is rolled back and `TransactionRunner.run` runs it again from its first read."""


class OrderNotices:
    """What a change records in its transaction: the subscription event and the notifications."""

    def __init__(self, repos: Repositories) -> None:
        self._repos = repos

    async def publish(self, outbox: OutboxRecorder, order: Order) -> None:
        await outbox.add("broker.publish", {"channel": channel(order.key), "message": order.key})

    async def tell(
        self, outbox: OutboxRecorder, order: Order, kind: NotificationKind, side: str, status: str, push: bool
    ) -> None:
        """Notifies one side of the order; the group is the order's, so a later push replaces an earlier."""
        if side == "buyer":
            recipients: list[str] = [order.buyer_key]
            supplier = (await self._repos.suppliers.get_many([order.supplier_key]))[0]
            params = {"party": supplier.name if supplier is not None else ""}
        else:
            recipients = await self._repos.accounts.supplier_user_keys(order.supplier_key)
            buyer = (await self._repos.accounts.get_many([order.buyer_key]))[0]
            if buyer is not None and buyer.display_name:
                params = {"party": buyer.display_name}
            else:
                # A buyer without a name (or deleted) is "Buyer from COUNTRY" in the templates.
                params = {"party_country": (buyer.country if buyer is not None else None) or ""}
        if not recipients:
            return
        request = NotifyRequest(
            kind=kind,
            recipients=recipients,
            target_type="Order",
            target_key=order.key,
            group=channel(order.key),
            params={**params, "number": order.number, "status": status},
            push=push,
        )
        await outbox.add(NOTIFY, request.to_payload())

    async def moved(self, outbox: OutboxRecorder, order: Order, via: Via) -> None:
        side = other_side(via)
        push = side == "buyer" and order.status in PUSHED_STATUSES
        await self.publish(outbox, order)
        await self.tell(outbox, order, NotificationKind.ORDER_UPDATE, side, order.status.value, push)
        if order.status is OrderStatus.DELIVERED and order.delivered_at is not None:
            due = order.delivered_at + AUTO_COMPLETE_MS
            await outbox.add(AUTO_COMPLETE, {"order": order.key}, available_at=due)


class OrderService:
    def __init__(self, repos: Repositories, transactions: TransactionRunner) -> None:
        self._repos = repos
        self._transactions = transactions
        self.notices = OrderNotices(repos)

    async def visible(
        self, viewer: Account, order_key: str | None, field: Sequence[str]
    ) -> Order | Violation:
        """The order if the viewer may act on it; someone else's reads exactly like a missing one."""
        order = await self._repos.orders.get(order_key) if order_key is not None else None
        if order is None or not can_read(viewer, order):
            return not_found(field, "That order")
        return order

    async def place(self, buyer: Account, command: PlaceCommand) -> OrderResult:
        if buyer.role is not Role.BUYER:
            return failed(forbidden("Only buyers place orders."))
        if bad_key := check_key(command.idempotency_key):
            return failed(*bad_key)
        claim = await self._repos.idempotency.claim(
            buyer.key, PLACE_SCOPE, command.idempotency_key, command.fingerprint()
        )
        if isinstance(claim, Conflict):
            return failed(claim.violation)
        if isinstance(claim, Replay):
            return OrderResult(await self._repos.orders.get(claim.result["order"]), [])
        async with self._repos.idempotency.guarded(claim):
            return await self._place(buyer, command, claim)

    async def _place(self, buyer: Account, command: PlaceCommand, claim: Claim) -> OrderResult:
        product, violations = await self._orderable(command)
        if product is None or violations:
            return failed(*violations)
        rates = await self._repos.rates.current()
        pricing = price(product, command.quantity, command.currency, rates)
        if conflict := check_expected_total(command.expected_total, pricing):
            return failed(*conflict)
        supplier = (await self._repos.suppliers.get_many([product.supplier_key]))[0]
        origin = supplier.country if supplier is not None else None
        line = OrderLine(product.key, dict(product.titles), command.quantity, pricing.unit_price)

        async def write(outbox: OutboxRecorder) -> Order:
            order = self._new_order(buyer, product, line, pricing.total, command, origin, outbox.now)
            await self._repos.orders.insert(order)
            kind = NotificationKind.NEW_ORDER
            await self.notices.tell(outbox, order, kind, "supplier", order.status.value, True)
            await self._repos.idempotency.complete(claim, {"order": order.key}, outbox.now)
            return order

        for attempt in range(NUMBER_ATTEMPTS):
            try:
                return OrderResult(await self._transactions.run(write), [])
            except DuplicateKeyError:
                # Two orders drew the same random number: rare, and the unique index caught it.
                if attempt + 1 == NUMBER_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    async def _orderable(self, command: PlaceCommand) -> tuple[Product | None, list[Violation]]:
        found = await self._repos.products.get_many([command.product_key]) if command.product_key else [None]
        product = found[0]
        if product is None:
            return None, [not_found(("input", "productId"), "That product")]
        violations = check_place(product, command.quantity, command.note)
        violations += check_address(command.address, is_country(command.address.country))
        return product, violations

    @staticmethod
    def _new_order(
        buyer: Account,
        product: Product,
        line: OrderLine,
        total: int,
        command: PlaceCommand,
        origin: str | None,
        now: int,
    ) -> Order:
        return Order(
            key=secrets.token_hex(8),
            number=new_order_number(now),
            buyer_key=buyer.key,
            supplier_key=product.supplier_key,
            vertical_key=product.vertical_key,
            status=OrderStatus.PENDING_CONFIRMATION,
            currency=command.currency,
            total=total,
            lines=(line,),
            trade_assurance=product.trade_assurance,
            shipping_address=command.address,
            origin_country=origin,
            created_at=now,
            updated_at=now,
            timeline=(TimelineEntry(OrderStatus.PENDING_CONFIRMATION, now, command.note),),
        )

    async def update_status(
        self, supplier: Account, order_key: str | None, to: OrderStatus, note: str | None
    ) -> OrderResult:
        if supplier.role is not Role.SUPPLIER:
            return failed(forbidden("Only the supplier updates an order's status."))
        return await self._change(supplier, order_key, ("input", "orderId"), to, Via.SUPPLIER_UPDATE, note)

    async def cancel(self, buyer: Account, order_key: str | None, reason: str | None) -> OrderResult:
        if buyer.role is not Role.BUYER:
            return failed(
                forbidden("Only the buyer cancels with cancelOrder; suppliers use updateOrderStatus.")
            )
        field = ("input", "orderId")
        return await self._change(buyer, order_key, field, OrderStatus.CANCELLED, Via.BUYER_CANCEL, reason)

    async def confirm_receipt(self, buyer: Account, order_key: str | None) -> OrderResult:
        if buyer.role is not Role.BUYER:
            return failed(forbidden("Only the buyer confirms receipt."))
        return await self._change(
            buyer, order_key, ("orderId",), OrderStatus.COMPLETED, Via.BUYER_CONFIRM, None
        )

    async def auto_complete(self, order_key: str) -> None:
        """The worker's move, 14 days after delivery; a re-run or an order completed meanwhile is a no-op."""
        order = await self._repos.orders.get(order_key)
        if order is None or order.status is not OrderStatus.DELIVERED or order.delivered_at is None:
            return
        if now_ms() < order.delivered_at + AUTO_COMPLETE_MS:
            return
        await self.apply(order, OrderStatus.COMPLETED, Via.WORKER, None, ())

    async def _change(
        self,
        viewer: Account,
        order_key: str | None,
        id_field: Sequence[str],
        to: OrderStatus,
        via: Via,
        note: str | None,
    ) -> OrderResult:
        found = await self.visible(viewer, order_key, id_field)
        if isinstance(found, Violation):
            return failed(found)
        field = ("input", "status") if via is Via.SUPPLIER_UPDATE else id_field
        return await self.apply(found, to, via, note, field)

    async def apply(
        self, order: Order, to: OrderStatus, via: Via, note: str | None, field: Sequence[str]
    ) -> OrderResult:
        """One move in its own transaction, decided on the order as it is there: a concurrent move
        makes it re-read and decide again (the second of two cancels finds it cancelled)."""

        async def write(outbox: OutboxRecorder) -> Order | Violation:
            current = await self._repos.orders.get(order.key)
            if current is None:
                return not_found(field, "That order")
            return await self.move_within(outbox, current, to, via, note, field)

        moved = await self._transactions.run(write)
        if isinstance(moved, Violation):
            return failed(moved)
        return OrderResult(moved, [])

    async def move_within(
        self,
        outbox: OutboxRecorder,
        order: Order,
        to: OrderStatus,
        via: Via,
        note: str | None,
        field: Sequence[str],
    ) -> Order | Violation:
        """Inside the caller's transaction: the move, its save, and its notices; raises ConcurrentChange."""
        planned = move(order, to, via, outbox.now, note, field)
        if isinstance(planned, Violation) or not planned.changed:
            return planned if isinstance(planned, Violation) else order
        if not await self._repos.orders.replace(planned.order, order.status, order.updated_at):
            raise ConcurrentChange(order.key)
        await self.notices.moved(outbox, planned.order, via)
        return planned.order
