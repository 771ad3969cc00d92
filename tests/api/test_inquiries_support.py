"""Helpers of the inquiry, notification and push suites: a fresh supplier with a product, people, devices.

Every test makes its own supplier (a copy of a seeded one under a new key), so counts and response
figures of one test never mix with another's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.domain.ids import to_global_id
from tests.api.harness import Api, _on_server, next_seq, unique


class Shop:
    """A supplier of its own with one product, and a signed-in user of that supplier."""

    def __init__(self, api: Api, supplier_key: str, product_key: str, name: str) -> None:
        self.api = api
        self.supplier_key = supplier_key
        self.product_key = product_key
        self.name = name
        self.supplier_id = to_global_id("Supplier", supplier_key)
        self.product_id = to_global_id("Product", product_key)
        self.token = api.token(role="supplier", supplier=self.supplier_id)

    def staff(self) -> str:
        """A token of another user of the same supplier."""
        return self.api.token(role="supplier", supplier=self.supplier_id)


def _catalog(api: Api) -> Any:
    """The app's own catalog use cases: copies are written (and search-indexed) like any product."""
    return api.state.runner.services.catalog  # type: ignore[union-attr]


async def _copy_seeded(api: Api, supplier_key: str, product_key: str, name: str, title: str) -> None:
    repos = api.state.engines.ports.repos  # type: ignore[union-attr]
    seeded_product = await repos.database.collection("products").find_one({})
    assert seeded_product is not None, "the seeded catalog is empty"
    [product] = await repos.products.get_many([seeded_product["_id"]])
    [supplier] = await repos.suppliers.get_many([product.supplier_key])
    assert product is not None and supplier is not None
    await _catalog(api).put_supplier(
        replace(
            supplier,
            key=supplier_key,
            seq=next_seq(),
            name=name,
            response_rate=None,
            median_response_minutes=None,
        )
    )
    titles = {"en": title, "es": f"{title} (es)"}
    await _catalog(api).put_product(
        replace(product, key=product_key, seq=next_seq(), supplier_key=supplier_key, titles=titles)
    )


async def new_shop(api: Api) -> Shop:
    supplier_key, product_key, name = unique("sup"), unique("prod"), f"Acme {unique('co')}"
    await _on_server(api, _copy_seeded(api, supplier_key, product_key, name, f"Chair {product_key}"))
    await api.drain_outbox()  # indexed before anyone searches
    shop = Shop(api, supplier_key, product_key, name)
    await api.gql("Viewer", token=shop.token)  # the supplier's user exists before the first inquiry
    return shop


async def another_product(api: Api, shop: Shop) -> str:
    key = unique("prod")

    async def copy() -> None:
        [product] = await api.state.engines.ports.repos.products.get_many([shop.product_key])  # type: ignore[union-attr]
        assert product is not None
        await _catalog(api).put_product(replace(product, key=key, seq=next_seq()))

    await _on_server(api, copy())
    await api.drain_outbox()
    return to_global_id("Product", key)


async def buyer(api: Api, name: str | None = None, country: str | None = None) -> str:
    token = api.token(role="buyer")
    profile: dict[str, Any] = {}
    if name is not None:
        profile["displayName"] = name
    if country is not None:
        profile["country"] = country
    body = await api.gql("UpdateProfile", {"input": profile}, token=token)
    assert body["data"]["updateProfile"]["userErrors"] == [], body
    return token


async def send_inquiry(
    api: Api, token: str, product_id: str, message: str = "Hello, MOQ?", **extra: Any
) -> dict[str, Any]:
    variables = {
        "input": {"productId": product_id, "message": message, "idempotencyKey": unique("key"), **extra}
    }
    body = await api.gql("SendInquiry", variables, token=token)
    payload: dict[str, Any] = body["data"]["sendInquiry"]
    return payload


async def open_inquiry(api: Api, token: str, shop: Shop, message: str = "Hello, MOQ?") -> str:
    payload = await send_inquiry(api, token, shop.product_id, message)
    assert payload["userErrors"] == [], payload
    inquiry_id: str = payload["inquiry"]["id"]
    return inquiry_id


async def reply(
    api: Api, token: str, inquiry_id: str, body: str = "Yes, 100 pieces.", operation: str = "ReplyToInquiry"
) -> dict[str, Any]:
    variables = {"input": {"inquiryId": inquiry_id, "body": body, "idempotencyKey": unique("key")}}
    result = await api.gql(operation, variables, token=token)
    payload: dict[str, Any] = result["data"]["replyToInquiry"]
    return payload


