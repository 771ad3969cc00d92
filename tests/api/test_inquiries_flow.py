"""Opening, replying to and listing inquiries, and the pushes they cause (CONTRACT.md section 8)."""

from __future__ import annotations

from app.domain.ids import to_global_id
from tests.api.harness import Api
from tests.api.test_inquiries_support import (
    another_product,
    buyer,
    new_shop,
    open_inquiry,
    pushes_to,
    register_device,
    reply,
    send_inquiry,
)


async def test_send_inquiry_opens_a_thread_awaiting_the_supplier_with_the_product_title_as_subject(
    api: Api,
) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api, "Ana", "ES")
    # when
    payload = await send_inquiry(api, token, shop.product_id, "Do you ship to Spain?", quantity=500)
    # then
    assert payload["userErrors"] == []
    inquiry = payload["inquiry"]
    assert inquiry["status"] == "AWAITING_SUPPLIER"
    assert inquiry["subject"] == f"Chair {shop.product_key}"
    assert inquiry["requestedQuantity"] == 500
    assert inquiry["supplier"] == {"id": shop.supplier_id, "name": shop.name}
    assert inquiry["product"]["id"] == shop.product_id


async def test_supplier_reply_pushes_to_every_buyer_device_with_title_body_data_group_and_badge(
    api: Api,
) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api, "Ana", "ES")
    phone = await register_device(api, token, locale="es-MX")
    tablet = await register_device(api, token, platform="IOS")
    inquiry_id = await open_inquiry(api, token, shop)
    # when
    payload = await reply(api, shop.token, inquiry_id, "Sí, enviamos a España. " + "x" * 200)
    await api.drain_outbox()
    # then
    assert payload["inquiry"]["status"] == "AWAITING_BUYER"
    assert payload["message"]["senderRole"] == "SUPPLIER"
    [spanish] = pushes_to(api, phone)
    [english] = pushes_to(api, tablet)
    assert spanish.title == f"{shop.name} respondió"
    assert english.title == f"{shop.name} replied"
    assert english.platform == "IOS"
    assert english.body == ("Sí, enviamos a España. " + "x" * 200)[:120] + "…"
    assert english.data["kind"] == "SUPPLIER_REPLIED"
    assert english.data["targetId"] == inquiry_id
    assert english.data["notificationId"] == spanish.data["notificationId"]
    assert (
        english.group
        == spanish.group
        == f"inquiry:{inquiry_id and payload['inquiry']['id'] and _key(inquiry_id)}"
    )
    assert english.badge == 1


def _key(global_id: str) -> str:
    from app.domain.ids import from_global_id

    return from_global_id(global_id)[1]


async def test_new_inquiry_pushes_to_the_supplier_naming_the_buyer_by_country_when_unnamed(api: Api) -> None:
    # given
    shop = await new_shop(api)
    device = await register_device(api, shop.token)
    token = await buyer(api, country="DE")
    # when
    inquiry_id = await open_inquiry(api, token, shop, "Need 2000 chairs")
    await api.drain_outbox()
    # then
    [push] = pushes_to(api, device)
    assert push.title == "New inquiry from Buyer from DE"
    assert push.body == "Need 2000 chairs"
    assert push.data["kind"] == "NEW_INQUIRY"
    assert push.data["targetId"] == inquiry_id


async def test_buyer_reply_awaits_the_supplier_and_notifies_every_supplier_user(api: Api) -> None:
    # given
    shop = await new_shop(api)
    colleague = shop.staff()
    await api.gql("Viewer", token=colleague)
    token = await buyer(api, "Ana")
    inquiry_id = await open_inquiry(api, token, shop)
    await reply(api, shop.token, inquiry_id)
    # when
    payload = await reply(api, token, inquiry_id, "And the price for 1000?")
    await api.drain_outbox()
    # then
    assert payload["inquiry"]["status"] == "AWAITING_SUPPLIER"
    for user in (shop.token, colleague):
        body = await api.gql("SupplierNotifications", {"first": 5}, token=user)
        kinds = [e["node"]["kind"] for e in body["data"]["viewer"]["notifications"]["edges"]]
        assert kinds == ["BUYER_REPLIED", "NEW_INQUIRY"]


