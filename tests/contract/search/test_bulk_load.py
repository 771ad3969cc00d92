"""The bulk path of a rebuild on every engine: same results as ordinary writes, versions still kept."""

import dataclasses

from search.port import ArticleQuery, ProductQuery
from tests.contract.search.catalog import build_articles, build_products, build_suppliers, matching
from tests.contract.search.conftest import EngineFactory

PRODUCTS = build_products()


async def test_a_bulk_load_after_reset_makes_every_document_searchable(new_engine: EngineFactory) -> None:
    # given: an engine holding something before the rebuild
    engine = await new_engine()
    await engine.index_products(PRODUCTS[:10])
    await engine.reset()
    # when
    async with engine.bulk_load():
        await engine.index_products(PRODUCTS[:150])
        await engine.index_products(PRODUCTS[150:])
        await engine.index_suppliers(build_suppliers())
        await engine.index_articles(build_articles())
    # then: visible at once, counted exactly, filters exact
    query = ProductQuery(has_video=True, price_max=50_000, first=500)
    found = await engine.search_products(query)
    assert await engine.count("product") == len(PRODUCTS)
    assert found.total == len(matching(PRODUCTS, query))
    assert {h.id for h in found.hits} == {d.id for d in matching(PRODUCTS, query)}
    articles = await engine.search_articles(ArticleQuery(first=100))
    assert articles.total == len([a for a in build_articles() if a.status == "PUBLISHED"])


async def test_versions_written_in_bulk_still_refuse_older_writes_afterwards(
    new_engine: EngineFactory,
) -> None:
    # given
    engine = await new_engine()
    newer = dataclasses.replace(PRODUCTS[0], version=5, titles={"en": "Quartzite grinder"})
    await engine.reset()
    async with engine.bulk_load():
        await engine.index_products([newer])
    # when: an outbox entry replayed late writes version 3
    await engine.index_products([dataclasses.replace(newer, version=3, titles={"en": "Basalt grinder"})])
    await engine.refresh()
    # then
    assert [h.id for h in (await engine.search_products(ProductQuery(text="quartzite"))).hits] == [newer.id]
    assert (await engine.search_products(ProductQuery(text="basalt"))).total == 0
