"""Writes to one thread at the same moment all land (MongoDB's write conflicts are retried)."""

from __future__ import annotations

import asyncio

from tests.api.harness import Api
from tests.api.test_inquiries_support import buyer, new_shop, open_inquiry, reply, send_inquiry


async def test_concurrent_replies_to_one_thread_all_land_in_order(api: Api) -> None:
    # given
    shop = await new_shop(api)
    owner = await buyer(api, name="Concurrent")
    inquiry_id = await open_inquiry(api, owner, shop)
    # when
    payloads = await asyncio.gather(
        *(reply(api, shop.token, inquiry_id, f"answer {i}", operation="SupplierReply") for i in range(4)),
        reply(api, owner, inquiry_id, "and one more question"),
    )
    # then
    assert [p["userErrors"] for p in payloads] == [[]] * 5
    thread = await api.gql("InquiryThread", {"id": inquiry_id, "first": 10}, token=owner)
    bodies = [edge["node"]["body"] for edge in thread["data"]["inquiry"]["messages"]["edges"]]
    assert sorted(bodies) == sorted(
        ["Hello, MOQ?", "and one more question", *(f"answer {i}" for i in range(4))]
    )


async def test_marking_a_thread_read_while_a_reply_lands_keeps_the_reply(api: Api) -> None:
    # given a thread the buyer opened
    shop = await new_shop(api)
    owner = await buyer(api, name="Reader")
    inquiry_id = await open_inquiry(api, owner, shop)
    # when both sides mark it read while the supplier replies
    bodies = await asyncio.gather(
        api.gql("MarkInquiryRead", {"id": inquiry_id}, token=owner),
        api.gql("SupplierMarkInquiryRead", {"id": inquiry_id}, token=shop.token),
        reply(api, shop.token, inquiry_id, "Yes, from 100 pieces.", operation="SupplierReply"),
        api.gql("MarkInquiryRead", {"id": inquiry_id}, token=owner),
    )
    # then nothing fails, and the thread waits for the buyer (no read mark wrote back an older thread)
    marks, replied = [bodies[0], bodies[1], bodies[3]], bodies[2]
    assert [b.get("errors") for b in marks] == [None] * 3
    assert replied["userErrors"] == []
    thread = (await api.gql("InquiryThread", {"id": inquiry_id, "first": 10}, token=owner))["data"]["inquiry"]
    assert thread["status"] == "AWAITING_BUYER"
    assert [e["node"]["body"] for e in thread["messages"]["edges"]] == [
        "Yes, from 100 pieces.",
        "Hello, MOQ?",
    ]


async def test_two_inquiries_about_one_product_at_once_open_one_thread(api: Api) -> None:
    # given a buyer who has not asked about the product yet
    shop = await new_shop(api)
    owner = await buyer(api, name="Twice")
    # when two questions about it are sent at the same moment
    payloads = await asyncio.gather(
        send_inquiry(api, owner, shop.product_id, "Do you ship to Spain?"),
        send_inquiry(api, owner, shop.product_id, "And the MOQ?"),
    )
    # then both land in one thread
    assert [p["userErrors"] for p in payloads] == [[], []]
    assert payloads[0]["inquiry"]["id"] == payloads[1]["inquiry"]["id"]
    inquiry_id = payloads[0]["inquiry"]["id"]
    thread = (await api.gql("InquiryThread", {"id": inquiry_id, "first": 10}, token=owner))["data"]["inquiry"]
    assert sorted(e["node"]["body"] for e in thread["messages"]["edges"]) == [
        "And the MOQ?",
        "Do you ship to Spain?",
    ]