async def test_second_inquiry_about_the_same_open_product_adds_to_the_thread(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    first = await open_inquiry(api, token, shop, "First question")
    # when
    second = await open_inquiry(api, token, shop, "Second question")
    # then
    assert second == first
    body = await api.gql("InquiryThread", {"id": first, "first": 10}, token=token)
    bodies = [e["node"]["body"] for e in body["data"]["inquiry"]["messages"]["edges"]]
    assert bodies == ["Second question", "First question"]


async def test_closed_thread_reopens_with_a_new_message(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    inquiry_id = await open_inquiry(api, token, shop)
    closed = await api.gql("SupplierCloseInquiry", {"id": inquiry_id}, token=shop.token)
    assert closed["data"]["closeInquiry"]["inquiry"]["status"] == "CLOSED"
    # when
    payload = await reply(api, token, inquiry_id, "Still interested")
    # then
    assert payload["inquiry"]["status"] == "AWAITING_SUPPLIER"


async def test_my_inquiries_are_ordered_by_last_message_newest_first_and_page(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    older = await open_inquiry(api, token, shop, "one")
    product = await another_product(api, shop)
    newer = (await send_inquiry(api, token, product, "two"))["inquiry"]["id"]
    await reply(api, shop.token, older, "answer to one")
    # when
    first = await api.gql("MyInquiries", {"first": 1}, token=token)
    connection = first["data"]["viewer"]["inquiries"]
    rest = await api.gql(
        "MyInquiries", {"first": 5, "after": connection["pageInfo"]["endCursor"]}, token=token
    )
    # then
    [top] = connection["edges"]
    assert top["node"]["id"] == older
    assert top["node"]["lastMessage"]["body"] == "answer to one"
    assert top["node"]["unreadCount"] == 1
    assert connection["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["id"] for e in rest["data"]["viewer"]["inquiries"]["edges"]] == [newer]


async def test_supplier_lists_its_threads_with_the_buyer_summary(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api, "Ana", "ES")
    viewer = (await api.gql("Viewer", token=token))["data"]["viewer"]
    inquiry_id = await open_inquiry(api, token, shop)
    # when
    body = await api.gql("SupplierInquiries", {"first": 10}, token=shop.token)
    # then
    [edge] = body["data"]["viewer"]["inquiries"]["edges"]
    assert edge["node"]["id"] == inquiry_id
    assert edge["node"]["buyer"] == {"id": viewer["id"], "displayName": "Ana", "country": "ES"}
    assert edge["node"]["unreadCount"] == 1
    assert edge["node"]["product"]["id"] == to_global_id("Product", shop.product_key)


async def test_an_inquiry_feeds_the_buyers_interests(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    # when
    await open_inquiry(api, token, shop)
    # then
    viewer = (await api.gql("Viewer", token=token))["data"]["viewer"]
    assert len(viewer["interests"]) == 1


async def test_listing_threads_makes_the_same_store_calls_for_two_or_ten(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    for _ in range(10):
        await send_inquiry(api, token, await another_product(api, shop), "q")
    # Asked once before, with no write pending: how many calls a batch takes depends on what the
    # entity memo holds and whether its collection changed since.
    await api.drain_outbox()
    await api.gql("MyInquiries", {"first": 10}, token=token)
    # when
    small = await api.gql("MyInquiries", {"first": 2}, token=token)
    large = await api.gql("MyInquiries", {"first": 10}, token=token)
    # then
    assert len(large["data"]["viewer"]["inquiries"]["edges"]) == 10
    assert small["extensions"]["stats"]["storeCalls"] == large["extensions"]["stats"]["storeCalls"]
