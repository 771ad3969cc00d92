"""Who sees which order: order(id), node(id), mutations on others' orders, the buyer summary."""

from __future__ import annotations

from app.domain.ids import to_global_id
from tests.api.harness import Api, unique
from tests.api.test_orders_support import (
    listing,
    order_in,
    placed,
    set_status,
    ship,
    signed_in,
    supplier_token,
    tracking,
)

NODE = "query Node($id: ID!) { node(id: $id) { __typename id } }"


async def node(api: Api, token: str | None, global_id: str) -> object:
    body = (await api.post(NODE, {"id": global_id}, token=token, operation_name="Node")).json()
    assert "errors" not in body, body
    return body["data"]["node"]


async def test_the_buyer_and_the_suppliers_users_read_the_order_and_nobody_else(api: Api) -> None:
    # given
    item = await listing(api)
    buyer, supplier = api.token(role="buyer"), supplier_token(api, item)
    order_id = await placed(api, buyer, item)
    outsiders = [
        api.token(role="buyer"),
        supplier_token(api, await listing(api)),
        api.token(role="supplier"),
        api.token(role="editor"),
    ]
    # then
    assert (await tracking(api, buyer, order_id))["id"] == order_id
    mine = await api.gql("SupplierOrder", {"id": order_id}, token=supplier)
    assert mine["data"]["order"]["id"] == order_id
    for token in outsiders:
        body = await api.gql("OrderTracking", {"id": order_id}, token=token)
        assert body == {**body, "data": {"order": None}} and "errors" not in body
        assert await node(api, token, order_id) is None
    assert await node(api, buyer, order_id) == {"__typename": "Order", "id": order_id}


async def test_unknown_foreign_or_malformed_ids_read_as_null(api: Api) -> None:
    buyer = api.token(role="buyer")
    for order_id in (to_global_id("Order", unique("nope")), to_global_id("Product", "x"), "%%%"):
        body = await api.gql("OrderTracking", {"id": order_id}, token=buyer)
        assert body["data"] == {"order": None} and "errors" not in body


async def test_anonymous_order_is_unauthenticated(api: Api) -> None:
    body = await api.gql("OrderTracking", {"id": to_global_id("Order", "x")})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_a_shipment_node_is_visible_exactly_when_its_order_is(api: Api) -> None:
    buyer, supplier, order_id = await order_in(api, "CONFIRMED")
    shipment_id = (await ship(api, supplier, order_id))["order"]["shipments"][0]["id"]
    assert await node(api, buyer, shipment_id) == {"__typename": "Shipment", "id": shipment_id}
    assert await node(api, supplier, shipment_id) == {"__typename": "Shipment", "id": shipment_id}
    assert await node(api, api.token(role="buyer"), shipment_id) is None


async def test_mutations_on_someone_elses_order_are_not_found_and_change_nothing(api: Api) -> None:
    # given an order, a stranger buyer and another supplier
    buyer, _, order_id = await order_in(api, "CONFIRMED")
    stranger, other_supplier = api.token(role="buyer"), supplier_token(api, await listing(api))
    # when
    cancel = await api.gql("CancelOrder", {"input": {"orderId": order_id}}, token=stranger)
    confirm = await api.gql("ConfirmReceipt", {"orderId": order_id}, token=stranger)
    status = await set_status(api, other_supplier, order_id, "IN_PRODUCTION")
    shipment = await ship(api, other_supplier, order_id)
    unattached = await set_status(api, api.token(role="supplier"), order_id, "IN_PRODUCTION")
    # then
    assert cancel["data"]["cancelOrder"]["userErrors"][0] | {"message": ""} == {
        "code": "NOT_FOUND",
        "field": ["input", "orderId"],
        "message": "",
    }
    assert [(e["code"], e["field"]) for e in confirm["data"]["confirmReceipt"]["userErrors"]] == [
        ("NOT_FOUND", ["orderId"])
    ]
    for payload in (status, shipment, unattached):
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
            ("NOT_FOUND", ["input", "orderId"])
        ]
    order = await tracking(api, buyer, order_id)
    assert order["status"] == "CONFIRMED" and order["shipments"] == []


async def test_roles_that_may_never_call_a_mutation_get_forbidden(api: Api) -> None:
    buyer, supplier, order_id = await order_in(api, "CONFIRMED")
    assert [e["code"] for e in (await set_status(api, buyer, order_id, "IN_PRODUCTION"))["userErrors"]] == [
        "FORBIDDEN"
    ]
    assert [e["code"] for e in (await ship(api, buyer, order_id))["userErrors"]] == ["FORBIDDEN"]
    cancel = await api.gql("CancelOrder", {"input": {"orderId": order_id}}, token=supplier)
    assert [(e["code"], e["field"]) for e in cancel["data"]["cancelOrder"]["userErrors"]] == [
        ("FORBIDDEN", None)
    ]


async def test_buyer_summary_is_the_buyers_viewer_id_and_profile(api: Api) -> None:
    # given a buyer with a profile
    item = await listing(api)
    buyer, supplier = api.token(role="buyer"), supplier_token(api, item)
    await api.gql("UpdateProfile", {"input": {"displayName": "Ana Ruiz", "country": "ES"}}, token=buyer)
    viewer_id = await signed_in(api, buyer)
    order_id = await placed(api, buyer, item)
    # then
    summary = (await api.gql("SupplierOrder", {"id": order_id}, token=supplier))["data"]["order"]["buyer"]
    assert summary == {"id": viewer_id, "displayName": "Ana Ruiz", "country": "ES"}
    # and once the buyer deletes the account, the supplier keeps an anonymous order
    await api.gql("DeleteAccount", {"confirm": True}, token=buyer)
    after = (await api.gql("SupplierOrder", {"id": order_id}, token=supplier))["data"]["order"]
    assert after["buyer"] == {"id": viewer_id, "displayName": None, "country": None}
    assert after["lines"][0]["title"] == "Oak desk lamp"


async def test_order_lines_show_the_product_and_the_supplier(api: Api) -> None:
    item = await listing(api)
    buyer = api.token(role="buyer")
    order_id = await placed(api, buyer, item)
    order = await tracking(api, buyer, order_id)
    assert order["lines"][0]["product"]["id"] == item.product_id
    assert order["lines"][0]["product"]["coverImage"]["url"]
    assert order["supplier"]["id"] == item.supplier_id
    assert order["supplier"]["country"] == "CN"
    assert order["tradeAssurance"] in (True, False)
    assert order["shippingAddress"]["country"] == "ES"
    spanish = await api.gql("OrderTracking", {"id": order_id}, token=buyer, headers={"Accept-Language": "es"})
    assert spanish["data"]["order"]["lines"][0]["title"] == "Lámpara de escritorio de roble"
