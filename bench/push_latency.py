"""Push latency: a supplier's `replyToInquiry` until the FCM endpoint (FakeFcm, in this process) receives
the buyer's push. The buyer registers a device first; replies go one at a time."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from rich.progress import Progress

from bench.cases import Listing, unique
from bench.client import Client, OperationFailed
from bench.environment import Shape
from bench.serving import token
from tests.servers.fcm import FakeFcm, ReceivedMessage

WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class PushResult:
    replies: int
    p50_ms: float
    p99_ms: float
    lost: int


def measure_push(
    progress: Progress, client: Client, shape: Shape, fcm: FakeFcm, listing: Listing, replies: int
) -> PushResult:
    buyer = token(shape, unique("bench-push-buyer"), "buyer")
    supplier = token(shape, unique("bench-push-supplier"), "supplier", listing.supplier_id)
    address = unique("bench-device") + "x" * 40
    client.gql("RegisterDevice", {"input": {"token": address, "platform": "ANDROID"}}, buyer)
    inquiry = {"productId": listing.product_id, "message": "Bench: MOQ?", "idempotencyKey": unique("inq")}
    inquiry_id = client.gql("SendInquiry", {"input": inquiry}, buyer)["sendInquiry"]["inquiry"]["id"]
    latencies: list[float] = []
    lost = 0
    task = progress.add_task("push: reply to FCM", total=replies)
    for number in range(replies):
        marker = f"Bench reply {number} {unique('r')}"
        sent_at = time.time()
        reply = {"inquiryId": inquiry_id, "body": marker, "idempotencyKey": unique("reply")}
        client.gql("SupplierReply", {"input": reply}, supplier)
        received = _wait_for(fcm, address, marker)
        if received is None:
            lost += 1
            if lost >= 3 and not latencies:
                raise OperationFailed("no push reached the FCM endpoint within 10 s")
        else:
            latencies.append((received.received_at - sent_at) * 1000)
        progress.advance(task)
    return PushResult(len(latencies), _percentile(latencies, 0.5), _percentile(latencies, 0.99), lost)


def _wait_for(fcm: FakeFcm, address: str, marker: str) -> ReceivedMessage | None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        for message in reversed(fcm.messages_to(address)):
            if marker in str(message.message.get("notification", {}).get("body", "")):
                return message
        time.sleep(0.002)
    return None


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[max(0, round(share * 100) - 1)]
