"""registerDevice at the same moment: one device per push token, and the time zone taken once."""

from __future__ import annotations

import asyncio

from tests.api.harness import Api, unique
from tests.api.test_push_devices import devices_of


async def test_one_push_token_registered_at_once_with_others_is_listed_once(api: Api) -> None:
    # given a buyer whose app registers on start and again when the push token refreshes
    token = api.token(role="buyer")
    await api.gql("Viewer", token=token)
    same, other = unique("tok") + "s" * 40, unique("tok") + "o" * 40
    # when the same push token comes three times at once, beside another device's
    addresses = [same, same, same, other]
    bodies = await asyncio.gather(
        *(
            api.gql(
                "RegisterDevice",
                {"input": {"token": address, "platform": "ANDROID", "timezone": "Europe/Madrid"}},
                token=token,
            )
            for address in addresses
        )
    )
    # then every request succeeds, there are two devices, and the settings took the time zone
    assert [b.get("errors") for b in bodies] == [None] * 4
    assert [b["data"]["registerDevice"]["userErrors"] for b in bodies] == [[]] * 4
    assert len(await devices_of(api, token)) == 2
    same_ids = {b["data"]["registerDevice"]["device"]["id"] for b in bodies[:3]}
    assert len(same_ids) == 1
    settings = (await api.gql("NotificationSettings", token=token))["data"]["viewer"]["notificationSettings"]
    assert settings["timezone"] == "Europe/Madrid"
