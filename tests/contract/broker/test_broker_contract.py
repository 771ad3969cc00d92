"""The broker port's contract, run over the in-process broker and over a real Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import pytest

from app.broker import open_broker
from app.broker.memory import MemoryBroker
from app.broker.port import Broker, BrokerClosed, BrokerUnavailable, SubscriberOverflow

BrokerFactory = Callable[..., Broker]


def channel_name(label: str = "c") -> str:
    return f"test:{label}:{uuid.uuid4().hex[:12]}"


async def receive(messages: AsyncIterator[bytes], timeout: float = 3.0) -> bytes:
    return await asyncio.wait_for(anext(messages), timeout)


async def receive_n(messages: AsyncIterator[bytes], n: int, timeout: float = 5.0) -> list[bytes]:
    async def take() -> list[bytes]:
        return [await anext(messages) for _ in range(n)]

    return await asyncio.wait_for(take(), timeout)


async def assert_silent(messages: AsyncIterator[bytes], wait: float = 0.2) -> None:
    with pytest.raises(TimeoutError):
        got = await asyncio.wait_for(anext(messages), wait)
        pytest.fail(f"unexpected message {got!r}")


async def test_publish_right_after_subscribe_is_received(broker: Broker) -> None:
    for i in range(20):  # repeated: the subscription must be active when entered, every time
        channel = channel_name()
        async with broker.subscribe(channel) as messages:
            await broker.publish(channel, f"m{i}".encode())
            assert await receive(messages) == f"m{i}".encode()


async def test_order_is_kept(broker: Broker) -> None:
    channel = channel_name()
    async with broker.subscribe(channel) as messages:
        for i in range(200):
            await broker.publish(channel, str(i).encode())
        assert await receive_n(messages, 200) == [str(i).encode() for i in range(200)]


async def test_fan_out_to_many_subscribers(broker: Broker) -> None:
    channel = channel_name()
    n_subscribers, n_messages = 50, 20
    entered = asyncio.Event()
    ready = 0
    results: list[list[bytes]] = []

    async def subscriber() -> None:
        nonlocal ready
        async with broker.subscribe(channel) as messages:
            ready += 1
            if ready == n_subscribers:
                entered.set()
            results.append(await receive_n(messages, n_messages))

    tasks = [asyncio.create_task(subscriber()) for _ in range(n_subscribers)]
    await asyncio.wait_for(entered.wait(), 10)
    for i in range(n_messages):
        await broker.publish(channel, f"m{i}".encode())
    await asyncio.wait_for(asyncio.gather(*tasks), 10)

    expected = [f"m{i}".encode() for i in range(n_messages)]
    assert len(results) == n_subscribers
    assert all(r == expected for r in results)


async def test_channels_are_isolated(broker: Broker) -> None:
    a, b = channel_name("a"), channel_name("b")
    async with broker.subscribe(a) as on_a, broker.subscribe(b) as on_b:
        await broker.publish(a, b"for a")
        await broker.publish(b, b"for b")
        await broker.publish(channel_name("nobody"), b"for nobody")
        assert await receive(on_a) == b"for a"
        assert await receive(on_b) == b"for b"
        await assert_silent(on_a)
        await assert_silent(on_b)


async def test_channel_names_are_exact_not_patterns(broker: Broker) -> None:
    base = channel_name()
    async with broker.subscribe(base + ":*") as star, broker.subscribe(base) as exact:
        await broker.publish(base + ":1", b"child")
        await broker.publish(base, b"exact")
        assert await receive(exact) == b"exact"
        await assert_silent(star)


async def test_unicode_channel_and_binary_payloads(broker: Broker) -> None:
    channel = channel_name("commande-é-订单")
    payloads = [bytes(range(256)), b"", b"\x00\r\n", b"x" * 1_000_000]
    async with broker.subscribe(channel) as messages:
        for payload in payloads:
            await broker.publish(channel, payload)
        assert await receive_n(messages, len(payloads)) == payloads


async def test_unsubscribe_on_exit(broker: Broker) -> None:
    channel = channel_name()
    async with broker.subscribe(channel) as first:
        async with broker.subscribe(channel) as second:
            assert broker.subscriber_count(channel) == 2  # type: ignore[attr-defined]
            await broker.publish(channel, b"both")
            assert await receive(second) == b"both"
        assert broker.subscriber_count(channel) == 1  # type: ignore[attr-defined]
        assert await receive(first) == b"both"
        await broker.publish(channel, b"first only")
        assert await receive(first) == b"first only"
    assert broker.subscriber_count(channel) == 0  # type: ignore[attr-defined]

    # Subscribing again afterwards works.
    async with broker.subscribe(channel) as again:
        await broker.publish(channel, b"again")
        assert await receive(again) == b"again"


async def test_exit_on_error_unsubscribes(broker: Broker) -> None:
    channel = channel_name()
    with pytest.raises(RuntimeError):
        async with broker.subscribe(channel):
            raise RuntimeError("consumer failed")
    assert broker.subscriber_count(channel) == 0  # type: ignore[attr-defined]


async def test_cancelled_consumer_unsubscribes(broker: Broker) -> None:
    channel = channel_name()
    entered = asyncio.Event()

    async def consumer() -> None:
        async with broker.subscribe(channel) as messages:
            entered.set()
            async for _ in messages:
                pass

    task = asyncio.create_task(consumer())
    await asyncio.wait_for(entered.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert broker.subscriber_count(channel) == 0  # type: ignore[attr-defined]


async def test_churn(broker: Broker) -> None:
    """Many subscriptions entering and leaving one channel concurrently, with publishes."""
    channel = channel_name()
    stop = asyncio.Event()

    async def publisher() -> None:
        i = 0
        while not stop.is_set():
            await broker.publish(channel, str(i).encode())
            i += 1
            await asyncio.sleep(0.001)

    async def subscriber(k: int) -> None:
        for _ in range(5):
            async with broker.subscribe(channel) as messages:
                await broker.publish(channel, f"hello {k}".encode())
                while await receive(messages) != f"hello {k}".encode():
                    pass

    pub = asyncio.create_task(publisher())
    await asyncio.wait_for(asyncio.gather(*(subscriber(k) for k in range(10))), 20)
    stop.set()
    await pub
    assert broker.subscriber_count(channel) == 0  # type: ignore[attr-defined]


async def test_slow_subscriber_is_disconnected_others_keep_going(make_broker: BrokerFactory) -> None:
    broker = make_broker(queue_size=5)
    channel = channel_name()
    async with broker.subscribe(channel) as slow, broker.subscribe(channel) as fast:
        got_fast: list[bytes] = []
        for i in range(12):
            await broker.publish(channel, str(i).encode())
            got_fast.append(await receive(fast))
        assert got_fast == [str(i).encode() for i in range(12)]

        # The slow one yields what it held, then reports the overflow.
        assert await receive_n(slow, 5) == [str(i).encode() for i in range(5)]
        with pytest.raises(SubscriberOverflow):
            await receive(slow)

        await broker.publish(channel, b"later")
        assert await receive(fast) == b"later"


async def test_ping(broker: Broker) -> None:
    await broker.ping()


async def test_close_ends_subscriptions_and_refuses_use(make_broker: BrokerFactory) -> None:
    broker = make_broker()
    channel = channel_name()
    async with broker.subscribe(channel) as messages:
        await broker.publish(channel, b"before close")
        assert await receive(messages) == b"before close"
        await broker.close()
        with pytest.raises(StopAsyncIteration):
            await receive(messages)
    with pytest.raises(BrokerClosed):
        await broker.publish(channel, b"x")
    with pytest.raises(BrokerUnavailable):  # BrokerClosed is a BrokerUnavailable
        await broker.ping()
    with pytest.raises(BrokerClosed):
        async with broker.subscribe(channel):
            pass
    await broker.close()  # idempotent


async def test_publish_requires_bytes(broker: Broker) -> None:
    with pytest.raises(TypeError):
        await broker.publish(channel_name(), "text")  # type: ignore[arg-type]


async def test_two_instances(kind: str, make_broker: BrokerFactory) -> None:
    """Two brokers, as two processes hold: over Redis they see each other's messages; in memory
    each is its own world."""
    a, b = make_broker(), make_broker()
    channel = channel_name()
    async with a.subscribe(channel) as on_a, b.subscribe(channel) as on_b:
        await a.publish(channel, b"from a")
        await b.publish(channel, b"from b")
        if kind == "redis":
            assert sorted(await receive_n(on_a, 2)) == [b"from a", b"from b"]
            assert sorted(await receive_n(on_b, 2)) == [b"from a", b"from b"]
        else:
            assert await receive(on_a) == b"from a"
            assert await receive(on_b) == b"from b"
            await assert_silent(on_a)
            await assert_silent(on_b)


async def test_open_broker_urls(kind: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("redis_server").url if kind == "redis" else "memory://"
    broker = open_broker(url, queue_size=10)
    try:
        channel = channel_name()
        async with broker.subscribe(channel) as messages:
            await broker.publish(channel, b"hi")
            assert await receive(messages) == b"hi"
    finally:
        await broker.close()
    with pytest.raises(ValueError):
        open_broker("kafka://localhost")


def test_memory_broker_rejects_bad_queue_size() -> None:
    with pytest.raises(ValueError):
        MemoryBroker(queue_size=0)
