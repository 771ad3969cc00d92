"""A worker killed with SIGKILL in the middle of a push batch (CONTRACT.md section 8: at least once)."""

from __future__ import annotations

import asyncio
import signal
import time
from collections import defaultdict

from app.domain.devices import device_key
from app.domain.ids import key_of
from app.domain.notifications_rules import delivery_key
from tests.faults.cluster import Cluster, eventually
from tests.faults.people import Thread, copies, pushes

FCM_DELAY = 1.0
"""Seconds the FCM endpoint holds each send, so that sends are in flight when the worker dies."""
LEASE_SECONDS = 30
"""The dispatcher's lease: a dead worker's entries are claimed again once it runs out."""


def unmarked(cluster: Cluster, sent: list[tuple[str, str, str]]) -> set[tuple[str, str]]:
    """(address, notificationId) of sends the FCM endpoint took whose delivery the store has no mark of."""
    keys = {
        delivery_key(str(key_of(notification_id, "Notification")), device_key(address)): (
            address,
            notification_id,
        )
        for address, _, notification_id in sent
    }
    marked = {
        d["_id"] for d in cluster.store["push_deliveries"].find({"_id": {"$in": list(keys)}}, {"_id": 1})
    }
    return {pair for key, pair in keys.items() if key not in marked}


async def test_a_push_batch_cut_by_sigkill_reaches_every_device_and_repeats_only_sends_in_flight(
    cluster: Cluster,
) -> None:
    # given: one worker holds all the work (the other is frozen), and FCM answers slowly
    thread = await Thread.open(cluster)
    devices = await thread.devices(8)
    killed, frozen = cluster.workers
    assert frozen.process is not None
    frozen.process.send_signal(signal.SIGSTOP)
    try:
        cluster.fcm.set_delay(FCM_DELAY)
        replies = 12
        for i in range(replies):
            await thread.reply(i % 2, f"Answer {i} before the crash")

        async def sends_in_flight() -> bool:
            return cluster.fcm.max_in_flight >= 2 * len(devices)

        await eventually(sends_in_flight, 20, "push sends in flight at the FCM endpoint", interval=0.02)
        # when
        killed.kill()
        killed_at = time.time()
    finally:
        frozen.process.send_signal(signal.SIGCONT)
    await asyncio.sleep(FCM_DELAY + 1.0)  # the endpoint finishes what it had taken
    sent_before = [p for p in pushes(cluster, devices) if _received_before(cluster, p, killed_at)]
    lost = unmarked(cluster, sent_before)
    cluster.fcm.set_delay(0)
    cluster.start_worker(0)

    # then
    expected = replies * len(devices)

    async def all_delivered() -> bool:
        received = pushes(cluster, devices)
        return len(copies(received)) == expected and not unmarked(cluster, received)

    recovery = await eventually(all_delivered, LEASE_SECONDS + 30, "every notification on every device")
    received = pushes(cluster, devices)
    repeated = {pair: n for pair, n in copies(received).items() if n > 1}
    ids: dict[tuple[str, str], set[str]] = defaultdict(set)
    for address, body, notification_id in received:
        ids[(address, body)].add(notification_id)
    second = sum(n - 1 for n in repeated.values())
    print(
        f"\nSIGKILL: {len(sent_before)} sends reached FCM before the kill, {len(lost)} of them unmarked;"
        f" {second} second copies; all delivered {recovery:.1f} s after restart"
    )
    assert lost, "the kill should have cut sends in flight"
    assert all(len(found) == 1 for found in ids.values())
    assert {(address, next(iter(ids[(address, body)]))) for address, body in repeated} <= lost
    assert max(copies(received).values()) <= 2


def _received_before(cluster: Cluster, push: tuple[str, str, str], moment: float) -> bool:
    address, body, _ = push
    return any(
        m.address == address
        and m.message.get("notification", {}).get("body") == body
        and m.received_at < moment
        for m in cluster.fcm.messages
    )
