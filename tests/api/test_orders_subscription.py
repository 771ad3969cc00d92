"""orderUpdated over graphql-transport-ws: who may subscribe, and every change of the order reaching them."""

from __future__ import annotations

from app.domain.ids import to_global_id
from tests.api.harness import Api, operation, unique
from tests.api.test_orders_support import ago, event, order_in, set_status, ship, webhook
from tests.api.ws_client import receive, send, subscribe, ws_session


async def started(socket: object, order_id: str, name: str = "OrderUpdated") -> None:
    await subscribe(socket, "1", operation(name), {"id": order_id})  # type: ignore[arg-type]


async def test_the_buyer_receives_every_change_of_the_order(api: Api) -> None:
    # given a buyer subscribed to a pending order
    buyer, supplier, order_id = await order_in(api, "PENDING_CONFIRMATION")
    async with ws_session(api.ws_url, buyer) as socket:
        await started(socket, order_id)
        await api.gql("Viewer", token=buyer)  # a round trip, so the subscription is in place
        # when the supplier confirms and ships, and the carrier reports
        await set_status(api, supplier, order_id, "CONFIRMED")
        confirmed = await receive(socket)
        number = unique("TRK")
        await ship(api, supplier, order_id, "DHL", number)
        shipped = await receive(socket)
        await webhook(api, "DHL", number, [event("CUSTOMS", ago(minutes=10), location="Madrid, ES")])
        customs = await receive(socket)
    # then
    assert confirmed["type"] == "next" and confirmed["id"] == "1"
    assert confirmed["payload"]["data"]["orderUpdated"]["status"] == "CONFIRMED"
    assert shipped["payload"]["data"]["orderUpdated"]["status"] == "SHIPPED"
    assert shipped["payload"]["data"]["orderUpdated"]["shipments"][0]["status"] == "INFO_RECEIVED"
    shipment = customs["payload"]["data"]["orderUpdated"]["shipments"][0]
    assert shipment["status"] == "CUSTOMS"
    assert shipment["lastEvent"]["location"] == "Madrid, ES"


async def test_the_suppliers_users_receive_the_buyers_cancellation(api: Api) -> None:
    buyer, supplier, order_id = await order_in(api, "CONFIRMED")
    # the CONFIRMED event is out before subscribing, so the first message can only be the cancellation
    await api.drain_outbox()
    async with ws_session(api.ws_url, supplier) as socket:
        await started(socket, order_id, "SupplierOrderUpdated")
        await api.gql("Viewer", token=supplier)
        await api.gql("CancelOrder", {"input": {"orderId": order_id, "reason": "Changed plans"}}, token=buyer)
        message = await receive(socket)
    order = message["payload"]["data"]["orderUpdated"]
    assert order["status"] == "CANCELLED"
    assert order["timeline"][-1] == {**order["timeline"][-1], "status": "CANCELLED", "note": "Changed plans"}


async def test_subscribing_to_someone_elses_or_a_missing_order_is_not_found_and_nothing_else(
    api: Api,
) -> None:
    _, supplier, order_id = await order_in(api, "PENDING_CONFIRMATION")
    for target in (order_id, to_global_id("Order", unique("missing")), "garbage"):
        async with ws_session(api.ws_url, api.token(role="buyer")) as socket:
            await started(socket, target)
            message = await receive(socket)
            assert message["type"] == "error" and message["id"] == "1"
            assert [e["extensions"]["code"] for e in message["payload"]] == ["NOT_FOUND"]
            # a change that would reach a subscriber is published, then a ping: only the pong comes back
            await set_status(api, supplier, order_id, "CONFIRMED")
            await api.drain_outbox()
            await send(socket, {"type": "ping"})
            assert (await receive(socket))["type"] == "pong"


async def test_anonymous_subscribe_is_unauthenticated(api: Api) -> None:
    _, _, order_id = await order_in(api, "PENDING_CONFIRMATION")
    async with ws_session(api.ws_url, None) as socket:
        await started(socket, order_id)
        message = await receive(socket)
    assert message["type"] == "error"
    assert [e["extensions"]["code"] for e in message["payload"]] == ["UNAUTHENTICATED"]
