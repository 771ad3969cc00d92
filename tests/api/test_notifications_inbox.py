"""viewer.notifications, markNotificationsRead, markInquiryRead, targets and settings (CONTRACT.md 8)."""

from __future__ import annotations

from typing import Any

from tests.api.harness import Api
from tests.api.test_inquiries_support import buyer, new_shop, open_inquiry, reply


async def notifications(api: Api, token: str, **variables: Any) -> dict[str, Any]:
    body = await api.gql("Notifications", {"first": 10, **variables}, token=token)
    viewer: dict[str, Any] = body["data"]["viewer"]
    return viewer


async def test_notifications_list_newest_first_with_their_inquiry_target(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    inquiry_id = await open_inquiry(api, token, shop)
    await reply(api, shop.token, inquiry_id, "first answer")
    await reply(api, shop.token, inquiry_id, "second answer")
    await api.drain_outbox()
    # when
    viewer = await notifications(api, token)
    # then
    assert viewer["unreadNotificationCount"] == 2
    nodes = [e["node"] for e in viewer["notifications"]["edges"]]
    assert [n["body"] for n in nodes] == ["second answer", "first answer"]
    assert nodes[0]["title"] == f"{shop.name} replied"
    assert nodes[0]["target"] == {"__typename": "Inquiry", "id": inquiry_id}
    assert nodes[0]["readAt"] is None


async def test_notification_texts_follow_the_request_language(api: Api) -> None:
    shop = await new_shop(api)
    token = await buyer(api)
    inquiry_id = await open_inquiry(api, token, shop)
    await reply(api, shop.token, inquiry_id, "hola")
    await api.drain_outbox()
    body = await api.gql("Notifications", {"first": 1}, token=token, headers={"Accept-Language": "zh-CN"})
    assert body["data"]["viewer"]["notifications"]["edges"][0]["node"]["title"] == f"{shop.name}已回复"


async def test_mark_notifications_read_ignores_ids_that_are_not_the_viewers(api: Api) -> None:
    # given
    shop = await new_shop(api)
    mine, other = await buyer(api), await buyer(api)
    for token in (mine, other):
        await reply(api, shop.token, await open_inquiry(api, token, shop))
    await api.drain_outbox()
    my_id = (await notifications(api, mine))["notifications"]["edges"][0]["node"]["id"]
    other_id = (await notifications(api, other))["notifications"]["edges"][0]["node"]["id"]
    # when
    body = await api.gql("MarkNotificationsRead", {"ids": [my_id, other_id]}, token=mine)
    # then
    assert body["data"]["markNotificationsRead"] == {"unreadCount": 0, "userErrors": []}
    assert (await notifications(api, other))["unreadNotificationCount"] == 1


async def test_mark_notifications_read_without_ids_reads_everything_up_to_the_time_given(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    inquiry_id = await open_inquiry(api, token, shop)
    await reply(api, shop.token, inquiry_id, "old")
    await api.drain_outbox()
    cut = (await notifications(api, token))["notifications"]["edges"][0]["node"]["createdAt"]
    await reply(api, shop.token, inquiry_id, "new")
    await api.drain_outbox()
    # when
    first = await api.gql("MarkNotificationsRead", {"upTo": cut}, token=token)
    unread = await notifications(api, token, unreadOnly=True)
    everything = await api.gql("MarkNotificationsRead", {}, token=token)
    # then
    assert first["data"]["markNotificationsRead"]["unreadCount"] == 1
    assert [e["node"]["body"] for e in unread["notifications"]["edges"]] == ["new"]
    assert everything["data"]["markNotificationsRead"]["unreadCount"] == 0


async def test_mark_inquiry_read_also_reads_its_notifications_and_sets_the_read_receipt(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    inquiry_id = await open_inquiry(api, token, shop)
    await reply(api, shop.token, inquiry_id)
    await api.drain_outbox()
    badges = (await api.gql("Badges", token=token))["data"]["viewer"]
    assert (badges["unreadNotificationCount"], badges["unreadInquiryCount"]) == (1, 1)
    # when
    body = await api.gql("MarkInquiryRead", {"id": inquiry_id}, token=token)
    # then
    assert body["data"]["markInquiryRead"]["inquiry"] == {"id": inquiry_id, "unreadCount": 0}
    badges = (await api.gql("Badges", token=token))["data"]["viewer"]
    assert (badges["unreadNotificationCount"], badges["unreadInquiryCount"]) == (0, 0)
    thread = await api.gql("SupplierInquiryThread", {"id": inquiry_id, "first": 1}, token=shop.token)
    assert thread["data"]["inquiry"]["id"] == inquiry_id
    seen = await api.gql("InquiryThread", {"id": inquiry_id, "first": 1}, token=token)
    assert seen["data"]["inquiry"]["otherPartyLastReadAt"] is not None


async def test_read_state_is_per_user_of_the_supplier(api: Api) -> None:
    # given
    shop = await new_shop(api)
    colleague = shop.staff()
    await api.gql("Viewer", token=colleague)
    token = await buyer(api)
    inquiry_id = await open_inquiry(api, token, shop)
    # when
    await api.gql("SupplierMarkInquiryRead", {"id": inquiry_id}, token=shop.token)
    # then
    assert (await api.gql("SupplierBadges", token=shop.token))["data"]["viewer"]["unreadInquiryCount"] == 0
    assert (await api.gql("SupplierBadges", token=colleague))["data"]["viewer"]["unreadInquiryCount"] == 1


async def test_settings_update_leaves_absent_fields_and_replaces_disabled_kinds(api: Api) -> None:
    # given
    token = api.token(role="buyer")
    first = {
        "pushEnabled": False,
        "disabledKinds": ["NEW_ORDER", "ORDER_UPDATE"],
        "timezone": "Europe/Berlin",
    }
    await api.gql("UpdateNotificationSettings", {"input": first}, token=token)
    # when
    body = await api.gql(
        "UpdateNotificationSettings", {"input": {"disabledKinds": ["ARTICLE_PUBLISHED"]}}, token=token
    )
    # then
    assert body["data"]["updateNotificationSettings"]["settings"] == {
        "pushEnabled": False,
        "timezone": "Europe/Berlin",
        "quietHoursStart": None,
        "quietHoursEnd": None,
        "disabledKinds": ["ARTICLE_PUBLISHED"],
    }


async def test_quiet_hours_are_both_or_neither_and_zones_are_iana(api: Api) -> None:
    token = api.token(role="buyer")
    half = await api.gql("UpdateNotificationSettings", {"input": {"quietHoursStart": "22:00"}}, token=token)
    zone = await api.gql("UpdateNotificationSettings", {"input": {"timezone": "Moon/Base"}}, token=token)
    good = await api.gql(
        "UpdateNotificationSettings",
        {"input": {"quietHoursStart": "22:00", "quietHoursEnd": "07:30"}},
        token=token,
    )
    assert half["data"]["updateNotificationSettings"]["userErrors"][0]["field"] == ["input", "quietHoursEnd"]
    assert zone["data"]["updateNotificationSettings"]["userErrors"][0]["field"] == ["input", "timezone"]
    settings = good["data"]["updateNotificationSettings"]["settings"]
    assert (settings["quietHoursStart"], settings["quietHoursEnd"]) == ("22:00", "07:30")


async def test_a_notification_target_is_null_once_the_viewer_can_no_longer_see_it(api: Api) -> None:
    # given a supplier user notified of an inquiry, then moved to another supplier
    shop, elsewhere = await new_shop(api), await new_shop(api)
    subject = "staff-" + shop.supplier_key
    before = api.token(subject, role="supplier", supplier=shop.supplier_id)
    await api.gql("Viewer", token=before)
    token = await buyer(api)
    await open_inquiry(api, token, shop)
    await api.drain_outbox()
    # when
    after = api.token(subject, role="supplier", supplier=elsewhere.supplier_id)
    body = await api.gql("SupplierNotifications", {"first": 1}, token=after)
    # then
    [edge] = body["data"]["viewer"]["notifications"]["edges"]
    assert edge["node"]["kind"] == "NEW_INQUIRY"
    assert edge["node"]["target"] is None
