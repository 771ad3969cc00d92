"""Saved products and followed suppliers over HTTP: roles, idempotence, order, personal cursors, interests."""

from __future__ import annotations

from typing import Any

from app.domain.ids import to_global_id
from tests.api.harness import Api, _on_server

PRODUCTS = [to_global_id("Product", f"p-{i:07d}") for i in range(40, 60)]
SUPPLIERS = [to_global_id("Supplier", f"s-{i:06d}") for i in range(4, 12)]


def codes(payload: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def interests_of(api: Api, token: str) -> dict[str, float]:
    viewer_id = (await api.post("{ viewer { id } }", token=token)).json()["data"]["viewer"]["id"]
    from app.domain.ids import key_of

    repos = api.state.engines.ports.repos  # type: ignore[union-attr]
    doc: dict[str, Any] | None = await _on_server(
        api, repos.database.collection("interests").find_one({"user_key": key_of(viewer_id, "Viewer")})
    )
    return dict((doc or {}).get("verticals", {}))


async def test_saving_is_idempotent_and_shows_in_viewer_has_saved(api: Api) -> None:
    # given
    token = api.token(role="buyer")
    # when
    first = (await api.gql("SaveProduct", {"id": PRODUCTS[0]}, token=token))["data"]["saveProduct"]
    again = (await api.gql("SaveProduct", {"id": PRODUCTS[0]}, token=token))["data"]["saveProduct"]
    page = await api.gql("ProductPage", {"id": PRODUCTS[0], "network": "WIFI"}, token=token)
    saved = (await api.gql("Saved", {"first": 10}, token=token))["data"]["viewer"]["saved"]
    # then
    assert first == again == {"product": {"id": PRODUCTS[0], "viewerHasSaved": True}, "userErrors": []}
    assert page["data"]["product"]["viewerHasSaved"] is True
    assert [e["node"]["id"] for e in saved["edges"]] == [PRODUCTS[0]]


async def test_unsaving_is_idempotent_and_removes_it(api: Api) -> None:
    token = api.token(role="buyer")
    await api.gql("SaveProduct", {"id": PRODUCTS[1]}, token=token)
    first = (await api.gql("UnsaveProduct", {"id": PRODUCTS[1]}, token=token))["data"]["unsaveProduct"]
    again = (await api.gql("UnsaveProduct", {"id": PRODUCTS[1]}, token=token))["data"]["unsaveProduct"]
    saved = (await api.gql("Saved", {"first": 10}, token=token))["data"]["viewer"]["saved"]
    assert first == again == {"product": {"id": PRODUCTS[1], "viewerHasSaved": False}, "userErrors": []}
    assert saved["edges"] == []


async def test_saved_lists_newest_first_across_pages(api: Api) -> None:
    # given
    token = api.token(role="buyer")
    for product in PRODUCTS[2:9]:
        await api.gql("SaveProduct", {"id": product}, token=token)
    # when
    seen: list[str] = []
    after = None
    while True:
        saved = (await api.gql("Saved", {"first": 3, "after": after}, token=token))["data"]["viewer"]["saved"]
        seen += [e["node"]["id"] for e in saved["edges"]]
        if not saved["pageInfo"]["hasNextPage"]:
            break
        after = saved["pageInfo"]["endCursor"]
    # then
    assert seen == list(reversed(PRODUCTS[2:9]))


async def test_saved_cursors_are_personal_and_first_is_bounded(api: Api) -> None:
    # given
    owner, other = api.token(role="buyer"), api.token(role="buyer")
    for product in PRODUCTS[9:11]:
        await api.gql("SaveProduct", {"id": product}, token=owner)
    cursor = (await api.gql("Saved", {"first": 1}, token=owner))["data"]["viewer"]["saved"]["pageInfo"][
        "endCursor"
    ]
    # when
    foreign = await api.gql("Saved", {"first": 1, "after": cursor}, token=other)
    too_many = await api.gql("Saved", {"first": 101}, token=owner)
    # then
    assert foreign["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_anonymous_save_is_unauthenticated(api: Api) -> None:
    body = await api.gql("SaveProduct", {"id": PRODUCTS[12]})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_suppliers_and_editors_may_not_save_or_follow(api: Api) -> None:
    for role in ("supplier", "editor"):
        token = api.token(role=role)
        save = (await api.gql("SaveProduct", {"id": PRODUCTS[12]}, token=token))["data"]["saveProduct"]
        follow = (await api.gql("FollowSupplier", {"id": SUPPLIERS[0]}, token=token))["data"][
            "followSupplier"
        ]
        assert save["product"] is None and codes(save) == [("FORBIDDEN", None)]
        assert follow["supplier"] is None and codes(follow) == [("FORBIDDEN", None)]


async def test_unknown_or_foreign_ids_are_not_found_at_id(api: Api) -> None:
    token = api.token(role="buyer")
    for given in (to_global_id("Product", "p-missing"), SUPPLIERS[0], "garbage"):
        save = (await api.gql("SaveProduct", {"id": given}, token=token))["data"]["saveProduct"]
        assert codes(save) == [("NOT_FOUND", ["id"])]
    follow = (await api.gql("FollowSupplier", {"id": PRODUCTS[0]}, token=token))["data"]["followSupplier"]
    assert codes(follow) == [("NOT_FOUND", ["id"])]
    assert (await api.gql("Saved", {"first": 5}, token=token))["data"]["viewer"]["saved"]["edges"] == []


async def test_non_buyers_and_anonymous_see_viewer_has_saved_false(api: Api) -> None:
    body = await api.gql(
        "ProductPage", {"id": PRODUCTS[0], "network": "WIFI"}, token=api.token(role="supplier")
    )
    anonymous = await api.gql("ProductPage", {"id": PRODUCTS[0], "network": "WIFI"})
    assert body["data"]["product"]["viewerHasSaved"] is False
    assert anonymous["data"]["product"]["viewerHasSaved"] is False


async def test_saving_feeds_interests_once(api: Api) -> None:
    # given
    token = api.token(role="buyer")
    # when
    await api.gql("SaveProduct", {"id": PRODUCTS[13]}, token=token)
    once = await interests_of(api, token)
    await api.gql("SaveProduct", {"id": PRODUCTS[13]}, token=token)
    twice = await interests_of(api, token)
    # then
    assert len(once) == 1 and next(iter(once.values())) > 0
    assert once.keys() == twice.keys()
    assert abs(sum(twice.values()) - sum(once.values())) < 0.01


async def test_following_is_idempotent_newest_first_and_feeds_interests(api: Api) -> None:
    # given
    token = api.token(role="buyer")
    # when
    for supplier in SUPPLIERS[1:5]:
        first = (await api.gql("FollowSupplier", {"id": supplier}, token=token))["data"]["followSupplier"]
        again = (await api.gql("FollowSupplier", {"id": supplier}, token=token))["data"]["followSupplier"]
        assert first == again == {"supplier": {"id": supplier, "viewerFollows": True}, "userErrors": []}
    following = (await api.gql("Following", {"first": 10}, token=token))["data"]["viewer"]["following"]
    page = await api.gql("SupplierPage", {"id": SUPPLIERS[1], "first": 1}, token=token)
    # then
    assert [e["node"]["id"] for e in following["edges"]] == list(reversed(SUPPLIERS[1:5]))
    assert all(e["node"]["verticals"] for e in following["edges"])
    assert page["data"]["supplier"]["viewerFollows"] is True
    assert await interests_of(api, token) != {}


async def test_unfollowing_is_idempotent(api: Api) -> None:
    token = api.token(role="buyer")
    await api.gql("FollowSupplier", {"id": SUPPLIERS[5]}, token=token)
    first = (await api.gql("UnfollowSupplier", {"id": SUPPLIERS[5]}, token=token))["data"]["unfollowSupplier"]
    again = (await api.gql("UnfollowSupplier", {"id": SUPPLIERS[5]}, token=token))["data"]["unfollowSupplier"]
    following = (await api.gql("Following", {"first": 10}, token=token))["data"]["viewer"]["following"]
    assert first == again == {"supplier": {"id": SUPPLIERS[5], "viewerFollows": False}, "userErrors": []}
    assert following["edges"] == []


async def test_following_pages_with_personal_cursors(api: Api) -> None:
    owner, other = api.token(role="buyer"), api.token(role="buyer")
    for supplier in SUPPLIERS[:3]:
        await api.gql("FollowSupplier", {"id": supplier}, token=owner)
    first = (await api.gql("Following", {"first": 2}, token=owner))["data"]["viewer"]["following"]
    rest = await api.gql("Following", {"first": 2, "after": first["pageInfo"]["endCursor"]}, token=owner)
    foreign = await api.gql("Following", {"first": 2, "after": first["pageInfo"]["endCursor"]}, token=other)
    ids = [e["node"]["id"] for e in first["edges"] + rest["data"]["viewer"]["following"]["edges"]]
    assert ids == list(reversed(SUPPLIERS[:3]))
    assert first["pageInfo"]["hasNextPage"] is True
    assert foreign["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_deleting_the_account_erases_saved_and_follows(api: Api) -> None:
    # given
    token = api.token(role="buyer")
    await api.gql("SaveProduct", {"id": PRODUCTS[14]}, token=token)
    await api.gql("FollowSupplier", {"id": SUPPLIERS[6]}, token=token)
    viewer_id = (await api.post("{ viewer { id } }", token=token)).json()["data"]["viewer"]["id"]
    # when
    await api.post("mutation { deleteAccount(confirm: true) { deleted } }", token=token)
    # then
    from app.domain.ids import key_of

    repos = api.state.engines.ports.repos  # type: ignore[union-attr]
    user = key_of(viewer_id, "Viewer") or ""
    assert await _on_server(api, repos.saved.page(user, None, 10)) == []
    assert await _on_server(api, repos.follows.page(user, None, 10)) == []
