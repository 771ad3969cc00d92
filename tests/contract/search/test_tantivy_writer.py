"""tantivy's one writer per index: a second opener reads only, and sees the writer's commits."""

import dataclasses
from pathlib import Path

import pytest

from search.port import ProductQuery, SearchUnavailable
from search.tantivy_engine import open_tantivy
from tests.contract.search.catalog import build_products


async def test_a_second_opener_is_read_only_and_sees_the_writers_commits(tmp_path: Path) -> None:
    # given
    writer = open_tantivy(tmp_path)
    reader = open_tantivy(tmp_path)
    doc = dataclasses.replace(build_products(1)[0], titles={"en": "Ceramic teapot"})

    # when
    await writer.index_products([doc])
    await reader.refresh()

    # then
    assert not writer.read_only and reader.read_only
    assert [h.id for h in (await reader.search_products(ProductQuery(text="teapot"))).hits] == [doc.id]
    with pytest.raises(SearchUnavailable, match="read-only"):
        await reader.index_products([doc])
    await reader.close()
    await writer.close()


async def test_a_reader_answers_a_repeated_search_from_the_writers_newest_commit(tmp_path: Path) -> None:
    # given: a read-only opener (as the API beside the worker) that has answered a search
    writer = open_tantivy(tmp_path)
    reader = open_tantivy(tmp_path)
    first, second = (dataclasses.replace(d, titles={"en": "Ceramic teapot"}) for d in build_products(2))
    await writer.index_products([first])
    query = ProductQuery(text="teapot", facets=True)
    assert [h.id for h in (await reader.search_products(query)).hits] == [first.id]

    # when: the writer commits another product (the reader is not told to refresh)
    await writer.index_products([second])

    # then: the reader's next identical search includes it at once
    assert (await reader.search_products(query)).total == 2
    await reader.close()
    await writer.close()
