"""Replies that arrive at the same moment all land (MongoDB's write conflicts are retried)."""

from __future__ import annotations

import asyncio

from tests.api.harness import Api
from tests.api.test_inquiries_support import buyer, new_shop, open_inquiry, reply


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
