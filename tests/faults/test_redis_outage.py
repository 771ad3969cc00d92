"""Redis stopped: queries and mutations go on (limits fail open, counted), subscriptions come back."""

from __future__ import annotations

import asyncio
import re
import time

from tests.api.harness import operation
from tests.api.ws_client import receive, subscribe, ws_session
from tests.faults.cluster import Cluster
from tests.faults.people import Thread

RECOVERY_TIMEOUT = 30.0


def rate_limit_failures(metrics: str) -> float:
    found = re.search(r'^redis_failures_total\{use="rate_limit"\} (\S+)$', metrics, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def test_with_redis_down_the_api_serves_and_a_live_subscription_recovers_when_it_returns(
    cluster: Cluster,
) -> None:
    # given: a buyer on instance 0 follows a thread live
    thread = await Thread.open(cluster)
    before = rate_limit_failures((await cluster.get(1, "/metrics")).text)
    async with ws_session(cluster.ws_url(0), thread.buyer) as socket:
        await subscribe(socket, "m", operation("InquiryMessageAdded"), {"inquiryId": thread.inquiry_id})
        await asyncio.sleep(0.5)
        # when
        cluster.redis.stop()
        try:
            query = await cluster.gql(1, "Verticals", token=thread.buyer)
            during = await thread.reply(1, "Answered while Redis is down")
            ready = await cluster.get(0, "/readyz")
            after = rate_limit_failures((await cluster.get(1, "/metrics")).text)
        finally:
            cluster.redis.start()
        restarted = time.monotonic()
        # then: the live thread hears of a message written after Redis came back
        received: list[str] = []
        attempt = 0
        while time.monotonic() - restarted < RECOVERY_TIMEOUT:
            attempt += 1
            sent = await thread.reply(1, f"Answered after Redis came back, try {attempt}")
            try:
                while True:
                    message = await receive(socket, timeout=1.0)
                    received.append(message["payload"]["data"]["inquiryMessageAdded"]["id"])
                    if received[-1] == sent["message"]["id"]:
                        break
                break
            except TimeoutError:
                continue
        recovery = time.monotonic() - restarted
    assert query.get("errors") is None and len(query["data"]["verticals"]) >= 15
    assert during["message"]["body"] == "Answered while Redis is down"
    assert ready.status_code == 200 and "broker" in ready.json()["problems"], ready.text
    assert after > before
    assert sent["message"]["id"] in received, "the subscription never heard from Redis again"
    print(
        f"\nredis down: served, {after - before:.0f} rate-limit failures counted; subscription live again"
        f" {recovery:.1f} s after the restart ({attempt} tries); the message written during the outage"
        f" {'arrived' if during['message']['id'] in received else 'was lost'} (pub/sub is at most once)"
    )
