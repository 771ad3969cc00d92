"""Who sees which inquiries, messages, notifications and devices (CONTRACT.md section 3)."""

from __future__ import annotations

from app.domain.ids import to_global_id
from tests.api.harness import Api
from tests.api.test_inquiries_support import buyer, new_shop, open_inquiry, reply

NODE = "query Node($id: ID!) { node(id: $id) { __typename id } }"


async def test_someone_elses_inquiry_reads_as_null_for_buyers_and_other_suppliers(api: Api) -> None:
    # given
    shop, other_shop = await new_shop(api), await new_shop(api)
    owner, stranger = await buyer(api), await buyer(api)
    inquiry_id = await open_inquiry(api, owner, shop)
    # when / then
    for token in (stranger, other_shop.token, api.token(role="supplier"), api.token(role="editor")):
        body = await api.gql("InquiryThread", {"id": inquiry_id, "first": 5}, token=token)
        assert body["data"]["inquiry"] is None and "errors" not in body
        node = await api.post(NODE, {"id": inquiry_id}, token=token)
        assert node.json()["data"]["node"] is None
    for token in (owner, shop.token):
        node = await api.post(NODE, {"id": inquiry_id}, token=token)
        assert node.json()["data"]["node"] == {"__typename": "Inquiry", "id": inquiry_id}


async def test_a_message_is_visible_exactly_when_its_inquiry_is(api: Api) -> None:
    # given
    shop = await new_shop(api)
    owner, stranger = await buyer(api), await buyer(api)
    inquiry_id = await open_inquiry(api, owner, shop)
    message_id = (await reply(api, shop.token, inquiry_id))["message"]["id"]
    # when
    mine = await api.post(NODE, {"id": message_id}, token=owner)
    theirs = await api.post(NODE, {"id": message_id}, token=stranger)
    # then
    assert mine.json()["data"]["node"] == {"__typename": "InquiryMessage", "id": message_id}
    assert theirs.json()["data"]["node"] is None


async def test_mutations_on_someone_elses_inquiry_are_not_found_and_change_nothing(api: Api) -> None:
    # given
    shop, other_shop = await new_shop(api), await new_shop(api)
    owner, stranger = await buyer(api), await buyer(api)
    inquiry_id = await open_inquiry(api, owner, shop)
    # when
    replied = await reply(api, other_shop.token, inquiry_id, "spam")
    closed = await api.gql("CloseInquiry", {"id": inquiry_id}, token=stranger)
    muted = await api.gql("MuteInquiry", {"id": inquiry_id, "muted": True}, token=stranger)
    report = {"inquiryId": inquiry_id, "reason": "SPAM", "block": True}
    reported = await api.gql("ReportInquiry", {"input": report}, token=stranger)
    missing = await api.gql("MarkInquiryRead", {"id": to_global_id("Inquiry", "nope")}, token=owner)
    # then
    assert replied["userErrors"][0]["code"] == "NOT_FOUND" and replied["userErrors"][0]["field"] == [
        "input",
        "inquiryId",
    ]
    assert closed["data"]["closeInquiry"]["userErrors"][0] == {
        **closed["data"]["closeInquiry"]["userErrors"][0],
        "code": "NOT_FOUND",
        "field": ["id"],
    }
    assert muted["data"]["muteInquiry"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert reported["data"]["reportInquiry"]["userErrors"][0]["field"] == ["input", "inquiryId"]
    assert missing["data"]["markInquiryRead"]["userErrors"][0]["code"] == "NOT_FOUND"
    thread = await api.gql("InquiryThread", {"id": inquiry_id, "first": 5}, token=owner)
    assert thread["data"]["inquiry"]["status"] == "AWAITING_SUPPLIER"
    assert len(thread["data"]["inquiry"]["messages"]["edges"]) == 1


async def test_roles_that_may_never_write_in_inquiries_are_forbidden(api: Api) -> None:
    shop = await new_shop(api)
    owner = await buyer(api)
    inquiry_id = await open_inquiry(api, owner, shop)
    as_supplier = await api.gql(
        "SendInquiry",
        {"input": {"productId": shop.product_id, "message": "hi", "idempotencyKey": "key-12345"}},
        token=shop.token,
    )
    as_editor = await reply(api, api.token(role="editor"), inquiry_id)
    assert as_supplier["data"]["sendInquiry"]["userErrors"] == [
        {**as_supplier["data"]["sendInquiry"]["userErrors"][0], "code": "FORBIDDEN", "field": None}
    ]
    assert as_editor["userErrors"][0]["code"] == "FORBIDDEN" and as_editor["userErrors"][0]["field"] is None


async def test_anonymous_callers_must_sign_in(api: Api) -> None:
    shop = await new_shop(api)
    owner = await buyer(api)
    inquiry_id = await open_inquiry(api, owner, shop)
    read = await api.gql("InquiryThread", {"id": inquiry_id, "first": 5})
    write = await api.gql("MarkNotificationsRead", {})
    assert read["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert write["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_notifications_and_devices_are_only_the_viewers_own(api: Api) -> None:
    # given
    shop = await new_shop(api)
    owner, stranger = await buyer(api), await buyer(api)
    await reply(api, shop.token, await open_inquiry(api, owner, shop))
    await api.drain_outbox()
    body = await api.gql("Notifications", {"first": 1}, token=owner)
    notification_id = body["data"]["viewer"]["notifications"]["edges"][0]["node"]["id"]
    # when
    theirs = await api.post(NODE, {"id": notification_id}, token=stranger)
    mine = await api.post(NODE, {"id": notification_id}, token=owner)
    stranger_view = await api.gql("Notifications", {"first": 10}, token=stranger)
    # then
    assert theirs.json()["data"]["node"] is None
    assert mine.json()["data"]["node"] == {"__typename": "Notification", "id": notification_id}
    assert stranger_view["data"]["viewer"]["notifications"]["edges"] == []
    assert (await api.gql("NotificationSettings", token=stranger))["data"]["viewer"]["devices"] == []
