"""Viewer and Verticals for anonymous users, buyers, suppliers and editors (CONTRACT.md sections 3 and 5)."""

from __future__ import annotations

import time

from tests.api.harness import Api, unique


async def test_anonymous_viewer_is_null_without_error(api: Api) -> None:
    # when
    body = await api.gql("Viewer")
    # then
    assert body["data"] == {"viewer": None}
    assert "errors" not in body


async def test_buyer_viewer_shows_role_and_defaults(api: Api) -> None:
    token = api.token(role="buyer")
    body = await api.gql("Viewer", token=token, headers={"Accept-Language": "es-MX,es;q=0.9"})
    viewer = body["data"]["viewer"]
    assert viewer["role"] == "BUYER"
    assert viewer["locale"] == "es"
    assert viewer["currency"] == "USD"
    assert viewer["unreadNotificationCount"] == 0
    assert viewer["interests"] == []


async def test_viewer_id_is_stable_and_not_the_raw_subject(api: Api) -> None:
    subject = unique("firebase-uid")
    token = api.token(subject)
    first = (await api.gql("Viewer", token=token))["data"]["viewer"]["id"]
    second = (await api.gql("Viewer", token=token))["data"]["viewer"]["id"]
    assert first == second
    assert subject not in first


async def test_supplier_and_editor_viewers_carry_their_roles(api: Api) -> None:
    for role, expected in (("supplier", "SUPPLIER"), ("editor", "EDITOR")):
        body = await api.gql("Viewer", token=api.token(role=role))
        assert body["data"]["viewer"]["role"] == expected


async def test_verticals_are_named_in_the_asked_language_with_english_fallback(api: Api) -> None:
    chinese = (await api.gql("Verticals", headers={"Accept-Language": "zh-CN"}))["data"]["verticals"]
    klingon = (await api.gql("Verticals", headers={"Accept-Language": "tlh"}))["data"]["verticals"]
    assert len(chinese) >= 15
    seating_zh = next(v for v in chinese if v["slug"] == "seating")
    seating_en = next(v for v in klingon if v["slug"] == "seating")
    assert seating_zh["name"] == "座椅"
    assert seating_en["name"] == "Seating"
    assert seating_zh["hsHeadings"] == ["94.01"]
    assert "/w320/webp/" in seating_zh["coverImage"]["url"]


async def test_invalid_token_is_401_never_anonymous(api: Api) -> None:
    response = await api.post("query Viewer { viewer { id } }", token="not-a-token")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    body = response.json()
    assert "data" not in body
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_expired_token_is_401(api: Api) -> None:
    token = api.token(now=int(time.time()) - 7200, ttl_seconds=3600)
    response = await api.post("query Viewer { viewer { id } }", token=token)
    assert response.status_code == 401
