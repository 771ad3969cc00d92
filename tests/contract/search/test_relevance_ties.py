"""tantivy relevance paging where many hits share a score: each page is found by position in tantivy's
score order, and the score level cut by a page edge is ordered by the tie key, read whole or walked."""

import dataclasses
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from search import tantivy_read
from search.port import ProductQuery
from search.tantivy_engine import TantivyEngine, open_tantivy
from search.tantivy_query import combine, text_query
from tests.contract.search.catalog import build_products

# Three title shapes, so three large score levels, interleaved in tie-key order.
TITLES = ("Brass valve", "Brass valve fitting", "Brass valve fitting for water pumps")
DOCS = [
    dataclasses.replace(d, titles={"en": TITLES[i % 3]}, descriptions={"en": "Wholesale"})
    for i, d in enumerate(build_products(count=240))
]


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[TantivyEngine]:
    engine = open_tantivy(tmp_path / "search")
    await engine.index_products(DOCS)
    await engine.refresh()
    yield engine
    await engine.close()


@pytest.fixture(params=["read", "walk"])
def level_strategy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "walk":
        # Levels larger than the read window are walked in tie-key order, a few keys per chunk.
        monkeypatch.setattr(tantivy_read, "LEVEL_READ", 8)
        monkeypatch.setattr(tantivy_read, "WALK_CHUNK", 5)
    yield str(request.param)


def expected_order(engine: TantivyEngine, text: str) -> list[str]:
    """Every match scored by one tantivy search, sorted here by (score desc, tie key desc)."""
    ix = engine._indexes["product"]
    searcher = ix.searcher()
    query = combine(text_query(ix.schema, text, "en", specs=True), [])
    found = searcher.search(query, limit=1000, count=False).hits
    ties = searcher.fast_field_values(tantivy_read.RELEVANCE_TIE_FIELD, [a for _, a in found])
    ranked = sorted(zip(found, ties, strict=True), key=lambda p: (-p[0][0], -int(p[1] or 0)))
    return [str(searcher.doc(address).get_first("id")) for (_, address), _ in ranked]


@pytest.mark.parametrize("page_size", [1, 7, 80, 239])
async def test_pages_follow_score_then_tie_key_without_repeat_or_skip(
    engine: TantivyEngine, level_strategy: str, page_size: int
) -> None:
    # given
    expected = expected_order(engine, "brass valve")
    query = ProductQuery(text="brass valve", sort="RELEVANCE", count=False)

    # when
    ids: list[str] = []
    after = None
    for _ in range(len(DOCS) + 1):
        page = await engine.search_products(dataclasses.replace(query, first=page_size, after=after))
        ids += [h.id for h in page.hits]
        if len(page.hits) < page_size:
            break
        after = json.loads(json.dumps(page.hits[-1].sort_key))

    # then
    assert len(expected) == len(DOCS)
    assert ids == expected


async def test_total_is_counted_only_when_asked(engine: TantivyEngine) -> None:
    counted = await engine.search_products(ProductQuery(text="brass", first=5))
    uncounted = await engine.search_products(ProductQuery(text="brass", first=5, count=False))

    assert counted.total == len(DOCS)
    assert uncounted.total == 5
    assert [h.id for h in counted.hits] == [h.id for h in uncounted.hits]
