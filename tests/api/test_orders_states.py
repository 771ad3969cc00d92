"""The order state machine over HTTP: the whole table, timeline, notices and auto-completion."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.api.harness import Api, _on_server
from tests.api.test_orders_support import order_in, order_key, outbox_entries, outbox_ids, set_status, ship

STATUSES = [
    "PENDING_CONFIRMATION",
    "CONFIRMED",
    "IN_PRODUCTION",
    "INSPECTION",
    "SHIPPED",
    "DELIVERED",
    "COMPLETED",
    "CANCELLED",
]
SUPPLIER_MOVES = {
    ("PENDING_CONFIRMATION", "CONFIRMED"),
    ("PENDING_CONFIRMATION", "CANCELLED"),
    ("CONFIRMED", "CANCELLED"),
    ("CONFIRMED", "IN_PRODUCTION"),
    ("IN_PRODUCTION", "INSPECTION"),
}


def errors(payload: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


@pytest.mark.parametrize("start", STATUSES)
async def test_update_order_status_follows_the_table_from(api: Api, start: str) -> None:
    # given one order in `start` for the moves that must fail (they change nothing)
    _, supplier, stuck = await order_in(api, start)
    for target in STATUSES:
        if (start, target) in SUPPLIER_MOVES:
            # when a move of the table is asked on a fresh order
            _, own_supplier, order_id = await order_in(api, start)
            payload = await set_status(api, own_supplier, order_id, target)
            # then it happens
            assert errors(payload) == [], (start, target)
            assert payload["order"]["status"] == target
        elif target == start:
            payload = await set_status(api, supplier, stuck, target)
            assert errors(payload) == [], (start, target)
            assert payload["order"]["status"] == start
        else:
            payload = await set_status(api, supplier, stuck, target)
            assert payload["order"] is None
            assert errors(payload) == [("INVALID", ["input", "status"])], (start, target)


@pytest.mark.parametrize("start", STATUSES)
async def test_buyer_cancels_and_confirms_receipt_only_where_the_table_allows(api: Api, start: str) -> None:
    buyer, _, order_id = await order_in(api, start)
    cancel = (await api.gql("CancelOrder", {"input": {"orderId": order_id}}, token=buyer))["data"][
        "cancelOrder"
    ]
    if start in ("PENDING_CONFIRMATION", "CONFIRMED", "CANCELLED"):
        assert errors(cancel) == []
        assert cancel["order"]["status"] == "CANCELLED"
    else:
        assert errors(cancel) == [("INVALID", ["input", "orderId"])]
    buyer, _, order_id = await order_in(api, start)
    confirm = (await api.gql("ConfirmReceipt", {"orderId": order_id}, token=buyer))["data"]["confirmReceipt"]
    if start in ("SHIPPED", "DELIVERED", "COMPLETED"):
        assert errors(confirm) == []
        assert confirm["order"]["status"] == "COMPLETED"
    else:
        assert errors(confirm) == [("INVALID", ["orderId"])]


@pytest.mark.parametrize("start", STATUSES)
async def test_add_shipment_is_allowed_from_confirmation_until_shipped(api: Api, start: str) -> None:
    _, supplier, order_id = await order_in(api, start)
    payload = await ship(api, supplier, order_id, "FedEx")
    if start in ("CONFIRMED", "IN_PRODUCTION", "INSPECTION", "SHIPPED"):
        assert errors(payload) == []
        assert payload["order"]["status"] == "SHIPPED"
    else:
        assert errors(payload) == [("INVALID", ["input", "orderId"])]


async def test_every_move_appends_to_the_timeline_oldest_first(api: Api) -> None:
    # given
    buyer, supplier, order_id = await order_in(api, "INSPECTION")
    await ship(api, supplier, order_id, "DHL")
    # when
    body = await api.gql("ConfirmReceipt", {"orderId": order_id}, token=buyer)
    # then
    timeline = body["data"]["confirmReceipt"]["order"]["timeline"]
    assert [t["status"] for t in timeline] == [
        "PENDING_CONFIRMATION",
        "CONFIRMED",
        "IN_PRODUCTION",
        "INSPECTION",
        "SHIPPED",
        "COMPLETED",
    ]
    moments = [t["at"] for t in timeline]
    assert moments == sorted(moments)


async def test_setting_the_current_status_again_adds_nothing(api: Api) -> None:
    _, supplier, order_id = await order_in(api, "CONFIRMED")
    before = await outbox_ids(api, "notify", order_key(order_id))
    payload = await set_status(api, supplier, order_id, "CONFIRMED")
    assert [t["status"] for t in payload["order"]["timeline"]] == ["PENDING_CONFIRMATION", "CONFIRMED"]
    assert await outbox_ids(api, "notify", order_key(order_id)) == before


async def test_a_note_and_a_cancel_reason_are_kept_on_the_timeline(api: Api) -> None:
    buyer, supplier, order_id = await order_in(api, "PENDING_CONFIRMATION")
    variables = {"input": {"orderId": order_id, "status": "CONFIRMED", "note": "Ships in 10 days"}}
    await api.gql("UpdateOrderStatus", variables, token=supplier)
    body = await api.gql(
        "CancelOrder", {"input": {"orderId": order_id, "reason": "Found it closer"}}, token=buyer
    )
    timeline = body["data"]["cancelOrder"]["order"]["timeline"]
    assert [(t["status"], t["note"]) for t in timeline[1:]] == [
        ("CONFIRMED", "Ships in 10 days"),
        ("CANCELLED", "Found it closer"),
    ]


async def test_each_move_notifies_the_other_side_and_pushes_only_shipping(api: Api) -> None:
    # given
    _, supplier, order_id = await order_in(api, "PENDING_CONFIRMATION")
    key = order_key(order_id)
    # when the supplier confirms and ships
    await set_status(api, supplier, order_id, "CONFIRMED")
    await ship(api, supplier, order_id, "DHL")
    # then the buyer got two ORDER_UPDATEs, only SHIPPED pushed, grouped per order
    updates = [
        e["payload"]
        for e in await outbox_entries(api, "notify", key)
        if e["payload"]["kind"] == "ORDER_UPDATE"
    ]
    assert [(u["params"]["status"], u["push"]) for u in updates] == [("CONFIRMED", False), ("SHIPPED", True)]
    assert all(u["group"] == f"order:{key}" and len(u["recipients"]) == 1 for u in updates)
    published = [
        e for e in await outbox_entries(api, "broker.publish") if e["payload"]["channel"] == f"order:{key}"
    ]
    assert len(published) == 2
    # and a buyer's cancellation tells the supplier's users instead
    buyer2, supplier2, other = await order_in(api, "PENDING_CONFIRMATION")
    await api.gql("Viewer", token=supplier2)
    await api.gql("CancelOrder", {"input": {"orderId": other}}, token=buyer2)
    [cancelled] = [
        e["payload"]
        for e in await outbox_entries(api, "notify", order_key(other))
        if e["payload"]["kind"] == "ORDER_UPDATE"
    ]
    buyer2_id = (await api.gql("Viewer", token=buyer2))["data"]["viewer"]["id"]
    assert cancelled["params"]["status"] == "CANCELLED"
    assert cancelled["push"] is False
    assert buyer2_id not in cancelled["recipients"] and len(cancelled["recipients"]) == 1


async def test_the_worker_completes_an_order_fourteen_days_after_delivery(api: Api) -> None:
    # given a delivered order and its scheduled completion
    buyer, _, order_id = await order_in(api, "DELIVERED")
    key = order_key(order_id)
    [scheduled] = await outbox_entries(api, "order.auto_complete", key)
    database = api.state.engines.ports.repos.database  # type: ignore[union-attr]
    order = await _on_server(api, database.collection("orders").find_one({"_id": key}))
    assert scheduled["available_at"] == order["delivered_at"] + 14 * 24 * 3600 * 1000
    assert scheduled["status"] == "pending"
    # when fourteen days have passed (moved back in the store) and the entry is due
    fortnight = 14 * 24 * 3600 * 1000 + 1000
    now = int(time.time() * 1000)
    await _on_server(
        api,
        database.collection("orders").update_one({"_id": key}, {"$set": {"delivered_at": now - fortnight}}),
    )
    await _on_server(
        api,
        database.collection("outbox").update_one({"_id": scheduled["_id"]}, {"$set": {"available_at": now}}),
    )
    await api.drain_outbox()
    # then
    body = await api.gql("OrderTracking", {"id": order_id}, token=buyer)
    assert body["data"]["order"]["status"] == "COMPLETED"
    assert body["data"]["order"]["timeline"][-1]["status"] == "COMPLETED"
