"""Orders: order(id), the viewer's orders, the order mutations, orderUpdated, and Order/Shipment nodes."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from app.context import Info
from app.domain.ids import key_of
from app.domain.orders import can_read
from app.loaders import Loaders
from app.schema.base import Node, user_errors
from app.schema.errors import not_found_error
from app.schema.orders import (
    AddShipmentInput,
    CancelOrderInput,
    Order,
    OrderPayload,
    PlaceOrderInput,
    Shipment,
    UpdateOrderStatusInput,
)
from app.services.orders import OrderResult, channel


def payload(result: OrderResult) -> OrderPayload:
    order = Order.maybe(result.order) if not result.violations else None
    return OrderPayload(order=order, user_errors=user_errors(result.violations))


async def order_node(info: Info, key: str) -> Node | None:
    order = await info.context.loaders.order_by_key.load(key)
    return Order.from_domain(order) if order is not None and can_read(info.context.viewer, order) else None


async def shipment_node(info: Info, key: str) -> Node | None:
    """A shipment is visible exactly when its order is."""
    found = (await info.context.ports.repos.shipments.get_many([key]))[0]
    if found is None:
        return None
    order = await info.context.loaders.order_by_key.load(found.order_key)
    return Shipment.from_domain(found) if order is not None and can_read(info.context.viewer, order) else None


@strawberry.type
class OrderQuery:
    @strawberry.field
    async def order(self, info: Info, id: strawberry.ID) -> Order | None:
        info.context.require_viewer()
        key = key_of(id, "Order")
        return await order_node(info, key) if key is not None else None  # type: ignore[return-value]


@strawberry.type
class OrderMutation:
    @strawberry.mutation
    async def place_order(self, info: Info, input: PlaceOrderInput) -> OrderPayload:
        viewer = info.context.require_viewer()
        command = input.to_command(info.context.currency)
        return payload(await info.context.services.orders.place(viewer, command))

    @strawberry.mutation
    async def cancel_order(self, info: Info, input: CancelOrderInput) -> OrderPayload:
        viewer = info.context.require_viewer()
        key = key_of(input.order_id, "Order")
        return payload(await info.context.services.orders.cancel(viewer, key, input.reason))

    @strawberry.mutation
    async def confirm_receipt(self, info: Info, order_id: strawberry.ID) -> OrderPayload:
        viewer = info.context.require_viewer()
        key = key_of(order_id, "Order")
        return payload(await info.context.services.orders.confirm_receipt(viewer, key))

    @strawberry.mutation
    async def update_order_status(self, info: Info, input: UpdateOrderStatusInput) -> OrderPayload:
        viewer = info.context.require_viewer()
        key = key_of(input.order_id, "Order")
        return payload(
            await info.context.services.orders.update_status(viewer, key, input.status, input.note)
        )

    @strawberry.mutation
    async def add_shipment(self, info: Info, input: AddShipmentInput) -> OrderPayload:
        viewer = info.context.require_viewer()
        return payload(await info.context.services.shipments.add(viewer, input.to_command()))


@strawberry.type
class OrderSubscription:
    @strawberry.subscription
    async def order_updated(self, info: Info, id: strawberry.ID) -> AsyncGenerator[Order, None]:
        """Checked before anything is yielded: someone else's or a missing order is NOT_FOUND."""
        viewer = info.context.require_viewer()
        key = key_of(id, "Order")
        order = await info.context.ports.repos.orders.get(key) if key is not None else None
        if order is None or not can_read(viewer, order):
            raise not_found_error("No such order.")
        return follow_order(info, order.key)


async def follow_order(info: Info, key: str) -> AsyncGenerator[Order, None]:
    async with info.context.ports.broker.subscribe(channel(key)) as messages:
        async for _ in messages:
            # Fresh loaders per event: the subscription's context lives as long as the socket.
            info.context.loaders = Loaders(info.context.ports.repos)
            order = await info.context.ports.repos.orders.get(key)
            if order is not None:
                yield Order.from_domain(order)
