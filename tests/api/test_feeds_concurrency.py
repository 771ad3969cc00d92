"""trackEvents at the same moment: every batch is accepted, and each engagement is counted once."""

from __future__ import annotations

import asyncio

from tests.api.harness import Api, _on_server, unique
from tests.api.test_feeds_support import event, viewer_key
from tests.api.test_orders_support import listing


async def engagement_count(api: Api, product_key: str) -> int:
    hourly = api.state.engines.ports.repos.database.collection("engagement_hourly")  # type: ignore[union-attr]

    async def total() -> int:
        return sum([d["count"] async for d in hourly.find({"subject_key": product_key})])

    count: int = await _on_server(api, total())
    return count


async def events_of(api: Api, viewer: str) -> int:
    events = api.state.engines.ports.repos.database.collection("events")  # type: ignore[union-attr]
    count: int = await _on_server(api, events.count_documents({"viewer": viewer}))
    return count


async def test_buyers_viewing_one_product_at_once_are_each_counted(api: Api) -> None:
    # given four buyers and a product nobody has viewed
    item = await listing(api)
    tokens = [api.token(role="buyer") for _ in range(4)]
    await asyncio.gather(*(viewer_key(api, token) for token in tokens))
    # when they all view it at the same moment (one hourly counter for all of them)
    bodies = await asyncio.gather(
        *(api.gql("TrackEvents", {"events": [event(item.product_id)]}, token=token) for token in tokens)
    )
    # then every batch is accepted and the product counts four viewers
    assert [b.get("errors") for b in bodies] == [None] * 4
    assert [b["data"]["trackEvents"]["accepted"] for b in bodies] == [1] * 4
    assert await engagement_count(api, item.product_key) == 4


async def test_one_batch_sent_three_times_at_once_is_recorded_once(api: Api) -> None:
    # given a buyer's batch whose events carry client ids (the app resends it when it hears nothing)
    item = await listing(api)
    token = api.token(role="buyer")
    viewer = await viewer_key(api, token)
    batch = [event(item.product_id, clientEventId=unique("evt")) for _ in range(3)]
    # when three copies arrive at once
    bodies = await asyncio.gather(*(api.gql("TrackEvents", {"events": batch}, token=token) for _ in range(3)))
    # then no copy fails, the three events are recorded once between them, and the view counts once
    assert [b.get("errors") for b in bodies] == [None] * 3
    assert sum(b["data"]["trackEvents"]["accepted"] for b in bodies) == 3
    assert await events_of(api, viewer) == 3
    assert await engagement_count(api, item.product_key) == 1
