"""Helpers of the order suites: a fresh supplier and product per test, orders moved along, signed webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.domain.ids import to_global_id
from app.store.products import product_from_doc
from app.store.suppliers import supplier_from_doc
from tests.api.harness import Api, _on_server, next_seq, unique

ADDRESS = {
    "name": "Ana Ruiz",
    "line1": "Calle Mayor 1",
    "city": "Madrid",
    "postalCode": "28013",
    "country": "ES",
    "phone": "+34 600 000 000",
}


@dataclass(frozen=True)
class Listing:
    """A product of its own supplier (copied from the seeded catalog), so tests never share suppliers."""

    product_key: str
    supplier_key: str
    tiers: list[list[int]]

    @property
    def product_id(self) -> str:
        return to_global_id("Product", self.product_key)

    @property
    def supplier_id(self) -> str:
        return to_global_id("Supplier", self.supplier_key)


async def listing(api: Api, tiers: list[list[int]] | None = None, country: str = "CN") -> Listing:
    """Copies a seeded product and its supplier under new keys; `tiers` are [min quantity, USD cents].

    The copies go through the catalog's own writes, so search indexes them like any product.
    """
    supplier_key, product_key = unique("sup"), unique("prd")
    wanted = tiers if tiers is not None else [[10, 500], [100, 450], [1000, 399]]

    async def copy() -> None:
        database = api.state.engines.ports.repos.database  # type: ignore[union-attr]
        catalog = api.state.runner.services.catalog  # type: ignore[union-attr]
        product = await database.collection("products").find_one({}, sort=[("_id", 1)])
        supplier = await database.collection("suppliers").find_one({"_id": product["supplier_key"]})
        supplier = {**supplier, "_id": supplier_key, "country": country, "seq": next_seq()}
        product = {
            **product,
            "_id": product_key,
            "seq": next_seq(),
            "supplier_key": supplier_key,
            "currency": "USD",
            "tiers": wanted,
            "titles": {"en": "Oak desk lamp", "es": "Lámpara de escritorio de roble"},
        }
        await catalog.put_supplier(supplier_from_doc(supplier))
        await catalog.put_product(product_from_doc(product))

    await _on_server(api, copy())
    await api.drain_outbox()  # indexed before anyone searches
    return Listing(product_key, supplier_key, wanted)


def supplier_token(api: Api, item: Listing) -> str:
    return api.token(role="supplier", supplier=item.supplier_id)


async def signed_in(api: Api, token: str) -> str:
    """Makes the account exist (as after the app's first request); returns its Viewer id."""
    body = await api.gql("Viewer", token=token)
    viewer_id: str = body["data"]["viewer"]["id"]
    return viewer_id


async def place(api: Api, token: str, item: Listing, quantity: int = 10, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "productId": item.product_id,
        "quantity": quantity,
        "shippingAddress": ADDRESS,
        "idempotencyKey": unique("idem"),
    }
    values.update(fields)
    body = await api.gql("PlaceOrder", {"input": values}, token=token)
    payload: dict[str, Any] = body["data"]["placeOrder"]
    return payload


async def placed(api: Api, token: str, item: Listing, quantity: int = 10) -> str:
    payload = await place(api, token, item, quantity)
    assert payload["userErrors"] == [], payload
    order_id: str = payload["order"]["id"]
    return order_id


async def set_status(api: Api, token: str, order_id: str, status: str) -> dict[str, Any]:
    body = await api.gql("UpdateOrderStatus", {"input": {"orderId": order_id, "status": status}}, token=token)
    payload: dict[str, Any] = body["data"]["updateOrderStatus"]
    return payload


async def ship(
    api: Api, token: str, order_id: str, carrier: str = "DHL", number: str | None = None, **more: Any
) -> dict[str, Any]:
    values = {
        "orderId": order_id,
        "carrier": carrier,
        "trackingNumber": number or unique("TRK"),
        "idempotencyKey": unique("ship"),
    }
    values.update(more)
    body = await api.gql("AddShipment", {"input": values}, token=token)
    payload: dict[str, Any] = body["data"]["addShipment"]
    return payload


async def shipped_order(api: Api) -> tuple[Listing, str, str, str, str]:
    """An order confirmed and shipped with one DHL parcel: (listing, buyer, supplier, order id, number)."""
    item = await listing(api)
    buyer, supplier = api.token(role="buyer"), supplier_token(api, item)
    order_id = await placed(api, buyer, item)
    assert (await set_status(api, supplier, order_id, "CONFIRMED"))["userErrors"] == []
    number = unique("JD")
    assert (await ship(api, supplier, order_id, "DHL", number))["userErrors"] == []
    return item, buyer, supplier, order_id, number


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def ago(**delta: float) -> str:
    return iso(datetime.now(UTC) - timedelta(**delta))


def event(
    status: str, occurred_at: str, description: str | None = None, location: str | None = "Leipzig, DE"
) -> dict[str, Any]:
    return {
        "status": status,
        "description": description or status.title(),
        "location": location,
        "occurredAt": occurred_at,
    }


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


async def webhook(
    api: Api,
    carrier: str,
    number: str,
    events: list[dict[str, Any]],
    *,
    eta: str | None = None,
    secret: str | None = None,
    skew: int = 0,
    raw: bytes | None = None,
) -> int:
    body = (
        raw
        if raw is not None
        else json.dumps(
            {"carrier": carrier, "trackingNumber": number, "estimatedDelivery": eta, "events": events}
        ).encode()
    )
    timestamp = str(int(time.time()) + skew)
    headers = {
        "X-Timestamp": timestamp,
        "X-Signature": signature(secret or api.settings.webhook_secrets[0], timestamp, body),
        "Content-Type": "application/json",
    }
    response = await api.client.post("/webhooks/tracking", content=body, headers=headers)
    return response.status_code


async def tracking(api: Api, token: str, order_id: str) -> dict[str, Any]:
    body = await api.gql("OrderTracking", {"id": order_id}, token=token)
    assert "errors" not in body, body
    order: dict[str, Any] = body["data"]["order"]
    return order


async def outbox_ids(api: Api, kind: str, target_key: str | None = None) -> list[str]:
    """Which entries there are, whatever the dispatcher has done with them meanwhile."""
    return [e["_id"] for e in await outbox_entries(api, kind, target_key)]


async def outbox_entries(api: Api, kind: str, target_key: str | None = None) -> list[dict[str, Any]]:
    """The outbox entries of a kind (for notify: of one order), oldest first."""
    outbox = api.state.engines.ports.repos.database.collection("outbox")  # type: ignore[union-attr]

    async def read() -> list[dict[str, Any]]:
        return [d async for d in outbox.find({"kind": kind}, sort=[("created_at", 1), ("_id", 1)])]

    found: list[dict[str, Any]] = await _on_server(api, read())
    if target_key is None:
        return found
    return [
        d
        for d in found
        if d["payload"].get("target", {}).get("key") == target_key or d["payload"].get("order") == target_key
    ]


def order_key(order_id: str) -> str:
    from app.domain.ids import key_of

    key = key_of(order_id, "Order")
    assert key is not None
    return key


async def deliver(api: Api, carrier: str, number: str) -> None:
    status = await webhook(api, carrier, number, [event("DELIVERED", ago(minutes=1))])
    assert status == 200


async def order_in(api: Api, status: str) -> tuple[str, str, str]:
    """A fresh order of its own supplier, moved to `status`: (buyer token, supplier token, order id)."""
    item = await listing(api)
    buyer, supplier = api.token(role="buyer"), supplier_token(api, item)
    order_id = await placed(api, buyer, item)
    steps = {
        "PENDING_CONFIRMATION": [],
        "CONFIRMED": ["CONFIRMED"],
        "IN_PRODUCTION": ["CONFIRMED", "IN_PRODUCTION"],
        "INSPECTION": ["CONFIRMED", "IN_PRODUCTION", "INSPECTION"],
        "SHIPPED": ["CONFIRMED", "ship"],
        "DELIVERED": ["CONFIRMED", "ship", "deliver"],
        "COMPLETED": ["CONFIRMED", "ship", "confirm"],
        "CANCELLED": ["CANCELLED"],
    }[status]
    number = unique("TRK")
    for step in steps:
        if step == "ship":
            assert (await ship(api, supplier, order_id, "UPS", number))["userErrors"] == []
        elif step == "deliver":
            await deliver(api, "UPS", number)
        elif step == "confirm":
            body = await api.gql("ConfirmReceipt", {"orderId": order_id}, token=buyer)
            assert body["data"]["confirmReceipt"]["userErrors"] == []
        else:
            assert (await set_status(api, supplier, order_id, step))["userErrors"] == []
    return buyer, supplier, order_id
