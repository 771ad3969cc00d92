"""Supplier pages over HTTP: profile, service index, verticals, keyset product pages, round trips."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.domain.ids import to_global_id
from app.domain.suppliers import Supplier
from tests.api.harness import Api, _on_server, next_seq, unique

SEEDED = [f"s-{i:06d}" for i in range(24)]


async def seeded_suppliers(api: Api) -> list[Supplier]:
    repos = api.state.engines.ports.repos  # type: ignore[union-attr]
    found: list[Supplier | None] = await _on_server(api, repos.suppliers.get_many(SEEDED))
    return [s for s in found if s is not None]


async def supplier_page(
    api: Api, key: str, first: int, after: str | None = None, **kwargs: Any
) -> dict[str, Any]:
    variables = {"id": to_global_id("Supplier", key), "first": first, "after": after}
    return await api.gql("SupplierPage", variables, **kwargs)


async def supplier_with_products(api: Api, count: int) -> tuple[Supplier, list[str]]:
    """A new supplier of this test with `count` products, written through the catalog use cases."""
    assert api.state.engines is not None and api.state.runner is not None
    repos, catalog = api.state.engines.ports.repos, api.state.runner.services.catalog
    template = (await seeded_suppliers(api))[0]
    supplier = replace(template, key=unique("s"), seq=next_seq(), name=unique("Supplier"))
    await _on_server(api, catalog.put_supplier(supplier))
    [product] = await _on_server(api, repos.products.get_many(["p-0000001"]))
    keys = []
    for index in range(count):
        made = replace(
            product,
            key=unique("p"),
            seq=next_seq(),
            supplier_key=supplier.key,
            created_at=product.created_at + index,
        )
        await _on_server(api, catalog.put_product(made))
        keys.append(made.key)
    return supplier, keys


async def test_supplier_page_shows_profile_service_index_and_verticals(api: Api) -> None:
    # given
    supplier = next(s for s in await seeded_suppliers(api) if s.response_rate is not None and s.certificates)
    # when
    body = await supplier_page(api, supplier.key, 5, headers={"Accept-Language": "zh"})
    # then
    page = body["data"]["supplier"]
    assert "errors" not in body
    assert page["name"] == supplier.name
    assert page["country"] == supplier.country
    assert page["responseRate"] == supplier.response_rate
    assert page["medianResponseMinutes"] == supplier.median_response_minutes
    index = page["serviceIndex"]
    parts = [
        index[k]
        for k in (
            "informationDisplay",
            "opportunityAcquisition",
            "opportunityHandling",
            "transactionFulfillment",
        )
    ]
    assert all(0 <= part <= 25 for part in parts)
    assert index["total"] == sum(parts)
    assert [c["name"] for c in page["certificates"]] == [c.name for c in supplier.certificates]
    assert [v["id"] for v in page["verticals"]] == [
        to_global_id("Vertical", k) for k in supplier.vertical_keys
    ]
    assert all(not v["name"].isascii() for v in page["verticals"])
    assert page["viewerFollows"] is False


async def test_unknown_response_figures_are_null(api: Api) -> None:
    supplier = next(s for s in await seeded_suppliers(api) if s.response_rate is None)
    page = (await supplier_page(api, supplier.key, 1))["data"]["supplier"]
    assert page["responseRate"] is None
    assert page["medianResponseMinutes"] is None


async def test_supplier_products_page_newest_first_without_repeats(api: Api) -> None:
    # given
    supplier, made = await supplier_with_products(api, 30)
    # when: pages of 7 followed to the end
    seen: list[str] = []
    after = None
    for _ in range(50):
        products = (await supplier_page(api, supplier.key, 7, after))["data"]["supplier"]["products"]
        seen += [e["node"]["id"] for e in products["edges"]]
        if not products["pageInfo"]["hasNextPage"]:
            break
        after = products["pageInfo"]["endCursor"]
    # then
    assert seen == [to_global_id("Product", key) for key in reversed(made)]


async def test_supplier_page_round_trips_do_not_grow_with_the_page(api: Api) -> None:
    # given
    supplier, _ = await supplier_with_products(api, 55)
    token = api.token(role="buyer")
    await api.gql("Viewer", token=token)
    # Asked once before, with no write pending: how many calls a batch takes depends on what the
    # entity memo holds and whether its collection changed since.
    await api.drain_outbox()
    await supplier_page(api, supplier.key, 50, token=token)
    # when
    small = await supplier_page(api, supplier.key, 5, token=token)
    large = await supplier_page(api, supplier.key, 50, token=token)
    # then
    assert len(large["data"]["supplier"]["products"]["edges"]) == 50
    assert small["extensions"]["stats"]["storeCalls"] == large["extensions"]["stats"]["storeCalls"]


async def test_first_above_100_or_a_foreign_cursor_is_bad_user_input(api: Api) -> None:
    # given: a cursor issued for another supplier's list
    one, other = (await seeded_suppliers(api))[:2]
    cursor = (await supplier_page(api, one.key, 1))["data"]["supplier"]["products"]["pageInfo"]["endCursor"]
    # when
    too_many = await supplier_page(api, one.key, 101)
    foreign = await supplier_page(api, other.key, 5, cursor)
    forged = await supplier_page(api, one.key, 5, "bm90LWEtY3Vyc29y")
    # then
    for body in (too_many, foreign, forged):
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]


async def test_supplier_cursors_are_public_so_they_work_for_anyone(api: Api) -> None:
    supplier = (await seeded_suppliers(api))[0]
    cursor = (await supplier_page(api, supplier.key, 1))["data"]["supplier"]["products"]["pageInfo"][
        "endCursor"
    ]
    body = await supplier_page(api, supplier.key, 1, cursor, token=api.token(role="buyer"))
    assert "errors" not in body


async def test_malformed_or_unknown_supplier_ids_are_null_without_error(api: Api) -> None:
    for given in ("%%%", to_global_id("Product", "s-000001"), to_global_id("Supplier", "s-missing")):
        body = (await api.post("query($id: ID!) { supplier(id: $id) { id } }", {"id": given})).json()
        assert body["data"] == {"supplier": None}
        assert "errors" not in body


async def test_viewer_supplier_is_the_supplier_of_a_supplier_user_only(api: Api) -> None:
    # given
    supplier = (await seeded_suppliers(api))[3]
    query = "query { viewer { supplier { id name } } }"
    attached = api.token(role="supplier", supplier=to_global_id("Supplier", supplier.key))
    # when
    mine = (await api.post(query, token=attached)).json()["data"]["viewer"]["supplier"]
    unattached = (await api.post(query, token=api.token(role="supplier"))).json()["data"]["viewer"][
        "supplier"
    ]
    buyer = (await api.post(query, token=api.token(role="buyer"))).json()["data"]["viewer"]["supplier"]
    # then
    assert mine == {"id": to_global_id("Supplier", supplier.key), "name": supplier.name}
    assert unattached is None
    assert buyer is None
