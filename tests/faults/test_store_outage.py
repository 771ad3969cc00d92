"""The store server stopped, then started again, under two running API instances and two workers."""

from __future__ import annotations

import time

from app.domain.ids import to_global_id
from tests.api.harness import unique
from tests.faults.cluster import Cluster, eventually
from tests.faults.people import Thread, pushes

SEND = "mutation($input: SendInquiryInput!) { sendInquiry(input: $input) { inquiry { id } } }"
CLEAN_CODES = {"INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE"}


def assert_clean(text: str, codes: list[str]) -> None:
    assert codes and set(codes) <= CLEAN_CODES, codes
    for leak in ("Traceback", 'File "', "pymongo", "ServerSelectionTimeout", "127.0.0.1"):
        assert leak not in text, text


async def test_with_the_store_down_readyz_is_503_requests_fail_cleanly_and_all_recovers_without_restarts(
    cluster: Cluster,
) -> None:
    # given
    thread = await Thread.open(cluster)
    [device] = await thread.devices(1)
    product = cluster.store["products"].find_one({}, sort=[("_id", -1)])
    assert product is not None
    newcomer = cluster.token("buyer")
    text = f"Asked while the store is down {unique('text')}"
    inquiry = {"productId": to_global_id("Product", product["_id"]), "message": text}
    # when
    cluster.mongo.stop()
    try:
        stopped_at = time.monotonic()
        ready = [await cluster.get(i, "/readyz") for i in (0, 1)]
        readyz_seconds = time.monotonic() - stopped_at
        query = await cluster.post(0, {"query": "query { viewer { id } }"}, token=thread.buyer)
        write = await cluster.post(
            1,
            {
                "query": SEND,
                "variables": {"input": {**inquiry, "idempotencyKey": unique("key")}},
            },
            token=newcomer,
        )
    finally:
        cluster.mongo.start()
    restarted_at = time.monotonic()

    # then: while down
    for answer in ready:
        assert answer.status_code == 503 and "store" in answer.json()["problems"], answer.text
    for answer in (query, write):
        codes = [e["extensions"]["code"] for e in answer.json()["errors"]]
        assert_clean(answer.text, codes)

    # then: back up, with the same processes
    async def ready_again() -> bool:
        statuses = [(await cluster.get(i, "/readyz")).status_code for i in (0, 1)]
        return statuses == [200, 200]

    recovery = await eventually(ready_again, 30, "both instances ready again")
    assert cluster.store["inquiry_messages"].count_documents({"body": text}) == 0, "a write was half done"
    assert cluster.store["outbox"].count_documents({"payload.params.body": text}) == 0
    again = await cluster.gql(
        1, "SendInquiry", {"input": {**inquiry, "idempotencyKey": unique("key")}}, newcomer
    )
    assert again["data"]["sendInquiry"]["userErrors"] == [], again
    await thread.reply(0, "Answered after the store came back")

    async def pushed() -> bool:
        return any(body == "Answered after the store came back" for _, body, _ in pushes(cluster, [device]))

    push_seconds = await eventually(pushed, 30, "a push through the workers after the outage")
    print(
        f"\nstore down: /readyz answered 503 on both instances in {readyz_seconds:.1f} s;"
        f" ready again {recovery:.1f} s after the restart; first push {push_seconds:.1f} s after the reply"
        f" ({time.monotonic() - restarted_at:.1f} s after the restart); while down a query answered"
        f" {query.status_code} {query.json()['errors'][0]['extensions']['code']}, a mutation"
        f" {write.status_code} {write.json()['errors'][0]['extensions']['code']}"
    )
