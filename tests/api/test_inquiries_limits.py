"""Message lengths, the daily quota, idempotency keys, blocks and response figures (CONTRACT.md 4, 8)."""

from __future__ import annotations

from tests.api.harness import Api, unique
from tests.api.test_inquiries_support import (
    another_product,
    buyer,
    new_shop,
    open_inquiry,
    reply,
    send_inquiry,
)


async def test_a_message_of_4000_code_points_is_accepted_and_4001_is_invalid(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    # when
    too_long = await send_inquiry(api, token, shop.product_id, "\U0001f4e6" * 4001)
    longest = await send_inquiry(api, token, shop.product_id, "\U0001f4e6" * 4000)
    empty = await send_inquiry(api, token, shop.product_id, "   ")
    # then
    assert too_long["userErrors"][0]["code"] == "INVALID" and too_long["userErrors"][0]["field"] == [
        "input",
        "message",
    ]
    assert empty["userErrors"][0]["code"] == "INVALID"
    assert longest["userErrors"] == []


async def test_the_21st_new_inquiry_of_a_day_exceeds_the_limit(api: Api) -> None:
    # given twenty inquiries about twenty products today
    shop = await new_shop(api)
    token = await buyer(api)
    products = [await another_product(api, shop) for _ in range(21)]
    for product in products[:20]:
        assert (await send_inquiry(api, token, product))["userErrors"] == []
    # when
    twenty_first = await send_inquiry(api, token, products[20])
    follow_up = await send_inquiry(api, token, products[0], "one more question about the first")
    # then
    assert twenty_first["userErrors"][0]["code"] == "LIMIT_EXCEEDED"
    assert twenty_first["inquiry"] is None
    assert follow_up["userErrors"] == []


async def test_a_replayed_key_returns_the_same_thread_and_notifies_no_one_again(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    variables = {
        "input": {"productId": shop.product_id, "message": "Samples?", "idempotencyKey": unique("k")}
    }
    first = await api.gql("SendInquiry", variables, token=token)
    # when
    again = await api.gql("SendInquiry", variables, token=token)
    other = dict(variables["input"], message="Other text")
    conflict = await api.gql("SendInquiry", {"input": other}, token=token)
    await api.drain_outbox()
    # then
    assert again["data"]["sendInquiry"]["inquiry"]["id"] == first["data"]["sendInquiry"]["inquiry"]["id"]
    assert conflict["data"]["sendInquiry"]["userErrors"][0]["code"] == "CONFLICT"
    assert conflict["data"]["sendInquiry"]["userErrors"][0]["field"] == ["input", "idempotencyKey"]
    notes = await api.gql("SupplierNotifications", {"first": 10}, token=shop.token)
    assert len(notes["data"]["viewer"]["notifications"]["edges"]) == 1


async def test_a_buyer_who_blocks_closes_and_mutes_the_thread_and_the_supplier_can_no_longer_write(
    api: Api,
) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    inquiry_id = await open_inquiry(api, token, shop)
    # when
    report = {"inquiryId": inquiry_id, "reason": "SPAM", "details": "Unsolicited offers", "block": True}
    body = await api.gql("ReportInquiry", {"input": report}, token=token)
    answer = await reply(api, shop.token, inquiry_id, "Please reconsider", operation="SupplierReply")
    # then
    assert body["data"]["reportInquiry"]["inquiry"] == {"id": inquiry_id, "status": "CLOSED", "muted": True}
    assert answer["userErrors"][0]["code"] == "FORBIDDEN"


async def test_a_supplier_who_blocks_a_buyer_stops_their_messages_and_new_inquiries(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    inquiry_id = await open_inquiry(api, token, shop)
    report = {"inquiryId": inquiry_id, "reason": "ABUSE", "block": True}
    await api.gql("SupplierReportInquiry", {"input": report}, token=shop.token)
    # when
    answer = await reply(api, token, inquiry_id, "Hello?")
    product = await another_product(api, shop)
    fresh = await send_inquiry(api, token, product, "New thread")
    # then
    assert answer["userErrors"][0]["code"] == "FORBIDDEN"
    assert fresh["userErrors"][0]["code"] == "FORBIDDEN"


async def test_a_report_without_block_changes_nothing_for_the_other_side(api: Api) -> None:
    shop = await new_shop(api)
    token = await buyer(api)
    inquiry_id = await open_inquiry(api, token, shop)
    body = await api.gql(
        "ReportInquiry", {"input": {"inquiryId": inquiry_id, "reason": "OTHER"}}, token=token
    )
    assert body["data"]["reportInquiry"]["inquiry"] == {
        "id": inquiry_id,
        "status": "AWAITING_SUPPLIER",
        "muted": False,
    }
    assert (await reply(api, shop.token, inquiry_id))["userErrors"] == []


async def test_first_replies_set_the_suppliers_response_figures(api: Api) -> None:
    # given
    shop = await new_shop(api)
    token = await buyer(api)
    inquiry_id = await open_inquiry(api, token, shop)
    # when
    await reply(api, shop.token, inquiry_id)
    await api.drain_outbox()
    # then
    body = await api.gql("InquiryThread", {"id": inquiry_id, "first": 1}, token=token)
    assert body["data"]["inquiry"]["supplier"]["medianResponseMinutes"] == 0
    query = "query S($id: ID!) { supplier(id: $id) { responseRate medianResponseMinutes } }"
    supplier = (await api.post(query, {"id": shop.supplier_id})).json()["data"]["supplier"]
    assert supplier == {"responseRate": 1.0, "medianResponseMinutes": 0}
