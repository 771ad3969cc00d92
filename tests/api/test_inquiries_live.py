"""inquiryMessageAdded and notificationAdded over graphql-transport-ws (CONTRACT.md sections 2 and 8)."""

from __future__ import annotations

import asyncio

from tests.api.harness import Api, operation
from tests.api.test_inquiries_support import buyer, new_shop, open_inquiry, reply
from tests.api.ws_client import receive, subscribe, ws_session

SUBSCRIBED = 0.3
"""Seconds a new subscription gets to become active at the broker before the test writes."""


async def test_both_participants_receive_new_messages_live(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    inquiry_id = await open_inquiry(api, token, shop)
    await api.drain_outbox()  # the opening message's event is out before anyone subscribes
    async with (
        ws_session(api.ws_url, token) as buyer_socket,
        ws_session(api.ws_url, shop.token) as supplier_socket,
    ):
        await subscribe(buyer_socket, "b", operation("InquiryMessageAdded"), {"inquiryId": inquiry_id})
        await subscribe(supplier_socket, "s", operation("SupplierMessageAdded"), {"inquiryId": inquiry_id})
        await asyncio.sleep(SUBSCRIBED)
        # when
        sent = await reply(api, shop.token, inquiry_id, "Live answer")
        # then
        for socket, operation_id in ((buyer_socket, "b"), (supplier_socket, "s")):
            message = await receive(socket)
            assert message["type"] == "next" and message["id"] == operation_id
            assert message["payload"]["data"]["inquiryMessageAdded"] == sent["message"]


async def test_subscribing_to_someone_elses_thread_is_not_found(api: Api) -> None:
    # given
    shop, other_shop = await new_shop(api), await new_shop(api)
    owner, stranger = await buyer(api), await buyer(api)
    inquiry_id = await open_inquiry(api, owner, shop)
    for token in (stranger, other_shop.token):
        async with ws_session(api.ws_url, token) as socket:
            # when
            await subscribe(socket, "x", operation("InquiryMessageAdded"), {"inquiryId": inquiry_id})
            # then
            message = await receive(socket)
            assert message["type"] == "error"
            assert [e["extensions"]["code"] for e in message["payload"]] == ["NOT_FOUND"]


async def test_anonymous_subscribe_to_a_thread_is_unauthenticated(api: Api) -> None:
    shop = await new_shop(api)
    inquiry_id = await open_inquiry(api, await buyer(api), shop)
    async with ws_session(api.ws_url) as socket:
        await subscribe(socket, "x", operation("InquiryMessageAdded"), {"inquiryId": inquiry_id})
        message = await receive(socket)
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_notification_added_reaches_only_its_recipient(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token, bystander = await buyer(api), await buyer(api)
    inquiry_id = await open_inquiry(api, token, shop)
    async with ws_session(api.ws_url, token) as socket, ws_session(api.ws_url, bystander) as other:
        await subscribe(socket, "n", operation("NotificationAdded"))
        await subscribe(other, "n", operation("NotificationAdded"))
        await asyncio.sleep(SUBSCRIBED)
        # when
        await reply(api, shop.token, inquiry_id, "Ping")
        # then
        message = await receive(socket)
        added = message["payload"]["data"]["notificationAdded"]
        assert added["kind"] == "SUPPLIER_REPLIED" and added["body"] == "Ping"
        assert added["target"] == {"__typename": "Inquiry", "id": inquiry_id}
        try:
            unexpected = await receive(other, timeout=0.3)
        except TimeoutError:
            unexpected = None
        assert unexpected is None
