"""trackEvents: partial acceptance, the batch limit, resent events and the time window (CONTRACT.md 6)."""

from __future__ import annotations

from app.domain.ids import to_global_id
from tests.api.harness import Api, unique
from tests.api.test_feeds_support import (
    at,
    event,
    on_server,
    ports,
    products_of,
    track,
    verticals,
    viewer_key,
)


async def test_valid_events_are_recorded_and_each_invalid_one_is_reported_at_its_index(api: Api) -> None:
    # given
    vertical = (await verticals(api))[0]["id"]
    [product] = await products_of(api, vertical, 1)
    token = api.token(role="buyer")
    batch = [
        event(product["id"]),
        event("not-an-id"),
        event(to_global_id("Product", unique("missing"))),
        event(product["id"], occurredAt=at(25 * 3600)),
        event(product["id"], occurredAt=at(-10 * 60)),
        event(to_global_id("Order", "o-1")),
        event(product["id"], kind="IMPRESSION"),
    ]
    # when
    payload = await track(api, batch, token)
    # then
    assert payload["accepted"] == 2
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["events", "1", "subjectId"], "INVALID"),
        (["events", "2", "subjectId"], "NOT_FOUND"),
        (["events", "3", "occurredAt"], "INVALID"),
        (["events", "4", "occurredAt"], "INVALID"),
        (["events", "5", "subjectId"], "INVALID"),
    ]


async def test_more_than_100_events_is_bad_user_input_and_records_nothing(api: Api) -> None:
    # given
    vertical = (await verticals(api))[1]["id"]
    [product] = await products_of(api, vertical, 1)
    token = api.token(role="buyer")
    key = await viewer_key(api, token)
    # when
    body = await api.gql("TrackEvents", {"events": [event(product["id"])] * 101}, token=token)
    # then
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await on_server(api, ports(api).repos.events.of_viewer(key, 10)) == []
    viewer = (await api.gql("Viewer", token=token))["data"]["viewer"]
    assert viewer["interests"] == []


async def test_exactly_100_events_are_accepted(api: Api) -> None:
    vertical = (await verticals(api))[1]["id"]
    [product] = await products_of(api, vertical, 1)
    payload = await track(api, [event(product["id"], kind="IMPRESSION")] * 100, api.token(role="buyer"))
    assert payload == {"accepted": 100, "userErrors": []}


async def test_an_event_resent_with_its_client_event_id_is_not_counted_twice(api: Api) -> None:
    # given
    vertical = (await verticals(api))[2]["id"]
    [product] = await products_of(api, vertical, 1)
    token = api.token(role="buyer")
    client_id = unique("evt")
    first = await track(api, [event(product["id"], clientEventId=client_id)], token)
    # when
    again = await track(
        api,
        [event(product["id"], clientEventId=client_id), event(product["id"], clientEventId=unique("evt"))],
        token,
    )
    twice_in_one = await track(
        api,
        [
            event(product["id"], clientEventId="same-in-batch"),
            event(product["id"], clientEventId="same-in-batch"),
        ],
        token,
    )
    # then
    assert first == {"accepted": 1, "userErrors": []}
    assert again == {"accepted": 1, "userErrors": []}
    assert twice_in_one == {"accepted": 1, "userErrors": []}


async def test_a_client_event_id_is_scoped_to_its_viewer(api: Api) -> None:
    vertical = (await verticals(api))[2]["id"]
    [product] = await products_of(api, vertical, 1)
    client_id = unique("evt")
    for _ in range(2):
        payload = await track(api, [event(product["id"], clientEventId=client_id)], api.token(role="buyer"))
        assert payload["accepted"] == 1


async def test_every_event_kind_is_accepted_for_products_articles_and_suppliers(api: Api) -> None:
    # given
    vertical = (await verticals(api))[3]["id"]
    [product] = await products_of(api, vertical, 1)
    kinds = ["IMPRESSION", "VIEW", "DWELL", "SAVE", "UNSAVE", "SHARE", "INQUIRE", "VIDEO_PLAY"]
    article = (await api.gql("Articles", {"first": 1}))["data"]["articles"]["edges"][0]["node"]["id"]
    supplier = product["supplier"]["id"]
    # when
    payload = await track(
        api,
        [event(product["id"], kind=k, durationMs=1500) for k in kinds] + [event(article), event(supplier)],
        api.token(role="buyer"),
    )
    # then
    assert payload == {"accepted": len(kinds) + 2, "userErrors": []}


async def test_a_buyers_engagement_moves_their_interests_at_once(api: Api) -> None:
    # given
    [first, second] = [v["id"] for v in (await verticals(api))[4:6]]
    token = api.token(role="buyer")
    main = await products_of(api, first, 3)
    other = await products_of(api, second, 1)
    # when
    await track(api, [event(p["id"]) for p in main] + [event(other[0]["id"], kind="IMPRESSION")], token)
    interests = (await api.gql("Viewer", token=token))["data"]["viewer"]["interests"]
    # then
    assert [i["vertical"]["id"] for i in interests] == [first, second]
    weights = [i["weight"] for i in interests]
    assert weights == sorted(weights, reverse=True)
    assert all(0 <= w <= 1 for w in weights)
    assert abs(sum(weights) - 1) < 1e-9


async def test_anonymous_events_are_accepted_without_touching_anyones_interests(api: Api) -> None:
    vertical = (await verticals(api))[6]["id"]
    [product] = await products_of(api, vertical, 1)
    payload = await track(api, [event(product["id"])])
    assert payload == {"accepted": 1, "userErrors": []}
