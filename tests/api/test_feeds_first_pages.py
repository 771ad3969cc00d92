"""First pages asked again: within the reuse period and from the same inputs, the same pinned ranking;
a buyer's own events, the period passing or another viewer rank afresh."""

from __future__ import annotations

import time

from app.domain.feeds import ItemKind
from app.domain.ids import to_global_id
from app.services.feeds import FeedPage, FeedViewer
from app.services.first_pages import REUSE_MS
from tests.api.harness import Api
from tests.api.test_articles_support import published
from tests.api.test_feeds_support import event, feed, on_server, ports, track, viewer_key
from tests.api.test_response_cache_support import services


async def first_page(api: Api, viewer: FeedViewer, now: int) -> FeedPage:
    load_suppliers = ports(api).repos.suppliers.get_many
    return await on_server(api, services(api).feeds.page(viewer, None, 20, None, load_suppliers, now))


def pinned(page: FeedPage) -> object:
    """The snapshot the page's cursors point into."""
    return page.keys[0][0]


async def buyer(api: Api) -> tuple[str, FeedViewer]:
    token = api.token(role="buyer")
    key = await viewer_key(api, token)
    return token, FeedViewer(key, key)


async def test_a_first_page_asked_again_soon_with_nothing_changed_is_the_same_pinned_ranking(
    api: Api,
) -> None:
    _, viewer = await buyer(api)
    now = int(time.time() * 1000)
    await first_page(api, viewer, now)  # pools past their period are refreshed behind this one
    for attempt in range(3):
        first = await first_page(api, viewer, now + attempt)
        again = await first_page(api, viewer, now + attempt + REUSE_MS - 1)
        if pinned(again) == pinned(first):  # unless a refresh that found something new landed between
            break
    assert pinned(again) == pinned(first)
    assert again.items == first.items


async def test_a_buyers_own_event_ranks_the_next_first_page_afresh(api: Api) -> None:
    token, viewer = await buyer(api)
    now = int(time.time() * 1000)
    first = await first_page(api, viewer, now)
    product = next(i for i in first.items if i.kind is ItemKind.PRODUCT)
    await track(api, [event(to_global_id("Product", product.key), "VIEW")], token)
    again = await first_page(api, viewer, now + 1)
    assert pinned(again) != pinned(first)


async def test_a_first_page_ranked_longer_ago_than_the_reuse_period_is_ranked_afresh(api: Api) -> None:
    _, viewer = await buyer(api)
    now = int(time.time() * 1000)
    first = await first_page(api, viewer, now)
    again = await first_page(api, viewer, now + REUSE_MS)
    assert pinned(again) != pinned(first)


async def test_two_buyers_never_share_a_first_page(api: Api) -> None:
    (_, one), (_, other) = await buyer(api), await buyer(api)
    now = int(time.time() * 1000)
    assert pinned(await first_page(api, one, now)) != pinned(await first_page(api, other, now))


async def test_an_article_published_since_is_on_the_same_buyers_next_first_page(api: Api) -> None:
    # given: the buyer's first page of a vertical, ranked a moment ago
    token = api.token(role="buyer")
    [vertical] = [v["id"] for v in (await api.gql("Verticals"))["data"]["verticals"][5:6]]
    await feed(api, token, vertical=vertical, first=60)
    # when
    article = await published(api, api.token(role="editor"), verticalId=vertical)
    await api.drain_outbox()
    # then: within the reuse period, yet ranked afresh
    page = await feed(api, token, vertical=vertical, first=60)
    assert article["id"] in {e["node"]["id"] for e in page["edges"]}
