"""Tracking events: dedup, order, the ETA rule, the 30-day rule, shared numbers, roll-up, notices."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from tests.api.harness import Api, _on_server, unique
from tests.api.test_orders_support import (
    ago,
    event,
    iso,
    listing,
    order_key,
    outbox_entries,
    placed,
    set_status,
    ship,
    shipped_order,
    supplier_token,
    tracking,
    webhook,
)

DAY_MS = 24 * 3600 * 1000


def soon(days: float) -> str:
    return iso(datetime.now(UTC) + timedelta(days=days))


def ms(text: str) -> int:
    """DateTime text as epoch milliseconds (the API keeps milliseconds)."""
    return int(datetime.fromisoformat(text).timestamp() * 1000)


async def shipment_notices(api: Api, order_id: str) -> list[tuple[str, str, bool]]:
    entries = await outbox_entries(api, "notify", order_key(order_id))
    return [(e["payload"]["kind"], e["payload"]["params"]["status"], e["payload"]["push"]) for e in entries]


async def test_redelivered_events_change_nothing(api: Api) -> None:
    # given
    _, buyer, _, order_id, number = await shipped_order(api)
    events = [event("IN_TRANSIT", ago(hours=3)), event("CUSTOMS", ago(hours=1))]
    assert await webhook(api, "DHL", number, events) == 200
    before = await tracking(api, buyer, order_id)
    notices = await shipment_notices(api, order_id)
    # when the carrier sends the same events again
    assert await webhook(api, "DHL", number, list(reversed(events))) == 200
    # then
    assert await tracking(api, buyer, order_id) == before
    assert await shipment_notices(api, order_id) == notices
    assert len(before["shipments"][0]["events"]) == 2


async def test_events_out_of_order_are_kept_newest_first_and_the_status_is_the_newest(api: Api) -> None:
    _, buyer, _, order_id, number = await shipped_order(api)
    await webhook(api, "DHL", number, [event("OUT_FOR_DELIVERY", ago(hours=1))])
    await webhook(api, "DHL", number, [event("IN_TRANSIT", ago(hours=5)), event("CUSTOMS", ago(hours=3))])
    shipment = (await tracking(api, buyer, order_id))["shipments"][0]
    assert [e["status"] for e in shipment["events"]] == ["OUT_FOR_DELIVERY", "CUSTOMS", "IN_TRANSIT"]
    assert shipment["status"] == "OUT_FOR_DELIVERY"
    assert shipment["lastEvent"] == shipment["events"][0]
    assert shipment["lastEvent"]["location"] == "Leipzig, DE"


async def test_the_eta_is_taken_only_from_a_delivery_at_least_as_new_as_the_newest_event(api: Api) -> None:
    _, buyer, _, order_id, number = await shipped_order(api)
    fresh_eta, stale_eta = soon(3), soon(9)
    await webhook(api, "DHL", number, [event("IN_TRANSIT", ago(hours=2))], eta=fresh_eta)
    await webhook(api, "DHL", number, [event("INFO_RECEIVED", ago(hours=6))], eta=stale_eta)
    order = await tracking(api, buyer, order_id)
    assert ms(order["shipments"][0]["estimatedDelivery"]) == ms(fresh_eta)
    assert order["estimatedDelivery"] == order["shipments"][0]["estimatedDelivery"]
    await webhook(api, "DHL", number, [event("IN_TRANSIT", ago(hours=2))], eta=stale_eta)
    later = await tracking(api, buyer, order_id)
    assert ms(later["shipments"][0]["estimatedDelivery"]) == ms(stale_eta)


async def test_events_more_than_30_days_before_the_shipment_are_ignored(api: Api) -> None:
    _, buyer, _, order_id, number = await shipped_order(api)
    await webhook(api, "DHL", number, [event("DELIVERED", ago(days=31))])
    order = await tracking(api, buyer, order_id)
    assert order["shipments"][0]["status"] == "INFO_RECEIVED"
    assert order["shipments"][0]["events"] == []
    assert order["status"] == "SHIPPED"
    await webhook(api, "DHL", number, [event("INFO_RECEIVED", ago(hours=5), "Label printed")])
    assert [e["description"] for e in (await tracking(api, buyer, order_id))["shipments"][0]["events"]] == [
        "Label printed"
    ]


async def test_every_shipment_sharing_the_number_is_updated(api: Api) -> None:
    # given two orders consolidated under one carrier number
    _, buyer, _, first, number = await shipped_order(api)
    item = await listing(api)
    buyer2, supplier2 = api.token(role="buyer"), supplier_token(api, item)
    second = await placed(api, buyer2, item)
    await set_status(api, supplier2, second, "CONFIRMED")
    await ship(api, supplier2, second, "Dhl", number)
    # when
    assert await webhook(api, "DHL", number, [event("IN_TRANSIT", ago(hours=1))]) == 200
    # then
    assert (await tracking(api, buyer, first))["shipments"][0]["status"] == "IN_TRANSIT"
    assert (await tracking(api, buyer2, second))["shipments"][0]["status"] == "IN_TRANSIT"


async def test_delivered_rolls_up_to_the_order_once_every_shipment_is_delivered(api: Api) -> None:
    # given an order shipped in two parcels
    _, buyer, supplier, order_id, number = await shipped_order(api)
    second = unique("TRK")
    await ship(api, supplier, order_id, "DHL", second)
    # when the first parcel arrives
    await webhook(api, "DHL", number, [event("DELIVERED", ago(minutes=30))])
    # then the order waits for the second, and the buyer's push says one parcel arrived
    assert (await tracking(api, buyer, order_id))["status"] == "SHIPPED"
    assert ("SHIPMENT_UPDATE", "DELIVERED", True) in await shipment_notices(api, order_id)
    await webhook(api, "DHL", second, [event("DELIVERED", ago(minutes=5))])
    order = await tracking(api, buyer, order_id)
    assert order["status"] == "DELIVERED"
    assert order["timeline"][-1]["status"] == "DELIVERED"
    assert order["estimatedDelivery"] is None


async def test_buyer_notices_follow_shipment_and_order_changes_with_pushes_only_where_due(api: Api) -> None:
    # given
    _, _, _, order_id, number = await shipped_order(api)
    # when the parcel travels and arrives
    for status, hours in (("IN_TRANSIT", 5), ("CUSTOMS", 4), ("OUT_FOR_DELIVERY", 2), ("DELIVERED", 1)):
        await webhook(api, "DHL", number, [event(status, ago(hours=hours))])
    # then (entries of one transaction carry one time: compared as a set)
    assert sorted(await shipment_notices(api, order_id)) == sorted(
        [
            ("ORDER_UPDATE", "CONFIRMED", False),
            ("ORDER_UPDATE", "SHIPPED", True),
            ("SHIPMENT_UPDATE", "IN_TRANSIT", False),
            ("SHIPMENT_UPDATE", "CUSTOMS", True),
            ("SHIPMENT_UPDATE", "OUT_FOR_DELIVERY", True),
            # the last parcel's DELIVERED is in-app only: the order's DELIVERED push replaces it
            ("SHIPMENT_UPDATE", "DELIVERED", False),
            ("ORDER_UPDATE", "DELIVERED", True),
        ]
    )
    groups = {e["payload"]["group"] for e in await outbox_entries(api, "notify", order_key(order_id))}
    assert groups == {f"order:{order_key(order_id)}"}


async def test_without_a_carrier_eta_the_order_is_estimated_from_its_lanes_median_transit(api: Api) -> None:
    # given three earlier deliveries on a lane (CN -> ES by this carrier) that took 5, 7 and 9 days
    carrier = unique("Lane")
    shipments = api.state.engines.ports.repos.database.collection("shipments")  # type: ignore[union-attr]
    item = await listing(api, country="CN")
    buyer, supplier = api.token(role="buyer"), supplier_token(api, item)
    now = int(time.time() * 1000)
    for days in (5, 7, 9):
        order_id = await placed(api, buyer, item)
        await set_status(api, supplier, order_id, "CONFIRMED")
        number = unique("TRK")
        await ship(api, supplier, order_id, carrier, number)
        moved = {"created_at": now - days * DAY_MS}
        await _on_server(api, shipments.update_one({"tracking_number": number}, {"$set": moved}))
        await webhook(
            api, carrier.upper(), number, [event("DELIVERED", iso(datetime.fromtimestamp(now / 1000, UTC)))]
        )
    # when a new order ships on that lane without an estimate
    order_id = await placed(api, buyer, item)
    await set_status(api, supplier, order_id, "CONFIRMED")
    number = unique("TRK")
    await ship(api, supplier, order_id, carrier, number)
    shipped = await _on_server(api, shipments.find_one({"tracking_number": number}))
    # then
    order = await tracking(api, buyer, order_id)
    assert ms(order["estimatedDelivery"]) == shipped["created_at"] + 7 * DAY_MS
    assert order["shipments"][0]["estimatedDelivery"] is None
    # and on a lane nobody has delivered on, there is no estimate
    lone_order = await placed(api, buyer, item)
    await set_status(api, supplier, lone_order, "CONFIRMED")
    await ship(api, supplier, lone_order, unique("Lane"), unique("TRK"))
    assert (await tracking(api, buyer, lone_order))["estimatedDelivery"] is None
