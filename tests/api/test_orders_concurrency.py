"""One order changed by several people or carriers at the same moment: no failure, one consistent history."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.api.harness import Api, unique
from tests.api.test_orders_support import (
    ago,
    event,
    listing,
    order_in,
    placed,
    supplier_token,
    tracking,
    webhook,
)


def statuses(order: dict[str, Any]) -> list[str]:
    return [entry["status"] for entry in order["timeline"]]


async def test_two_supplier_users_and_the_buyer_moving_one_order_at_once_leave_one_history(api: Api) -> None:
    # given a pending order and two users of its supplier
    item = await listing(api)
    buyer, first, second = api.token(role="buyer"), supplier_token(api, item), supplier_token(api, item)
    order_id = await placed(api, buyer, item)
    # when one confirms, the other cancels and the buyer cancels, all at once
    moves = [("CONFIRMED", first), ("CANCELLED", second)]
    bodies = await asyncio.gather(
        *(
            api.gql("UpdateOrderStatus", {"input": {"orderId": order_id, "status": to}}, token=token)
            for to, token in moves
        ),
        api.gql("CancelOrder", {"input": {"orderId": order_id}}, token=buyer),
    )
    # then none fails; each either moved the order or was refused for the state the others left
    assert [b.get("errors") for b in bodies] == [None] * 3
    payloads = [next(iter(b["data"].values())) for b in bodies]
    assert all(p["userErrors"] == [] or p["userErrors"][0]["code"] == "INVALID" for p in payloads)
    # and the order went through each status at most once, ending where its timeline ends
    order = await tracking(api, buyer, order_id)
    history = statuses(order)
    assert history[0] == "PENDING_CONFIRMATION" and len(history) == len(set(history))
    assert order["status"] == history[-1] == "CANCELLED"
    assert {p["order"]["status"] for p in payloads if p["order"]} <= set(history)


async def test_parcels_added_at_once_all_land_and_ship_the_order_once(api: Api) -> None:
    # given a confirmed order
    buyer, supplier, order_id = await order_in(api, "CONFIRMED")
    # when the supplier's three packers add a parcel each at the same moment
    numbers = [unique("TRK") for _ in range(3)]
    bodies = await asyncio.gather(
        *(
            api.gql(
                "AddShipment",
                {
                    "input": {
                        "orderId": order_id,
                        "carrier": "UPS",
                        "trackingNumber": number,
                        "idempotencyKey": unique("ship"),
                    }
                },
                token=supplier,
            )
            for number in numbers
        )
    )
    # then all three are on the order, which shipped once
    assert [b.get("errors") for b in bodies] == [None] * 3
    assert [b["data"]["addShipment"]["userErrors"] for b in bodies] == [[]] * 3
    order = await tracking(api, buyer, order_id)
    assert sorted(s["trackingNumber"] for s in order["shipments"]) == sorted(numbers)
    assert order["status"] == "SHIPPED" and statuses(order).count("SHIPPED") == 1


async def test_carrier_updates_of_one_parcel_at_once_are_all_merged(api: Api) -> None:
    # given a shipped order with one parcel
    buyer, supplier, order_id = await order_in(api, "CONFIRMED")
    number = unique("TRK")
    shipped = await api.gql(
        "AddShipment",
        {
            "input": {
                "orderId": order_id,
                "carrier": "UPS",
                "trackingNumber": number,
                "idempotencyKey": unique("s"),
            }
        },
        token=supplier,
    )
    assert shipped["data"]["addShipment"]["userErrors"] == []
    # when the carrier's webhook delivers four updates of it at the same moment
    updates = [("IN_TRANSIT", 50), ("CUSTOMS", 40), ("OUT_FOR_DELIVERY", 20), ("DELIVERED", 5)]
    codes = await asyncio.gather(
        *(webhook(api, "UPS", number, [event(status, ago(minutes=m))]) for status, m in updates)
    )
    # then every delivery is accepted, the parcel holds all four events, and the order was delivered once
    assert codes == [200] * 4
    order = await tracking(api, buyer, order_id)
    [parcel] = order["shipments"]
    assert sorted(e["status"] for e in parcel["events"]) == sorted(status for status, _ in updates)
    assert parcel["status"] == "DELIVERED"
    assert order["status"] == "DELIVERED" and statuses(order).count("DELIVERED") == 1
