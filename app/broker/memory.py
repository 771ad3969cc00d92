"""In-process broker: fan-out to bounded per-subscription queues, for one process (tests, dev,
a single-instance deployment).

Slow subscribers are disconnected, not thinned (see app.broker.port): each subscription is a
`Mailbox` of at most `queue_size` messages; a publish that finds it full marks it overflowed,
stops feeding it, and its iterator raises `SubscriberOverflow` once it has yielded what it held.
Publishing never blocks and never waits for subscribers.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from app.broker.port import DEFAULT_QUEUE_SIZE, BrokerClosed, SubscriberOverflow, Subscription

_OPEN, _OVERFLOWED, _CLOSED = 0, 1, 2


class Mailbox:
    """One subscription's bounded queue and its async iterator (single consumer, one loop)."""

    def __init__(self, channel: str, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError("queue size must be >= 1")
        self.channel = channel
        self._maxsize = maxsize
        self._items: deque[bytes] = deque()
        self._state = _OPEN
        self._waiter: asyncio.Future[None] | None = None

    @property
    def overflowed(self) -> bool:
        return self._state == _OVERFLOWED

    @property
    def open(self) -> bool:
        return self._state == _OPEN

    def __len__(self) -> int:
        return len(self._items)

    def put(self, message: bytes) -> bool:
        """Queues a message; False when this mailbox takes no more (overflowed now or before, or
        closed): the caller stops feeding it."""
        if self._state != _OPEN:
            return False
        if len(self._items) >= self._maxsize:
            self._state = _OVERFLOWED
            self._wake()
            return False
        self._items.append(message)
        self._wake()
        return True

    def close(self) -> None:
        """Ends the iterator once the queued messages are consumed (no-op after an overflow)."""
        if self._state == _OPEN:
            self._state = _CLOSED
        self._wake()

    def _wake(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def __aiter__(self) -> Mailbox:
        return self

    async def __anext__(self) -> bytes:
        while True:
            if self._items:
                return self._items.popleft()
            if self._state == _OVERFLOWED:
                raise SubscriberOverflow(
                    f"subscription to {self.channel!r} fell more than {self._maxsize} messages behind"
                )
            if self._state == _CLOSED:
                raise StopAsyncIteration
            waiter = asyncio.get_running_loop().create_future()
            self._waiter = waiter
            try:
                await waiter
            finally:
                if self._waiter is waiter:
                    self._waiter = None


class MemoryBroker:
    def __init__(self, *, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        if queue_size < 1:
            raise ValueError("queue_size must be >= 1")
        self._queue_size = queue_size
        self._subs: dict[str, set[Mailbox]] = {}
        self._closed = False

    def _check_open(self) -> None:
        if self._closed:
            raise BrokerClosed("broker is closed")

    async def publish(self, channel: str, message: bytes) -> None:
        self._check_open()
        if not isinstance(message, bytes | bytearray | memoryview):
            raise TypeError(f"message must be bytes, not {type(message).__name__}")
        deliver(self._subs, channel, bytes(message))

    def subscribe(self, channel: str) -> Subscription:
        return self._subscription(channel)

    @asynccontextmanager
    async def _subscription(self, channel: str) -> AsyncIterator[Mailbox]:
        self._check_open()
        box = Mailbox(channel, self._queue_size)
        self._subs.setdefault(channel, set()).add(box)
        try:
            yield box
        finally:
            subs = self._subs.get(channel)
            if subs is not None:
                subs.discard(box)
                if not subs:
                    del self._subs[channel]
            box.close()

    def subscriber_count(self, channel: str) -> int:
        """Open subscriptions to `channel` in this broker (diagnostics and tests)."""
        return len(self._subs.get(channel, ()))

    async def ping(self) -> None:
        self._check_open()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for subs in self._subs.values():
            for box in subs:
                box.close()
        self._subs.clear()


def deliver(subs: dict[str, set[Mailbox]], channel: str, message: bytes) -> int:
    """Puts `message` in every open mailbox of `channel`; drops the overflowed ones from `subs`.
    Returns how many received it."""
    boxes = subs.get(channel)
    if not boxes:
        return 0
    delivered = 0
    for box in list(boxes):
        if box.put(message):
            delivered += 1
        else:
            boxes.discard(box)
    return delivered
