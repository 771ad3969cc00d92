"""registerDevice / unregisterDevice / Viewer.devices (CONTRACT.md sections 3 and 8)."""

from __future__ import annotations

from typing import Any

from tests.api.harness import Api, unique
from tests.api.test_inquiries_support import register_device


async def devices_of(api: Api, token: str) -> list[dict[str, Any]]:
    body = await api.gql("NotificationSettings", token=token)
    found: list[dict[str, Any]] = body["data"]["viewer"]["devices"]
    return found


async def test_registering_a_device_defaults_its_locale_to_english_and_never_returns_the_token(
    api: Api,
) -> None:
    # given
    token = api.token(role="buyer")
    address = unique("tok") + "y" * 100
    # when
    body = await api.gql(
        "RegisterDevice", {"input": {"token": address, "platform": "IOS", "appVersion": "3.2.1"}}, token=token
    )
    # then
    device = body["data"]["registerDevice"]["device"]
    assert device["platform"] == "IOS" and device["locale"] == "en" and device["appVersion"] == "3.2.1"
    listed = await devices_of(api, token)
    assert [d["id"] for d in listed] == [device["id"]]
    assert address not in str(listed) and address not in device["id"]


async def test_a_known_token_updates_its_device_instead_of_adding_one(api: Api) -> None:
    # given
    token = api.token(role="buyer")
    address = await register_device(api, token, locale="en")
    # when
    await register_device(api, token, address, locale="pt-BR", appVersion="2.0")
    # then
    [device] = await devices_of(api, token)
    assert device["locale"] == "pt-BR" and device["appVersion"] == "2.0"


async def test_a_token_registered_by_another_user_moves_to_them(api: Api) -> None:
    # given
    first, second = api.token(role="buyer"), api.token(role="buyer")
    address = await register_device(api, first)
    # when
    await register_device(api, second, address)
    # then
    assert await devices_of(api, first) == []
    assert len(await devices_of(api, second)) == 1


async def test_the_21st_device_drops_the_oldest(api: Api) -> None:
    # given
    token = api.token(role="buyer")
    addresses = [await register_device(api, token) for _ in range(20)]
    oldest = (await devices_of(api, token))[-1]["id"]
    # when
    await register_device(api, token)
    # then
    listed = await devices_of(api, token)
    assert len(listed) == 20
    assert oldest not in [d["id"] for d in listed]
    assert len(addresses) == 20


async def test_empty_or_over_4_kb_tokens_and_unknown_zones_are_invalid(api: Api) -> None:
    token = api.token(role="buyer")
    for address, field in (("", "token"), ("t" * 4097, "token")):
        body = await api.gql("RegisterDevice", {"input": {"token": address, "platform": "WEB"}}, token=token)
        [error] = body["data"]["registerDevice"]["userErrors"]
        assert error["code"] == "INVALID" and error["field"] == ["input", field]
    body = await api.gql(
        "RegisterDevice",
        {"input": {"token": "t" * 4096, "platform": "WEB", "timezone": "Nowhere/Land"}},
        token=token,
    )
    [error] = body["data"]["registerDevice"]["userErrors"]
    assert error["field"] == ["input", "timezone"]
    assert await devices_of(api, token) == []


async def test_the_first_device_brings_the_time_zone_of_the_settings(api: Api) -> None:
    # given
    token = api.token(role="buyer")
    before = (await api.gql("NotificationSettings", token=token))["data"]["viewer"]["notificationSettings"]
    # when
    await register_device(api, token, timezone="America/Sao_Paulo")
    await register_device(api, token, timezone="Europe/Lisbon")
    # then
    after = (await api.gql("NotificationSettings", token=token))["data"]["viewer"]["notificationSettings"]
    assert before["timezone"] == "UTC"
    assert after["timezone"] == "America/Sao_Paulo"


async def test_unregistering_removes_only_the_viewers_own_device(api: Api) -> None:
    # given
    owner, stranger = api.token(role="buyer"), api.token(role="buyer")
    address = await register_device(api, owner)
    # when
    refused = await api.gql("UnregisterDevice", {"token": address}, token=stranger)
    removed = await api.gql("UnregisterDevice", {"token": address}, token=owner)
    # then
    assert refused["data"]["unregisterDevice"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert removed["data"]["unregisterDevice"]["userErrors"] == []
    assert await devices_of(api, owner) == []


async def test_suppliers_register_devices_too_and_anonymous_cannot(api: Api) -> None:
    supplier = api.token(role="supplier")
    body = await api.gql(
        "SupplierRegisterDevice",
        {"input": {"token": unique("t") + "z" * 30, "platform": "ANDROID"}},
        token=supplier,
    )
    assert body["data"]["registerDevice"]["userErrors"] == []
    anonymous = await api.gql("RegisterDevice", {"input": {"token": "abc", "platform": "ANDROID"}})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
