"""A small graphql-transport-ws client for the API suites."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection


@asynccontextmanager
async def ws_session(
    url: str, token: str | None = None, *, init: bool = True
) -> AsyncIterator[ClientConnection]:
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
        if init:
            payload = {"authorization": f"Bearer {token}"} if token else {}
            await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
            ack = json.loads(await socket.recv())
            assert ack["type"] == "connection_ack", ack
        yield socket


async def send(socket: ClientConnection, message: dict[str, Any]) -> None:
    await socket.send(json.dumps(message))


async def receive(socket: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    import asyncio

    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), timeout))
    return message


async def subscribe(
    socket: ClientConnection, operation_id: str, query: str, variables: dict[str, Any] | None = None
) -> None:
    await send(
        socket,
        {"id": operation_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}},
    )
