"""Who acts in the fault tests: a buyer with devices, a seeded supplier, an inquiry thread between them.

Everything goes through the API instances over HTTP (the store is only read, to compare); each
test takes a seeded product of its own (`Thread.open(..., pick=N)`), so no two tests share a thread.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.client import ClientConnection

from app.domain.ids import to_global_id
from tests.api.harness import unique
from tests.api.ws_client import receive
from tests.faults.cluster import Cluster

_picks = itertools.count()


@dataclass
class Thread:
    """A buyer's inquiry about a seeded product, and a signed-in user of that product's supplier."""

    cluster: Cluster
    buyer: str
    supplier: str
    inquiry_id: str

    @classmethod
    async def open(cls, cluster: Cluster, instance: int = 0) -> Thread:
        product = cluster.store["products"].find_one({}, sort=[("_id", 1)], skip=next(_picks) * 7)
        assert product is not None, "the seeded catalog is empty"
        supplier = cluster.token("supplier", to_global_id("Supplier", product["supplier_key"]))
        await cluster.gql(instance, "Viewer", token=supplier)  # the supplier's user exists first
        buyer = cluster.token("buyer")
        variables = {
            "input": {
                "productId": to_global_id("Product", product["_id"]),
                "message": "Hello, what is the MOQ?",
                "idempotencyKey": unique("key"),
            }
        }
        body = await cluster.gql(instance, "SendInquiry", variables, token=buyer)
        payload = body["data"]["sendInquiry"]
        assert payload["userErrors"] == [], payload
        return cls(cluster, buyer, supplier, payload["inquiry"]["id"])

    async def reply(self, instance: int, text: str) -> dict[str, Any]:
        """The supplier answers through `instance`; returns the mutation's payload."""
        variables = {"input": {"inquiryId": self.inquiry_id, "body": text, "idempotencyKey": unique("key")}}
        body = await self.cluster.gql(instance, "SupplierReply", variables, token=self.supplier)
        assert body.get("data"), body
        payload: dict[str, Any] = body["data"]["replyToInquiry"]
        assert payload["userErrors"] == [], payload
        return payload

    async def devices(self, count: int, instance: int = 0) -> list[str]:
        """Registers `count` devices of the buyer; returns their push tokens."""
        addresses = []
        for _ in range(count):
            address = unique("fcm-token") + "x" * 40
            variables = {"input": {"token": address, "platform": "ANDROID"}}
            body = await self.cluster.gql(instance, "RegisterDevice", variables, token=self.buyer)
            assert body["data"]["registerDevice"]["userErrors"] == [], body
            addresses.append(address)
        return addresses


def pushes(cluster: Cluster, addresses: list[str]) -> list[tuple[str, str, str]]:
    """(address, body, notificationId) of every message the FCM endpoint accepted for these devices."""
    wanted = set(addresses)
    found = []
    for message in cluster.fcm.messages:
        if message.address in wanted:
            body = message.message.get("notification", {}).get("body", "")
            found.append((str(message.address), str(body), str(message.message["data"]["notificationId"])))
    return found


def copies(received: list[tuple[str, str, str]]) -> Counter[tuple[str, str]]:
    """How many times each (device, notification text) arrived."""
    return Counter((address, body) for address, body, _ in received)


async def next_message(socket: ClientConnection, message_id: str, timeout: float = 10.0) -> dict[str, Any]:
    """The `inquiryMessageAdded` event of one message; earlier events of the thread are passed over
    (the opening message's event is published by a worker, so it may arrive after the subscribe)."""
    deadline = time.monotonic() + timeout
    while True:
        message = await receive(socket, timeout=max(deadline - time.monotonic(), 0.01))
        assert message["type"] == "next", message
        added: dict[str, Any] = message["payload"]["data"]["inquiryMessageAdded"]
        if added["id"] == message_id:
            return added
