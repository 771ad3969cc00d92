"""Idempotency keys of placeOrder and addShipment: replay, conflict, format, failed attempts, concurrency."""

from __future__ import annotations

import asyncio

import pytest

from tests.api.harness import Api, _on_server, unique
from tests.api.test_orders_support import (
    listing,
    order_in,
    order_key,
    outbox_entries,
    outbox_ids,
    place,
    ship,
    supplier_token,
)


async def orders_of(api: Api, supplier_key: str) -> list[dict[str, object]]:
    orders = api.state.engines.ports.repos.database.collection("orders")  # type: ignore[union-attr]

    async def read() -> list[dict[str, object]]:
        return [d async for d in orders.find({"supplier_key": supplier_key})]

    found: list[dict[str, object]] = await _on_server(api, read())
    return found


async def test_a_replay_returns_the_same_order_and_causes_nothing_new(api: Api) -> None:
    # given a placed order
    item = await listing(api)
    buyer, key = api.token(role="buyer"), unique("idem")
    first = await place(api, buyer, item, quantity=12, idempotencyKey=key)
    notices = await outbox_ids(api, "notify", order_key(first["order"]["id"]))
    # when the app sends it again (a lost response)
    second = await place(api, buyer, item, quantity=12, idempotencyKey=key)
    # then
    assert second == first
    assert len(await orders_of(api, item.supplier_key)) == 1
    assert await outbox_ids(api, "notify", order_key(first["order"]["id"])) == notices


async def test_a_replay_resolves_its_selection_afresh(api: Api) -> None:
    item = await listing(api)
    buyer, supplier, key = api.token(role="buyer"), supplier_token(api, item), unique("idem")
    first = await place(api, buyer, item, idempotencyKey=key)
    await api.gql(
        "UpdateOrderStatus",
        {"input": {"orderId": first["order"]["id"], "status": "CONFIRMED"}},
        token=supplier,
    )
    again = await place(api, buyer, item, idempotencyKey=key)
    assert again["order"]["id"] == first["order"]["id"]
    assert again["order"]["status"] == "CONFIRMED"


async def test_the_same_key_with_other_input_is_a_conflict(api: Api) -> None:
    item = await listing(api)
    buyer, key = api.token(role="buyer"), unique("idem")
    await place(api, buyer, item, quantity=10, idempotencyKey=key)
    other = await place(api, buyer, item, quantity=11, idempotencyKey=key)
    assert other["order"] is None
    assert [(e["code"], e["field"]) for e in other["userErrors"]] == [
        ("CONFLICT", ["input", "idempotencyKey"])
    ]
    assert len(await orders_of(api, item.supplier_key)) == 1


async def test_keys_are_scoped_to_the_user(api: Api) -> None:
    item = await listing(api)
    key = unique("idem")
    one = await place(api, api.token(role="buyer"), item, idempotencyKey=key)
    two = await place(api, api.token(role="buyer"), item, idempotencyKey=key)
    assert one["order"]["id"] != two["order"]["id"]


@pytest.mark.parametrize("key", ["short", "x" * 129, "has space!", "ключ-ключ-ключ"])
async def test_a_malformed_key_is_invalid(api: Api, key: str) -> None:
    item = await listing(api)
    payload = await place(api, api.token(role="buyer"), item, idempotencyKey=key)
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("INVALID", ["input", "idempotencyKey"])
    ]


async def test_an_attempt_that_ended_in_user_errors_stores_nothing(api: Api) -> None:
    # given an attempt below the MOQ
    item = await listing(api, tiers=[[20, 100]])
    buyer, key = api.token(role="buyer"), unique("idem")
    failed = await place(api, buyer, item, quantity=5, idempotencyKey=key)
    assert failed["userErrors"][0]["code"] == "INVALID"
    # when the app corrects the quantity and retries with the same key
    fixed = await place(api, buyer, item, quantity=20, idempotencyKey=key)
    # then it is placed, not a conflict
    assert fixed["userErrors"] == []
    assert fixed["order"]["total"]["amount"] == "20.00"


async def test_of_two_concurrent_requests_with_one_key_one_places_and_both_get_it(api: Api) -> None:
    # given a buyer whose app sends its first requests at once (its account is made by the first of them)
    item = await listing(api)
    buyer, key = api.token(role="buyer"), unique("idem")
    # when four of them place with one key
    results = await asyncio.gather(*(place(api, buyer, item, idempotencyKey=key) for _ in range(4)))
    # then one order is placed and all four answer it
    assert {r["order"]["id"] for r in results} == {results[0]["order"]["id"]}
    assert all(r["userErrors"] == [] for r in results)
    assert len(await orders_of(api, item.supplier_key)) == 1
    assert len(await outbox_entries(api, "notify", order_key(results[0]["order"]["id"]))) <= 1


async def test_add_shipment_replays_conflicts_and_dedupes_tracking_numbers(api: Api) -> None:
    # given
    _, supplier, order_id = await order_in(api, "CONFIRMED")
    key, number = unique("ship"), unique("TRK")
    # when
    first = await ship(api, supplier, order_id, "DHL", number, idempotencyKey=key)
    replay = await ship(api, supplier, order_id, "DHL", number, idempotencyKey=key)
    conflict = await ship(api, supplier, order_id, "DHL", unique("TRK"), idempotencyKey=key)
    same_parcel = await ship(api, supplier, order_id, "dhl", number)
    # then
    assert replay == first
    assert [(e["code"], e["field"]) for e in conflict["userErrors"]] == [
        ("CONFLICT", ["input", "idempotencyKey"])
    ]
    assert [s["id"] for s in same_parcel["order"]["shipments"]] == [
        s["id"] for s in first["order"]["shipments"]
    ]
    assert len(first["order"]["shipments"]) == 1
    assert first["order"]["shipments"][0]["status"] == "INFO_RECEIVED"
    bad = await ship(api, supplier, order_id, "DHL", number, idempotencyKey="bad key")
    assert [(e["code"], e["field"]) for e in bad["userErrors"]] == [("INVALID", ["input", "idempotencyKey"])]
