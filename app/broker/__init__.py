"""Pub/sub broker port and its adapters: in-process memory (`memory://`) and Redis (`redis://`).

`open_broker(url)` builds one from a setting: `memory://` or a `redis://` / `rediss://` URL.
"""

from __future__ import annotations

from app.broker.port import (
    Broker,
    BrokerClosed,
    BrokerError,
    BrokerUnavailable,
    SubscriberOverflow,
)


def open_broker(url: str, *, queue_size: int | None = None) -> Broker:
    """`memory://` -> MemoryBroker; `redis://...` / `rediss://...` / `unix://...` -> RedisBroker."""
    kwargs = {} if queue_size is None else {"queue_size": queue_size}
    scheme = url.partition("://")[0]
    if scheme == "memory":
        from app.broker.memory import MemoryBroker

        return MemoryBroker(**kwargs)
    if scheme in ("redis", "rediss", "unix"):
        from app.broker.redis import RedisBroker

        return RedisBroker(url, **kwargs)
    raise ValueError(f"unknown broker URL scheme in {url!r} (expected memory:// or redis://)")


__all__ = [
    "Broker",
    "BrokerClosed",
    "BrokerError",
    "BrokerUnavailable",
    "SubscriberOverflow",
    "open_broker",
]
