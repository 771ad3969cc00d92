"""Push delivery through the log sender: suppression, quiet hours, moved tokens, exactly-once marks."""

from __future__ import annotations

import time

from tests.api.harness import Api
from tests.api.test_inquiries_support import (
    buyer,
    deferred_until,
    new_shop,
    open_inquiry,
    pushes_to,
    register_device,
    reply,
    rerun_deliveries,
    set_push_entries_due,
    wait_for_notification,
)


async def test_muted_thread_gets_the_notification_but_no_push(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    device = await register_device(api, token)
    inquiry_id = await open_inquiry(api, token, shop)
    muted = await api.gql("MuteInquiry", {"id": inquiry_id, "muted": True}, token=token)
    assert muted["data"]["muteInquiry"]["inquiry"] == {"id": inquiry_id, "muted": True}
    # when
    await reply(api, shop.token, inquiry_id)
    await api.drain_outbox()
    # then
    assert pushes_to(api, device) == []
    assert (await wait_for_notification(api, token))["kind"] == "SUPPLIER_REPLIED"


async def test_push_off_and_disabled_kinds_suppress_the_push(api: Api) -> None:
    # given
    shop = await new_shop(api)
    off, picky = await buyer(api), await buyer(api)
    off_device, picky_device = await register_device(api, off), await register_device(api, picky)
    await api.gql("UpdateNotificationSettings", {"input": {"pushEnabled": False}}, token=off)
    await api.gql(
        "UpdateNotificationSettings", {"input": {"disabledKinds": ["SUPPLIER_REPLIED"]}}, token=picky
    )
    threads = [await open_inquiry(api, off, shop), await open_inquiry(api, picky, shop)]
    # when
    for inquiry_id in threads:
        await reply(api, shop.token, inquiry_id)
    await api.drain_outbox()
    # then
    assert pushes_to(api, off_device) == pushes_to(api, picky_device) == []
    for token in (off, picky):
        assert (await wait_for_notification(api, token))["kind"] == "SUPPLIER_REPLIED"


async def test_quiet_hours_defer_the_push_to_their_end(api: Api) -> None:
    # given quiet hours around now, in the zone the first device brought
    shop = await new_shop(api)
    token = await buyer(api)
    device = await register_device(api, token, timezone="Asia/Shanghai")
    now = time.gmtime(time.time() + 8 * 3600)
    start = f"{(now.tm_hour + 23) % 24:02d}:00"
    end = f"{(now.tm_hour + 2) % 24:02d}:00"
    await api.gql(
        "UpdateNotificationSettings", {"input": {"quietHoursStart": start, "quietHoursEnd": end}}, token=token
    )
    inquiry_id = await open_inquiry(api, token, shop)
    # when
    await reply(api, shop.token, inquiry_id)
    await wait_for_notification(api, token)
    # then the push waits for the end of quiet hours, then goes
    [due] = await deferred_until(api, device)
    assert due > time.time() * 1000 + 60 * 60 * 1000
    assert pushes_to(api, device) == []
    assert await set_push_entries_due(api, device) == 1
    await api.drain_outbox()
    assert len(pushes_to(api, device)) == 1


async def test_a_token_registered_by_another_user_moves_and_pushes_follow_the_new_owner(api: Api) -> None:
    # given
    shop = await new_shop(api)
    first, second = await buyer(api), await buyer(api)
    address = await register_device(api, first)
    await register_device(api, second, address)
    first_thread = await open_inquiry(api, first, shop)
    # when
    await reply(api, shop.token, first_thread)
    await api.drain_outbox()
    # then
    assert pushes_to(api, address) == []
    devices = await api.gql("NotificationSettings", token=first)
    assert devices["data"]["viewer"]["devices"] == []


async def test_a_delivery_marked_sent_is_not_sent_again_when_its_entry_reruns(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    device = await register_device(api, token)
    inquiry_id = await open_inquiry(api, token, shop)
    await reply(api, shop.token, inquiry_id)
    await api.drain_outbox()
    assert len(pushes_to(api, device)) == 1
    # when the dispatcher that held the entry is taken for dead after the mark
    assert await rerun_deliveries(api, device) == 1
    await api.drain_outbox()
    # then
    assert len(pushes_to(api, device)) == 1


async def test_a_send_interrupted_before_its_mark_repeats_once_with_the_same_notification_id(
    api: Api,
) -> None:
    # given a push sent, then the process died before marking it
    shop = await new_shop(api)
    token = await buyer(api)
    device = await register_device(api, token)
    inquiry_id = await open_inquiry(api, token, shop)
    await reply(api, shop.token, inquiry_id)
    await api.drain_outbox()
    # when the entry is claimed again after its lease ran out
    assert await rerun_deliveries(api, device, forget_marks=True) == 1
    await api.drain_outbox()
    # then exactly one repeat, carrying the same notificationId
    first, repeat = pushes_to(api, device)
    assert repeat.data["notificationId"] == first.data["notificationId"]
    assert repeat.delivery_key == first.delivery_key
