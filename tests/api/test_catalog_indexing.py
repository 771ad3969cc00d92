"""Catalog search indexing: a seeded app is searchable, changes reach search via the outbox, reindex."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from app.seed.reindex import rebuild
from app.services.container import Services
from search.port import ProductQuery
from search.tantivy_engine import open_tantivy
from tests.api.harness import Api, _on_server, next_seq, unique


def parts(api: Api) -> tuple[Any, Services]:
    assert api.state.engines is not None and api.state.runner is not None
    return api.state.engines.ports, api.state.runner.services


async def test_a_seeded_app_is_searchable_by_vertical(api: Api) -> None:
    ports, _ = parts(api)
    [product] = await _on_server(api, ports.repos.products.get_many(["p-0000005"]))
    hits = await _on_server(
        api, ports.search.search_products(ProductQuery(vertical_id=product.vertical_key, first=100))
    )
    assert hits.total > 0
    assert all(hit.id.startswith("p-") for hit in hits.hits)


async def test_a_product_change_reaches_search_through_the_outbox(api: Api) -> None:
    # given: a new word in a product's English title
    ports, services = parts(api)
    word = unique("zorblat").replace("-", "")
    [product] = await _on_server(api, ports.repos.products.get_many(["p-0000007"]))
    changed = replace(product, titles={**product.titles, "en": f"{product.titles['en']} {word}"})
    # when
    written = await _on_server(api, services.catalog.put_product(changed))
    await api.drain_outbox()
    # then
    hits = await _on_server(api, ports.search.search_products(ProductQuery(text=word)))
    assert written.version == product.version + 1
    assert [hit.id for hit in hits.hits] == [product.key]


async def test_an_older_version_never_replaces_a_newer_one_in_the_index(api: Api) -> None:
    # given: the index holds version N+1 with a new word
    ports, services = parts(api)
    word = unique("quaxel").replace("-", "")
    [product] = await _on_server(api, ports.repos.products.get_many(["p-0000008"]))
    await _on_server(api, services.catalog.put_product(replace(product, titles={"en": f"Lamp {word}"})))
    await api.drain_outbox()
    # when: the handler runs again (a retry) and an old document is written directly
    await _on_server(api, services.indexing.handle({"kind": "product", "key": product.key}))
    await _on_server(api, services.indexing.index_products([product]))
    await _on_server(api, ports.search.refresh())
    # then
    hits = await _on_server(api, ports.search.search_products(ProductQuery(text=word)))
    assert [hit.id for hit in hits.hits] == [product.key]


async def test_supplier_response_figures_update_the_supplier_page_and_its_index_entry(api: Api) -> None:
    # given
    ports, services = parts(api)
    from app.domain.ids import to_global_id

    supplier_id = to_global_id("Supplier", "s-000009")
    # when
    assert await _on_server(api, services.catalog.update_response_stats("s-000009", 0.875, 42))
    await api.drain_outbox()
    body = await api.post(
        "query($id: ID!) { supplier(id: $id) { responseRate medianResponseMinutes } }", {"id": supplier_id}
    )
    # then
    assert body.json()["data"]["supplier"] == {"responseRate": 0.875, "medianResponseMinutes": 42}
    # every supplier: other suites' newer suppliers may come before the seeded one
    everyone = await _on_server(api, ports.repos.suppliers.count())
    candidates = await _on_server(api, ports.search.candidates("supplier", None, "NEW", everyone))
    assert "s-000009" in {c.id for c in candidates}
    assert not await _on_server(api, services.catalog.update_response_stats("s-missing", 0.5, 10))


async def test_rebuild_indexes_every_product_and_supplier_from_the_store(api: Api, tmp_path: Path) -> None:
    # given: a fresh index beside the shared one (a rebuild resets every index it writes)
    ports, _ = parts(api)
    fresh = open_tantivy(str(tmp_path / "search"))
    try:
        # when
        counts = await _on_server(api, rebuild(replace(ports, search=fresh)))
        # then
        assert counts["product"] == await _on_server(api, ports.repos.products.count())
        assert counts["supplier"] == await _on_server(api, ports.repos.suppliers.count())
        assert await _on_server(api, fresh.count("product")) == counts["product"]
        assert await _on_server(api, fresh.count("supplier")) == counts["supplier"]
    finally:
        await _on_server(api, fresh.close())


async def test_a_suppliers_new_country_reaches_its_products_in_search(api: Api) -> None:
    # given: a supplier of this test with two products
    ports, services = parts(api)
    [template] = await _on_server(api, ports.repos.suppliers.get_many(["s-000010"]))
    [product] = await _on_server(api, ports.repos.products.get_many(["p-0000010"]))
    supplier = replace(template, key=unique("s"), seq=next_seq(), country="VN")
    await _on_server(api, services.catalog.put_supplier(supplier))
    made = [replace(product, key=unique("p"), seq=next_seq(), supplier_key=supplier.key) for _ in range(2)]
    for each in made:
        await _on_server(api, services.catalog.put_product(each))
    # when: the supplier moves to a country no seeded supplier has
    await _on_server(api, services.catalog.put_supplier(replace(supplier, country="ZA")))
    await api.drain_outbox()
    # then
    query = ProductQuery(vertical_id=product.vertical_key, supplier_countries=["ZA"], first=10)
    hits = await _on_server(api, ports.search.search_products(query))
    assert sorted(hit.id for hit in hits.hits) == sorted(p.key for p in made)


async def test_search_knows_the_vertical_names_from_the_start(api: Api) -> None:
    ports, _ = parts(api)
    english = await _on_server(api, ports.search.suggest("Furn", "en", 8))
    chinese = await _on_server(api, ports.search.suggest("家", "zh", 8))
    assert "Furniture" in english
    assert "家具" in chinese
