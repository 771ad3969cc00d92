"""Pushes through the real firebase-admin path against a loopback FCM endpoint (tests/servers/fcm.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.api.harness import Api, serve
from tests.api.test_inquiries_support import (
    buyer,
    new_shop,
    open_inquiry,
    register_device,
    reply,
    rerun_deliveries,
    settle_pushes,
)
from tests.servers.fcm import FakeFcm, unavailable


@pytest.fixture(scope="module")
def fcm() -> Iterator[FakeFcm]:
    with FakeFcm.running() as server:
        yield server


@pytest.fixture(scope="module")
def fcm_server(tmp_path_factory: pytest.TempPathFactory, fcm: FakeFcm) -> Iterator[Api]:
    folder: Path = tmp_path_factory.mktemp("fcm")
    with serve(folder, products=40, push_url="fcm://demo-project", fcm_endpoint=fcm.url) as api:
        yield api


@pytest.fixture
async def fcm_api(fcm_server: Api, fcm: FakeFcm) -> AsyncIterator[Api]:
    fcm.reset()
    fcm_server.__post_init__()
    yield fcm_server
    await fcm_server.client.aclose()


async def test_supplier_reply_reaches_every_buyer_device_through_fcm(fcm_api: Api, fcm: FakeFcm) -> None:
    # given
    api = fcm_api
    shop = await new_shop(api)
    token = await buyer(api, "Ana")
    android = await register_device(api, token, locale="fr")
    installation = await register_device(api, token, platform="IOS", kind="FIREBASE_INSTALLATION_ID")
    inquiry_id = await open_inquiry(api, token, shop)
    # when
    await reply(api, shop.token, inquiry_id, "Bonjour, oui.")
    await api.drain_outbox()
    # then
    [to_android] = [m.message for m in fcm.messages_to(android)]
    [to_ios] = [m.message for m in fcm.messages_to(installation)]
    assert to_android["token"] == android and to_ios["fid"] == installation
    assert to_android["notification"] == {"title": f"{shop.name} a répondu", "body": "Bonjour, oui."}
    assert to_ios["notification"]["title"] == f"{shop.name} replied"
    group = f"inquiry:{inquiry_id and _key(inquiry_id)}"
    assert to_android["android"]["notification"]["tag"] == group
    assert to_ios["apns"]["payload"]["aps"]["thread-id"] == group
    assert to_ios["apns"]["payload"]["aps"]["badge"] == 1
    assert "collapse_key" not in to_android.get("android", {})
    assert to_android["data"]["kind"] == "SUPPLIER_REPLIED"
    assert to_android["data"]["targetId"] == inquiry_id
    assert to_android["data"]["notificationId"] == to_ios["data"]["notificationId"]


def _key(global_id: str) -> str:
    from app.domain.ids import from_global_id

    return from_global_id(global_id)[1]


async def test_supplier_gets_a_push_for_a_new_inquiry_through_fcm(fcm_api: Api, fcm: FakeFcm) -> None:
    # given
    api = fcm_api
    shop = await new_shop(api)
    device = await register_device(api, shop.token)
    token = await buyer(api, "Li Wei")
    # when
    inquiry_id = await open_inquiry(api, token, shop, "Price for 300?")
    await api.drain_outbox()
    # then
    [message] = [m.message for m in fcm.messages_to(device)]
    assert message["notification"] == {"title": "New inquiry from Li Wei", "body": "Price for 300?"}
    assert message["data"]["targetId"] == inquiry_id
    assert message["data"]["kind"] == "NEW_INQUIRY"


async def test_an_unregistered_token_is_removed_and_never_used_again(fcm_api: Api, fcm: FakeFcm) -> None:
    # given
    api = fcm_api
    shop = await new_shop(api)
    token = await buyer(api)
    dead = await register_device(api, token)
    alive = await register_device(api, token)
    fcm.fail(dead, "UNREGISTERED")
    inquiry_id = await open_inquiry(api, token, shop)
    # when
    await reply(api, shop.token, inquiry_id, "first")
    await api.drain_outbox()
    await reply(api, shop.token, inquiry_id, "second")
    await api.drain_outbox()
    # then
    tried = [r for r in fcm.requests if r.body["message"].get("token") == dead]
    assert len(tried) == 1 and tried[0].status == 404
    assert len(fcm.messages_to(alive)) == 2
    devices = (await api.gql("NotificationSettings", token=token))["data"]["viewer"]["devices"]
    assert len(devices) == 1


async def test_a_503_with_retry_after_is_retried_and_delivered_exactly_once(
    fcm_api: Api, fcm: FakeFcm
) -> None:
    # given
    api = fcm_api
    shop = await new_shop(api)
    token = await buyer(api)
    device = await register_device(api, token)
    fcm.fail(device, unavailable("1"), times=1)
    inquiry_id = await open_inquiry(api, token, shop)
    # when
    await reply(api, shop.token, inquiry_id)
    await settle_pushes(api, device)
    # then
    statuses = [r.status for r in fcm.requests if r.body["message"].get("token") == device]
    assert statuses == [503, 200]
    assert len(fcm.messages_to(device)) == 1


async def test_an_interrupted_send_repeats_once_at_the_endpoint_with_the_same_notification_id(
    fcm_api: Api, fcm: FakeFcm
) -> None:
    # given a send FCM accepted, whose mark was never written
    api = fcm_api
    shop = await new_shop(api)
    token = await buyer(api)
    device = await register_device(api, token)
    inquiry_id = await open_inquiry(api, token, shop)
    await reply(api, shop.token, inquiry_id)
    await api.drain_outbox()
    # when the entry is claimed again after its lease ran out: once as if marked, once as if not
    await rerun_deliveries(api, device)
    await api.drain_outbox()
    assert len(fcm.messages_to(device)) == 1
    await rerun_deliveries(api, device, forget_marks=True)
    await api.drain_outbox()
    # then
    first, repeat = (m.message for m in fcm.messages_to(device))
    assert repeat["data"]["notificationId"] == first["data"]["notificationId"]
