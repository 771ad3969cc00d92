"""What only the Redis broker promises: one pub/sub connection per broker, and recovery after
Redis goes down and comes back."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from app.broker.port import BrokerUnavailable
from app.broker.redis import RedisBroker
from tests.servers.ports import free_port
from tests.servers.redis import RedisServer


def channel_name(label: str = "c") -> str:
    return f"test:{label}:{uuid.uuid4().hex[:12]}"


async def receive(messages: AsyncIterator[bytes], timeout: float = 3.0) -> bytes:
    return await asyncio.wait_for(anext(messages), timeout)


async def eventually(check: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        result = await check()  # type: ignore[operator]
        if result:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        await asyncio.sleep(0.05)


async def pubsub_clients(url: str) -> list[dict[str, str]]:
    """CLIENT LIST entries of connections that hold subscriptions."""
    async with aioredis.Redis.from_url(url) as admin:
        clients = await admin.client_list()
    return [c for c in clients if int(c.get("sub", 0)) > 0]


async def numsub(url: str, channel: str) -> int:
    async with aioredis.Redis.from_url(url) as admin:
        [(_, count)] = await admin.pubsub_numsub(channel)
    return int(count)


async def receive_after_recovery(
    publisher: RedisBroker, channel: str, messages: AsyncIterator[bytes], timeout: float = 15.0
) -> bytes:
    """Publishes markers until the subscription gets one (Redis drops what nobody listens to)."""
    deadline = time.monotonic() + timeout
    i = 0
    while time.monotonic() < deadline:
        marker = f"marker-{i}".encode()
        try:
            await publisher.publish(channel, marker)
        except BrokerUnavailable:
            await asyncio.sleep(0.1)
            continue
        try:
            got = await asyncio.wait_for(anext(messages), 0.2)
        except TimeoutError:
            i += 1
            continue
        return got
    pytest.fail(f"no message on {channel} within {timeout} s of Redis coming back")


async def test_one_connection_for_all_subscriptions(own_redis_server: RedisServer) -> None:
    url = own_redis_server.url
    broker = RedisBroker(url)
    channels = [channel_name(str(i)) for i in range(5)]
    try:
        async with (
            broker.subscribe(channels[0]) as a1,
            broker.subscribe(channels[0]) as a2,
            broker.subscribe(channels[1]) as b,
            broker.subscribe(channels[2]),
            broker.subscribe(channels[3]),
            broker.subscribe(channels[4]),
            broker.subscribe(channels[4]),
        ):
            subscribed = await pubsub_clients(url)
            assert len(subscribed) == 1, subscribed
            assert int(subscribed[0]["sub"]) == 5
            await broker.publish(channels[0], b"x")
            await broker.publish(channels[1], b"y")
            assert await receive(a1) == b"x"
            assert await receive(a2) == b"x"
            assert await receive(b) == b"y"

        async def none_left() -> bool:
            return await pubsub_clients(url) == []

        await eventually(none_left)
    finally:
        await broker.close()


async def test_unsubscribe_reaches_redis(redis_server: RedisServer) -> None:
    broker = RedisBroker(redis_server.url)
    channel = channel_name()
    try:
        async with broker.subscribe(channel), broker.subscribe(channel):
            assert await numsub(redis_server.url, channel) == 1  # one Redis subscription per channel

        async def gone() -> bool:
            return await numsub(redis_server.url, channel) == 0

        await eventually(gone)
    finally:
        await broker.close()


@pytest.mark.parametrize("how", ["stop", "kill"])
async def test_subscriptions_recover_after_redis_restart(own_redis_server: RedisServer, how: str) -> None:
    server = own_redis_server
    subscriber_broker = RedisBroker(server.url, subscribe_timeout=0.5)
    publisher_broker = RedisBroker(server.url)
    channel, other = channel_name("kept"), channel_name("left")
    try:
        async with subscriber_broker.subscribe(channel) as messages:
            left = subscriber_broker.subscribe(other)
            await left.__aenter__()
            await publisher_broker.publish(channel, b"before")
            assert await receive(messages) == b"before"

            server.kill() if how == "kill" else server.stop()

            with pytest.raises(BrokerUnavailable):
                await publisher_broker.publish(channel, b"while down")
            with pytest.raises(BrokerUnavailable):
                await publisher_broker.ping()
            with pytest.raises(BrokerUnavailable):
                async with subscriber_broker.subscribe(channel_name("new")):
                    pass
            await left.__aexit__(None, None, None)  # leaving during the outage

            server.start()

            assert (await receive_after_recovery(publisher_broker, channel, messages)).startswith(b"marker-")
            await publisher_broker.ping()
            assert subscriber_broker.reconnects >= 1
            assert await numsub(server.url, other) == 0  # not re-subscribed: it was left

            # New subscriptions work again, and the old one keeps receiving.
            fresh_channel = channel_name("fresh")
            async with subscriber_broker.subscribe(fresh_channel) as fresh:
                await publisher_broker.publish(fresh_channel, b"fresh")
                assert await receive(fresh) == b"fresh"
            await publisher_broker.publish(channel, b"after")
            while (got := await receive(messages)).startswith(b"marker-"):
                pass
            assert got == b"after"
    finally:
        await subscriber_broker.close()
        await publisher_broker.close()


async def test_subscribe_waits_for_redis_within_timeout(own_redis_server: RedisServer) -> None:
    server = own_redis_server
    broker = RedisBroker(server.url, subscribe_timeout=10)
    channel = channel_name()
    try:
        async with broker.subscribe(channel_name("warm")):
            pass
        server.stop()
        await asyncio.sleep(0.2)
        loop = asyncio.get_running_loop()
        loop.call_later(0.5, server.start)  # blocks the loop briefly while it starts: fine here
        async with broker.subscribe(channel) as messages:
            await broker.publish(channel, b"made it")
            assert await receive(messages) == b"made it"
    finally:
        await broker.close()


async def test_unreachable_redis() -> None:
    broker = RedisBroker(f"redis://127.0.0.1:{free_port()}/0", subscribe_timeout=0.3, connect_timeout=0.3)
    try:
        with pytest.raises(BrokerUnavailable):
            await broker.ping()
        with pytest.raises(BrokerUnavailable):
            await broker.publish("c", b"x")
        started = time.monotonic()
        with pytest.raises(BrokerUnavailable):
            async with broker.subscribe("c"):
                pass
        assert time.monotonic() - started < 3
    finally:
        await broker.close()
