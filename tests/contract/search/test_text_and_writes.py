"""Text matching, highlights, suggest, articles, feed candidates and versioned writes on every engine."""

import dataclasses
import html
import re

from search.port import ArticleDoc, ArticleQuery, ProductDoc, ProductQuery, SearchEngine
from tests.contract.search.catalog import (
    CHINESE_TITLE,
    SPECIAL_TITLE,
    build_articles,
    build_products,
    build_suppliers,
)
from tests.contract.search.conftest import EngineFactory

PRODUCTS = build_products()
SYNTAX = '" ( ) : * ~ - + ^ [ ] { } \\ /'


def product(doc_id: str, title: str, version: int = 1, seq: int = 1) -> ProductDoc:
    return dataclasses.replace(
        PRODUCTS[0], id=doc_id, version=version, seq=seq, titles={"en": title}, descriptions={}, specs_text=""
    )


async def test_a_one_letter_typo_in_a_long_word_still_finds_it(catalog: SearchEngine) -> None:
    expected = {d.id for d in PRODUCTS if "excavator" in d.titles["en"].lower()}

    result = await catalog.search_products(ProductQuery(text="excavatr", first=500))

    assert expected and expected <= {h.id for h in result.hits}


async def test_exact_matches_rank_above_typo_matches(new_engine: EngineFactory) -> None:
    # given
    engine = await new_engine()
    await engine.index_products(
        [product("p-typo", "Mixed nuts", seq=1), product("p-exact", "Mixer tap", seq=2)]
    )
    await engine.refresh()

    # when
    result = await engine.search_products(ProductQuery(text="mixer"))

    # then
    assert [h.id for h in result.hits] == ["p-exact", "p-typo"]


async def test_the_last_word_matches_as_a_prefix_while_typing(catalog: SearchEngine) -> None:
    expected = {d.id for d in PRODUCTS if d.titles["en"].lower().startswith("stainless excavator")}

    result = await catalog.search_products(ProductQuery(text="stainless excav", first=500))

    assert expected and expected <= {h.id for h in result.hits}


async def test_query_syntax_characters_are_just_text(catalog: SearchEngine) -> None:
    for char in SYNTAX.split():
        result = await catalog.search_products(ProductQuery(text=f"{char}bottle{char} {char}", first=500))
        assert result.total > 0, char
    only_syntax = await catalog.search_products(ProductQuery(text=SYNTAX, first=1))
    assert only_syntax.total >= 0


async def test_highlight_is_the_escaped_title_with_em_around_matched_words(catalog: SearchEngine) -> None:
    result = await catalog.search_products(ProductQuery(text="excavator loader", first=5))

    special = next(h for h in result.hits if h.id == "p-0001")
    assert special.highlight is not None
    assert "<em>Excavator</em>" in special.highlight and "<em>Loader</em>" in special.highlight
    assert re.sub(r"</?em>", "", special.highlight) == html.escape(SPECIAL_TITLE)


async def test_a_chinese_query_finds_the_chinese_title(catalog: SearchEngine) -> None:
    result = await catalog.search_products(ProductQuery(text="保温杯", locale="zh"))

    assert [h.id for h in result.hits] == ["p-0002"]
    assert result.hits[0].highlight is not None
    assert re.sub(r"</?em>", "", result.hits[0].highlight) == CHINESE_TITLE


async def test_a_spanish_query_finds_the_spanish_title(catalog: SearchEngine) -> None:
    expected = {d.id for d in PRODUCTS if "botella" in d.titles.get("es", "")}

    result = await catalog.search_products(ProductQuery(text="botellas", locale="es", first=500))

    assert expected and expected <= {h.id for h in result.hits}


async def test_an_older_version_does_not_overwrite_a_newer_one(new_engine: EngineFactory) -> None:
    # given
    engine = await new_engine()
    await engine.index_products([product("p-v", "Titanium kettle", version=2)])
    await engine.refresh()

    # when
    await engine.index_products([product("p-v", "Copper kettle", version=1)])
    await engine.index_products([product("p-v", "Bronze kettle", version=2)])
    await engine.refresh()

    # then
    assert (await engine.search_products(ProductQuery(text="titanium"))).total == 1
    assert (await engine.search_products(ProductQuery(text="copper bronze"))).total == 0
    await engine.index_products([product("p-v", "Copper kettle", version=3)])
    await engine.refresh()
    assert [h.id for h in (await engine.search_products(ProductQuery(text="copper"))).hits] == ["p-v"]
    assert await engine.count("product") == 1


async def test_delete_removes_and_is_idempotent(new_engine: EngineFactory) -> None:
    engine = await new_engine()
    await engine.index_products([product("p-a", "Glass jar", seq=1), product("p-b", "Glass vase", seq=2)])
    await engine.refresh()

    await engine.delete("product", ["p-a", "p-missing"])
    await engine.delete("product", ["p-a"])
    await engine.refresh()

    assert [h.id for h in (await engine.search_products(ProductQuery(text="glass"))).hits] == ["p-b"]
    assert await engine.count("product") == 1


