"""Order, shipment, lane and tracking-log repositories: the orders domain's collections."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.domain.orders import Address, Order, OrderLine, OrderStatus, TimelineEntry
from app.domain.shipments import LANE_SAMPLES, Shipment, ShipmentStatus, TrackingEvent, carrier_key
from app.store.port import Collection, Database, Document


def order_from_doc(doc: Document) -> Order:
    return Order(
        key=doc["_id"],
        number=doc["number"],
        buyer_key=doc["buyer_key"],
        supplier_key=doc["supplier_key"],
        vertical_key=doc.get("vertical_key"),
        status=OrderStatus(doc["status"]),
        currency=doc["currency"],
        total=doc["total"],
        lines=tuple(
            OrderLine(line["product_key"], line["titles"], line["quantity"], line["unit_price"])
            for line in doc["lines"]
        ),
        trade_assurance=doc["trade_assurance"],
        shipping_address=Address(**doc["shipping_address"]),
        origin_country=doc.get("origin_country"),
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
        timeline=tuple(
            TimelineEntry(OrderStatus(t["status"]), t["at"], t.get("note")) for t in doc["timeline"]
        ),
        delivered_at=doc.get("delivered_at"),
    )


def order_to_doc(order: Order) -> Document:
    address = order.shipping_address
    return {
        "_id": order.key,
        "number": order.number,
        "buyer_key": order.buyer_key,
        "supplier_key": order.supplier_key,
        "vertical_key": order.vertical_key,
        "status": order.status.value,
        "currency": order.currency,
        "total": order.total,
        "lines": [
            {
                "product_key": x.product_key,
                "titles": dict(x.titles),
                "quantity": x.quantity,
                "unit_price": x.unit_price,
            }
            for x in order.lines
        ],
        "trade_assurance": order.trade_assurance,
        "shipping_address": {name: getattr(address, name) for name in address.__dataclass_fields__},
        "origin_country": order.origin_country,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "timeline": [{"status": t.status.value, "at": t.at, "note": t.note} for t in order.timeline],
        "delivered_at": order.delivered_at,
    }


def _keyset_after(after: Sequence[Any] | None) -> dict[str, Any]:
    if after is None:
        return {}
    created_at, key = after
    return {"$or": [{"created_at": {"$lt": created_at}}, {"created_at": created_at, "_id": {"$lt": key}}]}


class OrderRepository:
    def __init__(self, database: Database) -> None:
        self._orders: Collection = database.collection("orders")

    async def ensure_indexes(self) -> None:
        await self._orders.create_index([("number", 1)], unique=True)
        await self._orders.create_index([("buyer_key", 1), ("created_at", -1), ("_id", -1)])
        await self._orders.create_index([("buyer_key", 1), ("status", 1), ("created_at", -1), ("_id", -1)])
        await self._orders.create_index([("supplier_key", 1), ("created_at", -1), ("_id", -1)])
        await self._orders.create_index([("supplier_key", 1), ("status", 1), ("created_at", -1), ("_id", -1)])

    async def get(self, key: str) -> Order | None:
        doc = await self._orders.find_one({"_id": key})
        return order_from_doc(doc) if doc else None

    async def get_many(self, keys: Sequence[str]) -> list[Order | None]:
        found = {d["_id"]: d async for d in self._orders.find({"_id": {"$in": list(keys)}})}
        return [order_from_doc(found[k]) if k in found else None for k in keys]

    async def insert(self, order: Order) -> None:
        await self._orders.insert_one(order_to_doc(order))

    async def insert_many(self, orders: Sequence[Order]) -> None:
        """Bulk load (the demo seed)."""
        if orders:
            await self._orders.insert_many([order_to_doc(o) for o in orders])

    async def replace(self, order: Order, expected_status: OrderStatus, expected_updated_at: int) -> bool:
        """Saves a move only if nobody moved the order since it was read (compare-and-set)."""
        doc = order_to_doc(order)
        query = {"_id": order.key, "status": expected_status.value, "updated_at": expected_updated_at}
        fields = {k: v for k, v in doc.items() if k != "_id"}
        return await self._orders.update_one(query, {"$set": fields}) == 1

    async def page(
        self,
        owner_field: str,
        owner_key: str,
        status: OrderStatus | None,
        after: Sequence[Any] | None,
        limit: int,
    ) -> list[Order]:
        """Newest first by (created_at, key); `owner_field` is "buyer_key" or "supplier_key"."""
        query: dict[str, Any] = {owner_field: owner_key, **_keyset_after(after)}
        if status is not None:
            query["status"] = status.value
        if limit <= 0:
            return []
        cursor = self._orders.find(query, sort=[("created_at", -1), ("_id", -1)], limit=limit)
        return [order_from_doc(d) async for d in cursor]


def shipment_from_doc(doc: Document) -> Shipment:
    return Shipment(
        key=doc["_id"],
        order_key=doc["order_key"],
        carrier=doc["carrier"],
        tracking_number=doc["tracking_number"],
        status=ShipmentStatus(doc["status"]),
        created_at=doc["created_at"],
        lane=doc["lane"],
        estimated_delivery=doc.get("estimated_delivery"),
        events=tuple(
            TrackingEvent(ShipmentStatus(e["status"]), e["description"], e.get("location"), e["occurred_at"])
            for e in doc["events"]
        ),
        delivered_at=doc.get("delivered_at"),
    )


def shipment_to_doc(shipment: Shipment) -> Document:
    return {
        "_id": shipment.key,
        "order_key": shipment.order_key,
        "carrier": shipment.carrier,
        "carrier_key": carrier_key(shipment.carrier),
        "tracking_number": shipment.tracking_number,
        "status": shipment.status.value,
        "created_at": shipment.created_at,
        "lane": shipment.lane,
        "estimated_delivery": shipment.estimated_delivery,
        "events": [
            {
                "status": e.status.value,
                "description": e.description,
                "location": e.location,
                "occurred_at": e.occurred_at,
            }
            for e in shipment.events
        ],
        "delivered_at": shipment.delivered_at,
    }


class ShipmentRepository:
    def __init__(self, database: Database) -> None:
        self._shipments: Collection = database.collection("shipments")

    async def ensure_indexes(self) -> None:
        await self._shipments.create_index([("order_key", 1), ("created_at", 1)])
        await self._shipments.create_index([("carrier_key", 1), ("tracking_number", 1)])

    async def get_many(self, keys: Sequence[str]) -> list[Shipment | None]:
        found = {d["_id"]: d async for d in self._shipments.find({"_id": {"$in": list(keys)}})}
        return [shipment_from_doc(found[k]) if k in found else None for k in keys]

    async def of_orders(self, order_keys: Sequence[str]) -> list[list[Shipment]]:
        """Each order's shipments, oldest first, in the orders' order (one round trip)."""
        by_order: dict[str, list[Shipment]] = {k: [] for k in order_keys}
        query = {"order_key": {"$in": list(order_keys)}}
        async for doc in self._shipments.find(query, sort=[("created_at", 1), ("_id", 1)]):
            by_order[doc["order_key"]].append(shipment_from_doc(doc))
        return [by_order[k] for k in order_keys]

    async def by_tracking(self, carrier: str, tracking_number: str) -> list[Shipment]:
        query = {"carrier_key": carrier_key(carrier), "tracking_number": tracking_number}
        return [shipment_from_doc(d) async for d in self._shipments.find(query, sort=[("_id", 1)])]

    async def insert(self, shipment: Shipment) -> None:
        await self._shipments.insert_one(shipment_to_doc(shipment))

    async def insert_many(self, shipments: Sequence[Shipment]) -> None:
        if shipments:
            await self._shipments.insert_many([shipment_to_doc(s) for s in shipments])

    async def save(self, shipment: Shipment) -> None:
        doc = shipment_to_doc(shipment)
        await self._shipments.update_one(
            {"_id": shipment.key}, {"$set": {k: v for k, v in doc.items() if k != "_id"}}
        )


class LaneRepository:
    """Recent transit times per lane (origin, destination, carrier), for estimates without a carrier's."""

    def __init__(self, database: Database) -> None:
        self._lanes: Collection = database.collection("shipping_lanes")

    async def ensure_indexes(self) -> None:
        return None

    async def record(self, lane: str, transit_ms: int) -> None:
        """Called once per shipment, in the transaction that first marks it delivered."""
        update = {"$push": {"transit": {"$each": [transit_ms], "$slice": -LANE_SAMPLES}}}
        await self._lanes.update_one({"_id": lane}, update, upsert=True)

    async def get_many(self, lanes: Sequence[str]) -> list[list[int]]:
        found = {
            d["_id"]: d.get("transit", []) async for d in self._lanes.find({"_id": {"$in": list(lanes)}})
        }
        return [list(found.get(lane, [])) for lane in lanes]


class TrackingLog:
    """The raw body of every accepted carrier call, kept for audit and disputes."""

    def __init__(self, database: Database) -> None:
        self._log: Collection = database.collection("tracking_deliveries")

    async def ensure_indexes(self) -> None:
        await self._log.create_index([("carrier_key", 1), ("tracking_number", 1), ("received_at", -1)])

    async def add(self, key: str, carrier: str, tracking_number: str, body: str, received_at: int) -> None:
        doc = {
            "_id": key,
            "carrier_key": carrier_key(carrier),
            "tracking_number": tracking_number,
            "body": body,
            "received_at": received_at,
        }
        await self._log.insert_one(doc)
