"""The broker port: fire-and-forget pub/sub between the processes of the app (GraphQL
subscriptions fan out through it).

    await broker.publish("chat:42", b"...")
    async with broker.subscribe("chat:42") as messages:   # active once entered
        async for message in messages: ...

Semantics, the same for every implementation:

- At most once. A message reaches the subscriptions that were active when it was published;
  none is stored or replayed (while Redis is down, messages are lost).
- `subscribe()` is active when its context is entered: a publish (from any process) made after
  `__aenter__` returned is received. Leaving the context unsubscribes.
- Per channel and per publisher, order is kept.
- Slow subscribers: every subscription has a bounded queue (`queue_size`). A subscription that
  falls that far behind is disconnected, not silently thinned: its iterator yields what it
  already holds, then raises `SubscriberOverflow`. The caller (e.g. a GraphQL subscription)
  ends it and the client re-subscribes and refetches. We chose this over dropping the oldest
  messages because a silently incomplete stream leaves a client with a wrong state it cannot
  detect.
- `close()` ends every open subscription (its iterator stops) and makes further calls fail.
- `BrokerUnavailable` is raised by `publish()` and `ping()` when the backend cannot be reached,
  and by entering `subscribe()` when the subscription cannot be established. Subscriptions that
  are already open survive a backend outage and receive again once it is back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Protocol

DEFAULT_QUEUE_SIZE = 1000

Subscription = AbstractAsyncContextManager[AsyncIterator[bytes]]
"""What `Broker.subscribe()` returns: entered, it yields the channel's messages."""


class BrokerError(Exception):
    """Base class of broker errors."""


class BrokerUnavailable(BrokerError):
    """The broker's backend cannot be reached."""


class SubscriberOverflow(BrokerError):
    """This subscription fell more than its queue size behind and was disconnected."""


class BrokerClosed(BrokerUnavailable):
    """The broker was closed (a closed broker is unavailable for good)."""


class Broker(Protocol):
    async def publish(self, channel: str, message: bytes) -> None: ...

    def subscribe(self, channel: str) -> Subscription: ...

    async def ping(self) -> None:
        """Returns when the backend answers; raises BrokerUnavailable otherwise."""
        ...

    async def close(self) -> None: ...
