"""placeOrder: MOQ, tier pricing, exact totals in the buyer's currency, expectedTotal, roles and NEW_ORDER."""

from __future__ import annotations

import re
from decimal import Decimal

from app.domain.money import convert
from tests.api.harness import Api, _on_server
from tests.api.test_orders_support import (
    ADDRESS,
    listing,
    order_key,
    outbox_entries,
    place,
    signed_in,
    supplier_token,
)


async def test_order_is_priced_from_the_matching_tier_with_an_exact_total(api: Api) -> None:
    # given
    item = await listing(api, tiers=[[10, 500], [100, 450], [1000, 399]])
    buyer = api.token(role="buyer")
    # when
    small = await place(api, buyer, item, quantity=99)
    middle = await place(api, buyer, item, quantity=100)
    large = await place(api, buyer, item, quantity=1001)
    # then
    assert small["order"]["total"] == {"amount": "495.00", "currency": "USD"}
    assert small["order"]["lines"] == [
        {"title": "Oak desk lamp", "quantity": 99, "unitPrice": {"amount": "5.00", "currency": "USD"}}
    ]
    assert middle["order"]["total"]["amount"] == "450.00"
    assert large["order"]["total"]["amount"] == "3993.99"
    assert large["order"]["lines"][0]["unitPrice"]["amount"] == "3.99"
    assert small["order"]["status"] == "PENDING_CONFIRMATION"


async def test_order_numbers_are_human_readable_and_unique(api: Api) -> None:
    item = await listing(api)
    buyer = api.token(role="buyer")
    numbers = [(await place(api, buyer, item))["order"]["number"] for _ in range(5)]
    assert len(set(numbers)) == 5
    assert all(re.fullmatch(r"PO-\d{6}-[2-9A-HJ-NP-Z]{8}", n) for n in numbers), numbers


async def test_order_below_moq_is_invalid_and_places_nothing(api: Api) -> None:
    # given
    item = await listing(api, tiers=[[50, 300]])
    buyer = api.token(role="buyer")
    # when
    payload = await place(api, buyer, item, quantity=49)
    # then
    assert payload["order"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("INVALID", ["input", "quantity"])]
    body = await api.gql("MyOrders", {"first": 5}, token=buyer)
    assert body["data"]["viewer"]["orders"]["edges"] == []


async def test_a_different_expected_total_is_a_conflict_and_places_nothing(api: Api) -> None:
    item = await listing(api, tiers=[[10, 500]])
    buyer = api.token(role="buyer")
    stale = await place(api, buyer, item, quantity=10, expectedTotal="49.99")
    assert stale["order"] is None
    assert [(e["code"], e["field"]) for e in stale["userErrors"]] == [
        ("CONFLICT", ["input", "expectedTotal"])
    ]
    assert (await api.gql("MyOrders", {"first": 5}, token=buyer))["data"]["viewer"]["orders"]["edges"] == []
    agreed = await place(api, buyer, item, quantity=10, expectedTotal=50)
    assert agreed["userErrors"] == []
    assert agreed["order"]["total"]["amount"] == "50.00"


async def test_order_is_priced_in_the_buyers_display_currency_and_keeps_that_price(api: Api) -> None:
    # given a buyer who shows prices in euros
    item = await listing(api, tiers=[[10, 333]])
    buyer = api.token(role="buyer")
    profile = await api.gql("UpdateProfile", {"input": {"currency": "EUR"}}, token=buyer)
    assert profile["data"]["updateProfile"]["userErrors"] == []
    rates = await _on_server(api, api.state.engines.ports.repos.rates.current())  # type: ignore[union-attr]
    unit = convert(333, "USD", "EUR", rates)
    # when
    payload = await place(api, buyer, item, quantity=17)
    # then the total is quantity x the converted unit price, to the cent
    order = payload["order"]
    assert order["lines"][0]["unitPrice"] == {"amount": f"{Decimal(unit) / 100:.2f}", "currency": "EUR"}
    assert order["total"] == {"amount": f"{Decimal(unit * 17) / 100:.2f}", "currency": "EUR"}
    # and switching the display currency later does not reprice it
    await api.gql("UpdateProfile", {"input": {"currency": "USD"}}, token=buyer)
    again = await api.gql("OrderTracking", {"id": order["id"]}, token=buyer)
    assert again["data"]["order"]["total"] == order["total"]


async def test_suppliers_and_editors_may_not_place_orders(api: Api) -> None:
    item = await listing(api)
    for token in (supplier_token(api, item), api.token(role="editor")):
        payload = await place(api, token, item)
        assert payload["order"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("FORBIDDEN", None)]


async def test_unknown_or_foreign_product_id_is_not_found(api: Api) -> None:
    item = await listing(api)
    buyer = api.token(role="buyer")
    for product_id in ("bm90LWFuLWlk", item.supplier_id):
        payload = await place(api, buyer, item, productId=product_id)
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
            ("NOT_FOUND", ["input", "productId"])
        ]


async def test_anonymous_place_order_is_unauthenticated(api: Api) -> None:
    item = await listing(api)
    variables = {
        "input": {
            "productId": item.product_id,
            "quantity": 10,
            "shippingAddress": ADDRESS,
            "idempotencyKey": "k" * 10,
        }
    }
    body = await api.gql("PlaceOrder", variables)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_a_bad_shipping_country_is_invalid_at_its_path(api: Api) -> None:
    item = await listing(api)
    payload = await place(api, api.token(role="buyer"), item, shippingAddress={**ADDRESS, "country": "XX"})
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("INVALID", ["input", "shippingAddress", "country"])
    ]


async def test_the_suppliers_users_get_a_new_order_notification_with_a_push(api: Api) -> None:
    # given two users of the supplier who have used the API, and one of another supplier
    item, other = await listing(api), await listing(api)
    first, second = supplier_token(api, item), supplier_token(api, item)
    for token in (first, second, supplier_token(api, other)):
        await signed_in(api, token)
    buyer = api.token(role="buyer")
    # when
    order = (await place(api, buyer, item))["order"]
    # then one NEW_ORDER request names exactly the supplier's two users and pushes
    [entry] = await outbox_entries(api, "notify", order_key(order["id"]))
    request = entry["payload"]
    assert request["kind"] == "NEW_ORDER"
    assert len(request["recipients"]) == 2
    assert request["push"] is True
    assert request["group"] == f"order:{order_key(order['id'])}"
    assert request["params"]["number"] == order["number"]
    await api.drain_outbox()
    notifications = await api.gql("SupplierNotifications", {"first": 5}, token=first)
    if "errors" not in notifications:
        kinds = [e["node"]["kind"] for e in notifications["data"]["viewer"]["notifications"]["edges"]]
        assert kinds == ["NEW_ORDER"]
