"""Subscription fan-out: 1,000 graphql-transport-ws subscribers of one order's `orderUpdated`; the time
from sending the supplier's `updateOrderStatus` to the last subscriber's `next` message."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

import httpx
import websockets
from rich.progress import Progress
from websockets.asyncio.client import ClientConnection

from bench.cases import Listing, place_order, unique
from bench.client import Client, OperationFailed, headers, operation_text, request_body
from bench.environment import Shape
from bench.serving import token

OPEN_AT_ONCE = 50
WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class FanoutResult:
    subscribers: int
    received: int
    last_ms: float
    median_ms: float


def measure_fanout(
    progress: Progress, client: Client, shape: Shape, listing: Listing, subscribers: int
) -> FanoutResult:
    buyer = token(shape, unique("bench-fan-buyer"), "buyer")
    supplier = token(shape, unique("bench-fan-supplier"), "supplier", listing.supplier_id)
    order_id = place_order(client, buyer, listing)
    client.gql("UpdateOrderStatus", {"input": {"orderId": order_id, "status": "CONFIRMED"}}, supplier)
    change = request_body("UpdateOrderStatus", {"input": {"orderId": order_id, "status": "IN_PRODUCTION"}})
    return asyncio.run(_fan_out(progress, client.url, buyer, supplier, order_id, change, subscribers))


async def _fan_out(
    progress: Progress, url: str, buyer: str, supplier: str, order_id: str, change: bytes, subscribers: int
) -> FanoutResult:
    ws_url = url.replace("http://", "ws://") + "/graphql"
    task = progress.add_task("fan-out: subscribing", total=subscribers)
    gate = asyncio.Semaphore(OPEN_AT_ONCE)

    async def opened() -> ClientConnection:
        async with gate:
            socket = await _subscribe(ws_url, buyer, order_id)
            progress.advance(task)
            return socket

    sockets = await asyncio.gather(*(opened() for _ in range(subscribers)))
    try:
        await asyncio.sleep(1.0)  # subscribe has no acknowledgement: let the last ones be in place
        received: list[float] = []
        refused: list[str] = []

        async def listen(socket: ClientConnection) -> None:
            message = json.loads(await socket.recv())
            if message.get("type") == "next":
                received.append(time.perf_counter())
            else:
                refused.append(str(message)[:100])

        listeners = [asyncio.create_task(listen(s)) for s in sockets]
        started = time.perf_counter()
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.post(url + "/graphql", content=change, headers=headers(supplier))
        if b'"errors"' in response.content or b'"userErrors":[{' in response.content:
            raise OperationFailed(f"updateOrderStatus failed: {response.text[:80]}")
        await asyncio.wait(listeners, timeout=WAIT_SECONDS)
        for listener in listeners:
            listener.cancel()
    finally:
        await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
    if not received:
        reason = refused[0] if refused else f"nothing within {WAIT_SECONDS:.0f} s"
        raise OperationFailed(f"no subscriber received the change: {reason}")
    times = sorted((t - started) * 1000 for t in received)
    return FanoutResult(subscribers, len(times), times[-1], times[len(times) // 2])


async def _subscribe(ws_url: str, buyer: str, order_id: str) -> ClientConnection:
    socket = await websockets.connect(ws_url, subprotocols=["graphql-transport-ws"], max_queue=None)  # type: ignore[list-item]
    await socket.send(
        json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {buyer}"}})
    )
    ack = json.loads(await socket.recv())
    if ack.get("type") != "connection_ack":
        raise OperationFailed(f"connection_init answered {ack.get('type')}")
    payload = {"query": operation_text("OrderUpdated"), "variables": {"id": order_id}}
    await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
    return socket
