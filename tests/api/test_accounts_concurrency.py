"""Requests of one user at the same moment: first sight makes one account, profile changes all land."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.api.harness import Api, _on_server, unique


async def accounts_of(api: Api, subject: str) -> list[dict[str, Any]]:
    users = api.state.engines.ports.repos.database.collection("users")  # type: ignore[union-attr]

    async def read() -> list[dict[str, Any]]:
        return [d async for d in users.find({"subject": subject})]

    found: list[dict[str, Any]] = await _on_server(api, read())
    return found


async def test_the_first_requests_of_a_new_user_at_once_make_one_account(api: Api) -> None:
    # given a token nobody has signed in with yet
    subject = unique("first-sight")
    token = api.token(subject, role="buyer")
    # when the app's first screen sends four requests at once
    bodies = await asyncio.gather(*(api.gql("Viewer", token=token) for _ in range(4)))
    # then they all see one viewer, and the store holds one account
    assert [b.get("errors") for b in bodies] == [None] * 4
    assert len({b["data"]["viewer"]["id"] for b in bodies}) == 1
    assert len(await accounts_of(api, subject)) == 1


async def test_profile_changes_of_different_fields_at_once_are_all_kept(api: Api) -> None:
    # given a signed-in buyer
    subject = unique("profile")
    token = api.token(subject, role="buyer")
    await api.gql("Viewer", token=token)
    # when their devices change different fields at the same moment
    changes = [{"displayName": "Ana"}, {"country": "ES"}, {"locale": "es"}, {"currency": "EUR"}]
    bodies = await asyncio.gather(
        *(api.gql("UpdateProfile", {"input": change}, token=token) for change in changes)
    )
    # then each change landed, none undid another
    assert [b.get("errors") for b in bodies] == [None] * 4
    assert [b["data"]["updateProfile"]["userErrors"] for b in bodies] == [[]] * 4
    [account] = await accounts_of(api, subject)
    stored = (account["display_name"], account["country"], account["locale"], account["currency"])
    assert stored == ("Ana", "ES", "es", "EUR")
