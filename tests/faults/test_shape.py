"""Several processes, one truth: events, rate limits, persisted queries and the outbox across processes."""

from __future__ import annotations

import asyncio
import hashlib

from app.domain.devices import device_key
from tests.api.harness import operation
from tests.api.ws_client import subscribe, ws_session
from tests.faults.cluster import Cluster, eventually
from tests.faults.people import Thread, copies, next_message, pushes

SUBSCRIBED = 0.5
"""Seconds a new subscription gets to become active at Redis before the other instance writes."""


async def test_a_subscriber_on_one_instance_receives_a_reply_made_on_the_other(cluster: Cluster) -> None:
    # given
    thread = await Thread.open(cluster, instance=0)
    async with ws_session(cluster.ws_url(0), thread.buyer) as socket:
        await subscribe(socket, "m", operation("InquiryMessageAdded"), {"inquiryId": thread.inquiry_id})
        await asyncio.sleep(SUBSCRIBED)
        # when
        sent = await thread.reply(1, "Answered from the other instance")
        # then
        added = await next_message(socket, sent["message"]["id"])
    assert added == sent["message"]


async def test_two_instances_take_cost_from_one_rate_limit_bucket(cluster: Cluster) -> None:
    # given
    token = cluster.token("buyer")
    body = {"query": operation("Verticals"), "operationName": "Verticals"}
    # when
    available = []
    for instance in (0, 1, 0, 1):
        answer = (await cluster.post(instance, body, token)).json()
        available.append(answer["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"])
    # then: each instance sees what the other took (the restore rate is far below the cost taken)
    assert available == sorted(available, reverse=True) and len(set(available)) == 4, available


async def test_a_persisted_hash_registered_on_one_instance_runs_on_the_other(cluster: Cluster) -> None:
    # given
    query = "query SharedAcrossProcesses { verticals { slug } }"
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}
    unknown = (await cluster.post(1, {"extensions": persisted})).json()
    assert unknown["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    # when
    await cluster.post(0, {"query": query, "extensions": persisted})
    answer = (await cluster.post(1, {"extensions": persisted})).json()
    # then
    assert len(answer["data"]["verticals"]) >= 15


async def test_each_push_is_sent_once_while_two_workers_contend_for_the_outbox(cluster: Cluster) -> None:
    # given
    thread = await Thread.open(cluster)
    devices = await thread.devices(5)
    replies = 30
    # when: both instances write, both workers claim (one after another: concurrent replies to one
    # thread fail with a WriteConflict, reported separately)
    for i in range(replies):
        await thread.reply(i % 2, f"Contended answer {i}")

    # then
    async def all_arrived() -> bool:
        return len(copies(pushes(cluster, devices))) == replies * len(devices)

    await eventually(all_arrived, 30, "every reply pushed to every device")
    await asyncio.sleep(1.0)  # room for a duplicate to show, were there one
    received = pushes(cluster, devices)
    assert len(received) == replies * len(devices)
    assert max(copies(received).values()) == 1
    keys = [device_key(address) for address in devices]
    entries = list(
        cluster.store["outbox"].find({"kind": "push.deliver", "payload.deliveries.device": {"$in": keys}})
    )
    assert {(e["status"], e["attempts"]) for e in entries} == {("done", 1)}
