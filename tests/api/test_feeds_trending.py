"""trending: HOT by engagement over 24 hours, RISING by growth, each viewer counted once an hour."""

from __future__ import annotations

import time
from typing import Any

from app.domain.ids import key_of
from app.store.engagement import counter_key
from tests.api.harness import Api
from tests.api.test_feeds_support import event, on_server, ports, products_of, track, verticals


async def trends(api: Api, kind: str, vertical: str | None = None) -> dict[str, dict[str, Any]]:
    """Read signed in: these tests read just after their events, and the response cache answers an
    anonymous reader with scores up to a minute old."""
    variables = {"kind": kind, "first": 100, "vertical": vertical}
    body = await api.gql("Trending", variables, token=api.token(role="buyer"))
    assert "errors" not in body, body
    return {entry["product"]["id"]: entry for entry in body["data"]["trending"]}


def score(found: dict[str, dict[str, Any]], product_id: str) -> float:
    return float(found[product_id]["score"]) if product_id in found else 0.0


async def insert_previous_day(api: Api, product_id: str, vertical_id: str, count: int) -> None:
    """Engagement of 30 hours ago: older than the API accepts, so written to the counters directly."""
    key, vertical = key_of(product_id, "Product"), key_of(vertical_id, "Vertical")
    assert key is not None and vertical is not None
    hour = int(time.time() * 1000) // 3_600_000 - 30
    hourly = ports(api).repos.database.collection("engagement_hourly")
    doc = {
        "_id": counter_key("Product", key, hour),
        "subject_type": "Product",
        "subject_key": key,
        "vertical_keys": [vertical],
        "hour": hour,
        "count": count,
    }
    await on_server(api, hourly.insert_one(doc))


async def test_hot_ranks_by_distinct_viewers_and_a_script_cannot_push_an_item_up(api: Api) -> None:
    # given
    vertical = (await verticals(api))[10]["id"]
    products = await products_of(api, vertical, 8)
    liked, scripted = products[5]["id"], products[6]["id"]
    before = await trends(api, "HOT", vertical)
    # when
    for _ in range(3):
        await track(api, [event(liked), event(liked, kind="DWELL", durationMs=3000)], api.token(role="buyer"))
    script = api.token(role="buyer")
    for _ in range(4):
        await track(
            api, [event(scripted), event(scripted, kind="SAVE"), event(scripted, kind="VIDEO_PLAY")], script
        )
    await track(api, [event(scripted, kind="IMPRESSION") for _ in range(20)], api.token(role="buyer"))
    after = await trends(api, "HOT", vertical)
    # then
    assert score(after, liked) == score(before, liked) + 3
    assert score(after, scripted) == score(before, scripted) + 1
    assert all(entry["growth"] is None for entry in after.values())
    order = list(after)
    assert order.index(liked) < order.index(scripted)


async def test_anonymous_viewers_are_counted_once_per_client_ip_and_hour(api: Api) -> None:
    vertical = (await verticals(api))[10]["id"]
    product = (await products_of(api, vertical, 8))[7]["id"]
    before = score(await trends(api, "HOT"), product)
    for _ in range(3):
        await track(api, [event(product)])
    assert score(await trends(api, "HOT"), product) == before + 1


async def test_trending_of_a_vertical_holds_only_its_products(api: Api) -> None:
    vertical = (await verticals(api))[10]["id"]
    own = {p["id"] for p in await products_of(api, vertical, 100)}
    found = await trends(api, "HOT", vertical)
    assert found
    assert set(found) <= own


async def test_rising_ranks_by_growth_above_a_minimum_base(api: Api) -> None:
    # given
    vertical = (await verticals(api))[11]["id"]
    products = await products_of(api, vertical, 9)
    rising, tiny, falling = (p["id"] for p in products[6:9])
    await insert_previous_day(api, rising, vertical, 1)
    await insert_previous_day(api, falling, vertical, 10)
    # when
    for viewers, product in ((4, rising), (2, tiny), (4, falling)):
        for _ in range(viewers):
            await track(api, [event(product)], api.token(role="buyer"))
    found = await trends(api, "RISING", vertical)
    # then
    assert found[rising]["growth"] == 3.0
    assert found[rising]["score"] == 4.0
    assert tiny not in found
    assert falling not in found
    growths = [entry["growth"] for entry in found.values()]
    assert growths == sorted(growths, reverse=True)


async def test_trending_refuses_an_unknown_vertical_and_first_above_100(api: Api) -> None:
    unknown = await api.gql("Trending", {"kind": "HOT", "first": 5, "vertical": "nope"})
    assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = (await api.post("query { trending(first: 101) { score } }")).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