async def register_device(api: Api, token: str, address: str | None = None, **fields: Any) -> str:
    """Registers a device (a fresh push token unless `address` is given); returns its push token."""
    address = address or unique("fcm-token") + "x" * 40
    variables = {"input": {"token": address, "platform": "ANDROID", **fields}}
    body = await api.gql("RegisterDevice", variables, token=token)
    assert body["data"]["registerDevice"]["userErrors"] == [], body
    return address


def pushes_to(api: Api, address: str) -> list[Any]:
    """Messages the log sender recorded for one push address."""
    sender = api.state.engines.ports.push  # type: ignore[union-attr]
    return [p.message for p in sender.sent if p.message.address == address]


async def _rerun_deliveries(api: Api, address: str, forget_marks: bool) -> int:
    """Puts the push.deliver entries of one device back as if their dispatcher had died holding them
    (lease expired). With `forget_marks`, also the state a crash between send and mark leaves."""
    from app.domain.devices import device_key

    database = api.state.engines.ports.repos.database  # type: ignore[union-attr]
    outbox, marks = database.collection("outbox"), database.collection("push_deliveries")
    device = device_key(address)
    rerun = 0
    async for entry in outbox.find({"kind": "push.deliver"}):
        deliveries = [d for d in entry["payload"]["deliveries"] if d["device"] == device]
        if not deliveries:
            continue
        if forget_marks:
            await marks.delete_many(
                {"_id": {"$in": [f"{d['notification']}:{d['device']}" for d in deliveries]}}
            )
        await outbox.update_one({"_id": entry["_id"]}, {"$set": {"status": "leased", "lease_until": 0}})
        rerun += 1
    api.state.engines.ports.wake_dispatcher()  # type: ignore[union-attr]
    return rerun


async def rerun_deliveries(api: Api, address: str, *, forget_marks: bool = False) -> int:
    count: int = await _on_server(api, _rerun_deliveries(api, address, forget_marks))
    return count


async def set_push_entries_due(api: Api, address: str) -> int:
    """Moves this device's deferred push entries to now (time passing, without waiting for it)."""
    from app.domain.devices import device_key

    async def run() -> int:
        database = api.state.engines.ports.repos.database  # type: ignore[union-attr]
        outbox = database.collection("outbox")
        moved = 0
        async for entry in outbox.find({"kind": "push.deliver", "status": "pending"}):
            if any(d["device"] == device_key(address) for d in entry["payload"]["deliveries"]):
                await outbox.update_one({"_id": entry["_id"]}, {"$set": {"available_at": 0}})
                moved += 1
        api.state.engines.ports.wake_dispatcher()  # type: ignore[union-attr]
        return moved

    result: int = await _on_server(api, run())
    return result


async def deferred_until(api: Api, address: str) -> list[int]:
    """available_at of this device's pending push entries."""
    from app.domain.devices import device_key

    async def run() -> list[int]:
        outbox = api.state.engines.ports.repos.database.collection("outbox")  # type: ignore[union-attr]
        return [
            e["available_at"]
            async for e in outbox.find({"kind": "push.deliver", "status": "pending"})
            if any(d["device"] == device_key(address) for d in e["payload"]["deliveries"])
        ]

    found: list[int] = await _on_server(api, run())
    return found


async def wait_for_notification(api: Api, token: str) -> dict[str, Any]:
    """The newest notification, once the NOTIFY entry has run (its push entry may stay deferred)."""
    import asyncio

    for _ in range(200):
        body = await api.gql("Notifications", {"first": 1}, token=token)
        edges = body["data"]["viewer"]["notifications"]["edges"]
        if edges:
            node: dict[str, Any] = edges[0]["node"]
            return node
        await asyncio.sleep(0.05)
    raise AssertionError("no notification arrived")


async def settle_pushes(api: Api, address: str) -> None:
    """Waits until no push entry of this device is pending or held (retries included), then drains.

    `drain_outbox` alone can return in the instant a retried entry goes from leased back to pending.
    """
    import asyncio

    from app.domain.devices import device_key

    async def open_entries() -> int:
        outbox = api.state.engines.ports.repos.database.collection("outbox")  # type: ignore[union-attr]
        query = {"kind": "push.deliver", "status": {"$in": ["pending", "leased"]}}
        return len(
            [
                e
                async for e in outbox.find(query)
                if any(d["device"] == device_key(address) for d in e["payload"]["deliveries"])
            ]
        )

    for _ in range(400):
        await api.drain_outbox()
        if await _on_server(api, open_entries()) == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("push deliveries did not settle")
