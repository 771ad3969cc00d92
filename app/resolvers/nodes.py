"""`node` and `nodes`: every Node type by its global id, under the same visibility as its own field."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import strawberry

from app.context import Info
from app.domain.ids import InvalidGlobalId, from_global_id
from app.resolvers.articles import article_node
from app.resolvers.inquiries import inquiry_message_node, inquiry_node
from app.resolvers.notifications import notification_node
from app.resolvers.orders import order_node, shipment_node
from app.resolvers.products import product_node
from app.resolvers.suppliers import supplier_node
from app.resolvers.verticals import vertical_node
from app.schema.base import Node
from app.schema.errors import bad_input

MAX_NODES = 100

NodeResolver = Callable[[Info, str], Awaitable[Node | None]]

NODE_RESOLVERS: dict[str, NodeResolver] = {
    "Vertical": vertical_node,
    "Article": article_node,
    "Product": product_node,
    "Supplier": supplier_node,
    "Order": order_node,
    "Shipment": shipment_node,
    "Inquiry": inquiry_node,
    "InquiryMessage": inquiry_message_node,
    "Notification": notification_node,
}


async def resolve_node(info: Info, global_id: str) -> Node | None:
    try:
        type_name, key = from_global_id(global_id)
    except InvalidGlobalId:
        return None
    resolver = NODE_RESOLVERS.get(type_name)
    return await resolver(info, key) if resolver is not None else None


@strawberry.type
class NodeQuery:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)

    @strawberry.field
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise bad_input(f"nodes takes at most {MAX_NODES} ids; got {len(ids)}.")
        return list(await asyncio.gather(*(resolve_node(info, i) for i in ids)))
