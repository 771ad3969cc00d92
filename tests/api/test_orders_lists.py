"""Viewer.orders for buyers and suppliers: newest first, status filter, personal cursors, batched loads."""

from __future__ import annotations

from tests.api.harness import Api
from tests.api.test_orders_support import listing, placed, set_status, ship, supplier_token, tracking


async def test_my_orders_are_newest_first_and_page_without_repeats(api: Api) -> None:
    # given
    item = await listing(api)
    buyer = api.token(role="buyer")
    ids = [await placed(api, buyer, item) for _ in range(5)]
    await placed(api, api.token(role="buyer"), item)
    # when
    seen: list[str] = []
    after = None
    for _ in range(3):
        body = await api.gql("MyOrders", {"first": 2, "after": after}, token=buyer)
        orders = body["data"]["viewer"]["orders"]
        seen += [e["node"]["id"] for e in orders["edges"]]
        after = orders["pageInfo"]["endCursor"]
        if not orders["pageInfo"]["hasNextPage"]:
            break
    # then
    assert seen == list(reversed(ids))


async def test_my_orders_filter_by_status(api: Api) -> None:
    item = await listing(api)
    buyer, supplier = api.token(role="buyer"), supplier_token(api, item)
    confirmed, pending = await placed(api, buyer, item), await placed(api, buyer, item)
    await set_status(api, supplier, confirmed, "CONFIRMED")
    body = await api.gql("MyOrders", {"first": 10, "status": "CONFIRMED"}, token=buyer)
    assert [e["node"]["id"] for e in body["data"]["viewer"]["orders"]["edges"]] == [confirmed]
    body = await api.gql("MyOrders", {"first": 10, "status": "PENDING_CONFIRMATION"}, token=buyer)
    assert [e["node"]["id"] for e in body["data"]["viewer"]["orders"]["edges"]] == [pending]


async def test_a_supplier_lists_only_its_own_orders_with_their_buyers(api: Api) -> None:
    item, other = await listing(api), await listing(api)
    supplier = supplier_token(api, item)
    mine = await placed(api, api.token(role="buyer"), item)
    await placed(api, api.token(role="buyer"), other)
    await set_status(api, supplier, mine, "CONFIRMED")
    await ship(api, supplier, mine, "DHL", "JD0001")
    body = await api.gql("SupplierOrders", {"first": 10}, token=supplier)
    [edge] = body["data"]["viewer"]["orders"]["edges"]
    assert edge["node"]["id"] == mine
    assert edge["node"]["buyer"]["id"].startswith("V")
    assert edge["node"]["shipments"][0]["trackingNumber"] == "JD0001"


async def test_a_cursor_of_one_viewer_is_refused_for_another(api: Api) -> None:
    item = await listing(api)
    buyer = api.token(role="buyer")
    for _ in range(2):
        await placed(api, buyer, item)
    cursor = (await api.gql("MyOrders", {"first": 1}, token=buyer))["data"]["viewer"]["orders"]["pageInfo"][
        "endCursor"
    ]
    body = await api.gql("MyOrders", {"first": 1, "after": cursor}, token=api.token(role="buyer"))
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]


async def test_the_orders_page_loads_in_a_constant_number_of_round_trips(api: Api) -> None:
    item = await listing(api)
    buyer, supplier = api.token(role="buyer"), supplier_token(api, item)
    for _ in range(6):
        order_id = await placed(api, buyer, item)
        await set_status(api, supplier, order_id, "CONFIRMED")
        await ship(api, supplier, order_id)
    # Asked once before, with no write pending: how many calls a batch takes depends on what the
    # entity memo holds and whether its collection changed since.
    await api.drain_outbox()
    await api.gql("MyOrders", {"first": 6}, token=buyer)
    small = await api.gql("MyOrders", {"first": 2}, token=buyer)
    large = await api.gql("MyOrders", {"first": 6}, token=buyer)
    assert len(large["data"]["viewer"]["orders"]["edges"]) == 6
    assert small["extensions"]["stats"]["storeCalls"] == large["extensions"]["stats"]["storeCalls"]


async def test_demo_buyers_have_seeded_orders_with_consistent_stories(api: Api) -> None:
    token = api.token("demo-buyer-3")
    body = await api.gql("MyOrders", {"first": 20}, token=token)
    edges = body["data"]["viewer"]["orders"]["edges"]
    assert edges
    for edge in edges:
        order = await tracking(api, token, edge["node"]["id"])
        statuses = [t["status"] for t in order["timeline"]]
        assert statuses[0] == "PENDING_CONFIRMATION" and statuses[-1] == order["status"]
        assert [t["at"] for t in order["timeline"]] == sorted(t["at"] for t in order["timeline"])
        assert bool(order["shipments"]) == ("SHIPPED" in statuses)