async def test_suggest_completes_vertical_names_then_popular_titles(catalog: SearchEngine) -> None:
    assert (await catalog.suggest("mach", "en", 5))[0] == "Machinery"

    titles = await catalog.suggest("compact blen", "en", 4)

    expected = sorted(
        (d for d in PRODUCTS if d.titles["en"].lower().startswith("compact blender")),
        key=lambda d: (-d.popularity, -d.seq),
    )
    assert titles == [d.titles["en"] for d in expected[:4]]


async def test_articles_match_text_and_vertical_newest_first(catalog: SearchEngine) -> None:
    articles = build_articles()
    newest = sorted(articles, key=lambda a: (-a.published_at, -a.seq))

    everything = await catalog.search_articles(ArticleQuery(first=50))
    by_vertical = await catalog.search_articles(ArticleQuery(vertical_id="v-apparel"))
    by_text = await catalog.search_articles(ArticleQuery(text="guide jacket"))

    assert [h.id for h in everything.hits] == [a.id for a in newest]
    assert [h.id for h in by_vertical.hits] == [a.id for a in newest if a.vertical_id == "v-apparel"]
    assert {h.id for h in by_text.hits} == {a.id for a in articles if "jacket" in a.titles["en"]}


async def test_unpublishing_an_article_removes_it(new_engine: EngineFactory) -> None:
    engine = await new_engine()
    article = build_articles()[0]
    await engine.index_articles([article])
    await engine.refresh()

    await engine.index_articles([dataclasses.replace(article, version=2, status="DRAFT")])
    await engine.index_articles([ArticleDoc(**{**article.__dict__, "version": 1})])
    await engine.refresh()

    assert (await engine.search_articles(ArticleQuery())).total == 0


async def test_candidates_carry_ranking_fields_in_order(catalog: SearchEngine) -> None:
    in_vertical = [d for d in PRODUCTS if d.vertical_id == "v-packaging" and d.id != "p-0003"]
    newest = sorted(in_vertical, key=lambda d: (-d.created_at, -d.seq))[:10]

    new = await catalog.candidates("product", "v-packaging", "NEW", 10, exclude_ids=["p-0003"])
    popular = await catalog.candidates("product", None, "POPULAR", 5)

    assert [c.id for c in new] == [d.id for d in newest]
    assert new[0].supplier_id == newest[0].supplier_id and new[0].created_at == newest[0].created_at
    assert new[0].vertical_ids == ("v-packaging",)
    top = sorted(PRODUCTS, key=lambda d: (-d.popularity, -d.seq))[:5]
    assert [(c.id, c.popularity) for c in popular] == [(d.id, d.popularity) for d in top]


async def test_supplier_and_article_candidates_follow_their_verticals(catalog: SearchEngine) -> None:
    suppliers = await catalog.candidates("supplier", "v-apparel", "POPULAR", 50)
    articles = await catalog.candidates("article", "v-apparel", "NEW", 50)

    expected = [s for s in build_suppliers() if "v-apparel" in s.vertical_ids]
    assert {c.id for c in suppliers} == {s.id for s in expected}
    assert all(c.supplier_id == c.id and "v-apparel" in c.vertical_ids for c in suppliers)
    assert {c.id for c in articles} == {a.id for a in build_articles() if a.vertical_id == "v-apparel"}
    assert all(c.supplier_id is None for c in articles)


async def test_a_repeated_search_sees_writes_made_since_the_first(new_engine: EngineFactory) -> None:
    # given: a search, a suggestion and feed candidates answered once (and cached, where an engine caches)
    engine = await new_engine()
    await engine.index_products([product("p-old", "Walnut stool", seq=1)])
    await engine.refresh()
    query = ProductQuery(text="walnut", facets=True)
    before = await engine.search_products(query)
    assert [h.id for h in before.hits] == ["p-old"]
    assert await engine.suggest("walnu", "en", 5) == ["Walnut stool"]
    assert [c.id for c in await engine.candidates("product", None, "NEW", 5)] == ["p-old"]

    # when: a product is indexed, and another one deleted
    await engine.index_products([product("p-new", "Walnut bench", seq=2)])
    await engine.delete("product", ["p-old"])
    await engine.refresh()

    # then: the identical requests answer from the new index
    after = await engine.search_products(query)
    assert ([h.id for h in after.hits], after.total) == (["p-new"], 1)
    assert await engine.suggest("walnu", "en", 5) == ["Walnut bench"]
    assert [c.id for c in await engine.candidates("product", None, "NEW", 5)] == ["p-new"]
