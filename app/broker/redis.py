"""Redis broker: `redis.asyncio` pub/sub for several processes.

One pub/sub connection carries all the subscriptions of a broker (of a process): a reader task
reads it and fans each message out to the local subscriptions' bounded `Mailbox`es (slow
subscribers are disconnected, see app.broker.port). A channel is SUBSCRIBEd in Redis while at
least one local subscription to it is open, and UNSUBSCRIBEd when the last one leaves. Entering
`subscribe()` waits for Redis's subscribe confirmation (so a publish made afterwards, by any
process, is received), at most `subscribe_timeout` seconds, else raises BrokerUnavailable.

Publishing uses a separate small connection pool.

Outages: when the pub/sub connection breaks (Redis restarted, network), the reader reconnects
with backoff (0.05 s doubling to 2 s) and re-subscribes every channel that still has local
subscriptions; open subscriptions just receive again once Redis is back (messages published
meanwhile are lost: pub/sub is at most once). While Redis is down, `publish()` and `ping()`
raise BrokerUnavailable, and so does entering `subscribe()` once `subscribe_timeout` has passed.
An idle pub/sub connection is PINGed every `keepalive` seconds; no answer within another
`keepalive` seconds counts as a broken connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis
import redis.exceptions
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff, NoBackoff

from app.broker.memory import Mailbox, deliver
from app.broker.port import (
    DEFAULT_QUEUE_SIZE,
    BrokerClosed,
    BrokerUnavailable,
    Subscription,
)

logger = logging.getLogger("app.broker.redis")

_CONNECTION_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class RedisBroker:
    def __init__(
        self,
        url: str,
        *,
        queue_size: int = DEFAULT_QUEUE_SIZE,
        connect_timeout: float = 2.0,
        command_timeout: float = 5.0,
        subscribe_timeout: float = 5.0,
        keepalive: float = 15.0,
        reconnect_min_delay: float = 0.05,
        reconnect_max_delay: float = 2.0,
    ) -> None:
        if queue_size < 1:
            raise ValueError("queue_size must be >= 1")
        self._queue_size = queue_size
        self._subscribe_timeout = subscribe_timeout
        self._keepalive = keepalive
        self._reconnect_min_delay = reconnect_min_delay
        self._reconnect_max_delay = reconnect_max_delay
        common: dict[str, Any] = {
            "socket_connect_timeout": connect_timeout,
            "socket_timeout": command_timeout,
            "socket_keepalive": True,
            "health_check_interval": 0,
        }
        # One quick retry for publish: a pooled connection can be stale after a Redis restart.
        self._pub = aioredis.Redis.from_url(
            url, retry=Retry(ExponentialBackoff(cap=0.2, base=0.02), 1), **common
        )
        # No retries inside redis-py for pub/sub: the reader owns reconnection.
        self._sub = aioredis.Redis.from_url(url, retry=Retry(NoBackoff(), 0), **common)
        self._mailboxes: dict[str, set[Mailbox]] = {}
        self._refs: dict[str, int] = {}
        """Open local subscriptions per channel: the channels SUBSCRIBEd in Redis."""
        self._confirmed: set[str] = set()
        """Channels whose subscription Redis confirmed on the current connection."""
        self._acks: dict[str, list[asyncio.Future[None]]] = {}
        self._lock = asyncio.Lock()
        self._connected = asyncio.Event()
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._closed = False
        self.reconnects = 0
        """How many times the pub/sub connection was re-established (diagnostics)."""

    # publish ------------------------------------------------------------------------------
    async def publish(self, channel: str, message: bytes) -> None:
        self._check_open()
        if not isinstance(message, bytes | bytearray | memoryview):
            raise TypeError(f"message must be bytes, not {type(message).__name__}")
        try:
            await self._pub.publish(channel, bytes(message))
        except _CONNECTION_ERRORS as exc:
            raise BrokerUnavailable(f"redis publish failed: {exc}") from exc

    async def ping(self) -> None:
        self._check_open()
        try:
            await self._pub.ping()
        except _CONNECTION_ERRORS as exc:
            raise BrokerUnavailable(f"redis ping failed: {exc}") from exc

    # subscribe ----------------------------------------------------------------------------
    def subscribe(self, channel: str) -> Subscription:
        return self._subscription(channel)

    @asynccontextmanager
    async def _subscription(self, channel: str) -> AsyncIterator[Mailbox]:
        self._check_open()
        box = Mailbox(channel, self._queue_size)
        await self._acquire(channel, box)
        try:
            yield box
        finally:
            await self._release(channel, box)

    def subscriber_count(self, channel: str) -> int:
        """Open local subscriptions to `channel` in this broker (diagnostics and tests)."""
        return self._refs.get(channel, 0)

    async def _acquire(self, channel: str, box: Mailbox) -> None:
        self._ensure_reader()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._subscribe_timeout
        last_error: BaseException | None = None
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise BrokerUnavailable(
                    f"could not subscribe to {channel!r} within {self._subscribe_timeout:g} s"
                    + (f": {last_error}" if last_error else "")
                ) from last_error
            try:
                await asyncio.wait_for(self._connected.wait(), remaining)
            except TimeoutError:
                continue
            async with self._lock:
                self._check_open()
                pubsub = self._pubsub
                if pubsub is None or not self._connected.is_set():
                    continue
                # Registered before SUBSCRIBE: nothing published after the confirmation is missed.
                self._mailboxes.setdefault(channel, set()).add(box)
                refs = self._refs.get(channel, 0)
                self._refs[channel] = refs + 1
                try:
                    if channel not in self._confirmed:
                        ack = loop.create_future()
                        self._acks.setdefault(channel, []).append(ack)
                        if refs == 0:
                            await pubsub.subscribe(channel)
                        await asyncio.wait_for(ack, max(deadline - loop.time(), 0.001))
                    return
                except (*_CONNECTION_ERRORS, BrokerUnavailable, TimeoutError) as exc:
                    last_error = exc  # try again (until the deadline) on the next connection
                    await self._undo(channel, box, pubsub)
                except BaseException:
                    await self._undo(channel, box, pubsub)
                    box.close()
                    raise

    async def _undo(self, channel: str, box: Mailbox, pubsub: PubSub) -> None:
        """Takes back a subscription that could not be confirmed (lock held; box left open)."""
        self._forget(channel, box, close=False)
        if channel not in self._refs and pubsub is self._pubsub and self._connected.is_set():
            # SUBSCRIBE may have gone through without our seeing its confirmation.
            with contextlib.suppress(*_CONNECTION_ERRORS):
                await pubsub.unsubscribe(channel)

    def _forget(self, channel: str, box: Mailbox, *, close: bool = True) -> None:
        """Undoes the local bookkeeping of one subscription and (by default) ends its mailbox."""
        boxes = self._mailboxes.get(channel)
        if boxes is not None:
            boxes.discard(box)
            if not boxes:
                del self._mailboxes[channel]
        refs = self._refs.get(channel, 0) - 1
        if refs > 0:
            self._refs[channel] = refs
        else:
            self._refs.pop(channel, None)
            # A later re-subscribe must wait for its own confirmation.
            self._confirmed.discard(channel)
        if close:
            box.close()

    async def _release(self, channel: str, box: Mailbox) -> None:
        if self._closed:
            box.close()
            return
        async with self._lock:
            self._forget(channel, box)
            if channel in self._refs or self._closed:
                return
            pubsub = self._pubsub
            if pubsub is not None and self._connected.is_set():
                # If the connection is going, the reconnect will not re-subscribe it anyway.
                with contextlib.suppress(*_CONNECTION_ERRORS):
                    await pubsub.unsubscribe(channel)

    # the reader ---------------------------------------------------------------------------
    def _ensure_reader(self) -> None:
        if self._reader is None or self._reader.done():
            self._reader = asyncio.get_running_loop().create_task(self._run(), name="redis-broker-reader")

    async def _run(self) -> None:
        delay = self._reconnect_min_delay
        failures = 0
        while not self._closed:
            pubsub: PubSub | None = None
            try:
                pubsub = await self._connect()
                if failures:
                    self.reconnects += 1
                    logger.warning("redis broker reconnected after %d failed attempt(s)", failures)
                failures = 0
                delay = self._reconnect_min_delay
                await self._read(pubsub)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures += 1
                log = logger.warning if failures == 1 else logger.debug
                log(
                    "redis broker pub/sub connection lost (attempt %d): %s: %s",
                    failures,
                    type(exc).__name__,
                    exc,
                )
            finally:
                await self._disconnected(pubsub)
            if self._closed:
                break
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._reconnect_max_delay)

    async def _connect(self) -> PubSub:
        async with self._lock:
            pubsub = self._sub.pubsub()
            try:
                await pubsub.connect()  # type: ignore[no-untyped-call]
                channels = list(self._refs)
                if channels:
                    await pubsub.subscribe(*channels)
            except BaseException:
                await pubsub.aclose()  # type: ignore[no-untyped-call]
                raise
            self._pubsub = pubsub
            self._confirmed.clear()
            self._connected.set()
            return pubsub

    async def _disconnected(self, pubsub: PubSub | None) -> None:
        self._connected.clear()
        if pubsub is not None and self._pubsub is pubsub:
            self._pubsub = None
        self._confirmed.clear()
        acks, self._acks = self._acks, {}
        for waiters in acks.values():
            for ack in waiters:
                if not ack.done():
                    ack.set_exception(BrokerUnavailable("redis pub/sub connection lost"))
                    ack.exception()  # retrieved: no "exception was never retrieved" warning
        if pubsub is not None:
            try:
                await pubsub.aclose()  # type: ignore[no-untyped-call]
            except Exception as exc:  # pragma: no cover - best effort
                logger.debug("closing redis pub/sub connection: %r", exc)

    async def _read(self, pubsub: PubSub) -> None:
        loop = asyncio.get_running_loop()
        last_seen = loop.time()
        pinged = False
        while True:
            message = await pubsub.get_message(timeout=min(1.0, self._keepalive))
            now = loop.time()
            if message is None:
                idle = now - last_seen
                if pinged and idle > 2 * self._keepalive:
                    raise redis.exceptions.ConnectionError("no answer to PING on the pub/sub connection")
                if not pinged and idle > self._keepalive:
                    await pubsub.ping()
                    pinged = True
                continue
            last_seen, pinged = now, False
            kind = message.get("type")
            if kind == "message":
                channel = _text(message["channel"])
                data = message["data"]
                if isinstance(data, str):
                    data = data.encode()
                deliver(self._mailboxes, channel, data)
            elif kind == "subscribe":
                channel = _text(message["channel"])
                if channel in self._refs:
                    self._confirmed.add(channel)
                for ack in self._acks.pop(channel, []):
                    if not ack.done():
                        ack.set_result(None)
            elif kind == "unsubscribe":
                channel = _text(message["channel"])
                if channel not in self._refs:
                    self._confirmed.discard(channel)

    # lifecycle ----------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise BrokerClosed("broker is closed")

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.cancel()
            try:
                await reader
            except asyncio.CancelledError:
                pass
            except Exception as exc:  # pragma: no cover - the reader logs its own errors
                logger.debug("redis broker reader ended with %r", exc)
        await self._disconnected(self._pubsub)
        for boxes in self._mailboxes.values():
            for box in boxes:
                box.close()
        self._mailboxes.clear()
        self._refs.clear()
        await self._pub.aclose()
        await self._sub.aclose()


def _text(value: Any) -> str:
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else str(value)
