"""Ports: the outside systems one process talks to, chosen by the wiring and handed down."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.auth.port import TokenVerifier
    from app.broker.port import Broker
    from app.store.repositories import Repositories
    from push.port import PushSender
    from search.port import SearchEngine


@dataclass(frozen=True)
class Ports:
    repos: Repositories
    search: SearchEngine
    broker: Broker
    push: PushSender
    verifier: TokenVerifier
    cursor_secret: bytes
    wake_dispatcher: Callable[[], None]
