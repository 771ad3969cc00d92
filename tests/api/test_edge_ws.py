"""GraphQL over WebSocket: auth at init, the same limits as HTTP, the protocol's close codes."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from tests.api.harness import Api
from tests.api.ws_client import receive, send, subscribe, ws_session


async def closed_with(
    socket: websockets.asyncio.client.ClientConnection, timeout: float = 15.0
) -> int | None:
    with pytest.raises(ConnectionClosed) as closed:
        await asyncio.wait_for(socket.recv(), timeout)
    return closed.value.rcvd.code if closed.value.rcvd else None


async def test_a_query_over_the_socket_answers_next_then_complete(api: Api) -> None:
    async with ws_session(api.ws_url, api.token()) as socket:
        await subscribe(socket, "1", "query V { verticals { slug } }")
        first = await receive(socket)
        second = await receive(socket)
    assert first["type"] == "next" and len(first["payload"]["data"]["verticals"]) >= 15
    assert second == {"type": "complete", "id": "1"}


async def test_an_invalid_token_at_init_closes_with_4403(api: Api) -> None:
    async with websockets.connect(api.ws_url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
        await send(socket, {"type": "connection_init", "payload": {"authorization": "Bearer nope"}})
        assert await closed_with(socket) == 4403


async def test_subscribe_before_init_closes_with_4401(api: Api) -> None:
    async with websockets.connect(api.ws_url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
        await subscribe(socket, "1", "query V { verticals { slug } }")
        assert await closed_with(socket) == 4401


async def test_a_socket_without_init_for_10_seconds_closes_with_4408(api: Api) -> None:
    async with websockets.connect(api.ws_url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
        assert await closed_with(socket, timeout=13.0) == 4408


async def test_limits_apply_to_subscribe_as_to_http(api: Api) -> None:
    fields = " ".join(f"a{i}: verticals {{ id }}" for i in range(31))
    async with ws_session(api.ws_url) as socket:
        await subscribe(socket, "x", f"query Aliases {{ {fields} }}")
        message = await receive(socket)
    assert message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_a_second_init_closes_with_4429(api: Api) -> None:
    async with ws_session(api.ws_url) as socket:
        await send(socket, {"type": "connection_init", "payload": {}})
        assert await closed_with(socket) == 4429


async def test_ping_is_answered_with_pong(api: Api) -> None:
    async with ws_session(api.ws_url) as socket:
        await socket.send(json.dumps({"type": "ping"}))
        assert (await receive(socket))["type"] == "pong"


async def test_a_connection_holds_at_most_50_operations(api: Api) -> None:
    # given: 50 live subscriptions on one socket
    query = "subscription N { notificationAdded { id } }"
    async with ws_session(api.ws_url, api.token()) as socket:
        for index in range(50):
            await subscribe(socket, f"s{index}", query)
        # when
        await subscribe(socket, "one-too-many", query)
        message = await receive(socket)
    # then
    assert message["type"] == "error" and message["id"] == "one-too-many"
    assert message["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_socket_whose_token_expires_is_closed_with_4403(api: Api) -> None:
    # given: a token that expires two seconds from now
    token = api.token(now=int(time.time()) - 3598, ttl_seconds=3600)
    async with ws_session(api.ws_url, token) as socket:
        # then
        assert await closed_with(socket, timeout=8.0) == 4403
