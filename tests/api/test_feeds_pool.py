"""feed candidate pools: what a write changes reaches first pages within the pool's period, articles
and the buyer's own saves at once."""

from __future__ import annotations

import time

from app.services.candidate_pool import POOL_PERIOD_MS
from app.services.feeds import FeedPage, FeedViewer
from tests.api.harness import Api, _on_server
from tests.api.test_articles_support import published
from tests.api.test_feeds_support import feed, ports
from tests.api.test_response_cache_support import new_product, product, services
from tests.api.test_search_support import eventually


async def first_page(api: Api, vertical_key: str, now: int) -> FeedPage:
    """An anonymous first page of 200 of a vertical's feed, as the server ranks it at `now`."""
    load_suppliers = ports(api).repos.suppliers.get_many
    page = services(api).feeds.page(FeedViewer(None, "-"), vertical_key, 200, None, load_suppliers, now)
    found: FeedPage = await _on_server(api, page)
    return found


async def test_a_product_written_after_its_pool_was_filled_is_ranked_once_the_period_has_passed(
    api: Api,
) -> None:
    # given: the vertical's pools are filled
    now = int(time.time() * 1000)
    vertical = (await product(api, "p-0000001")).vertical_key
    await first_page(api, vertical, now)
    # when: a product that tops the vertical's popular ones is written and indexed
    newer = await new_product(api, created_at=now, popularity=1e9)
    # then: a first page past the period refreshes the pool, and the next ones rank it
    later = now + POOL_PERIOD_MS
    page = await eventually(
        lambda: first_page(api, vertical, later), lambda p: newer.key in {i.key for i in p.items}
    )
    assert newer.key in {i.key for i in page.items}


async def test_an_article_published_after_the_pools_were_filled_is_on_the_next_first_page(
    api: Api,
) -> None:
    # given
    [vertical] = [v["id"] for v in (await api.gql("Verticals"))["data"]["verticals"][6:7]]
    await feed(api, vertical=vertical, first=50)
    # when
    article = await published(api, api.token(role="editor"), verticalId=vertical)
    await api.drain_outbox()
    # then
    page = await feed(api, api.token(role="buyer"), vertical=vertical, first=60)
    assert article["id"] in {e["node"]["id"] for e in page["edges"]}
