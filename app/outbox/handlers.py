"""Outbox handlers: what each kind of entry does once its write has committed."""

from __future__ import annotations

from typing import Any

from app.cache.port import ResponseCache
from app.domain.notifications import NOTIFY
from app.outbox.dispatcher import Handler
from app.outbox.invalidation import invalidating
from app.ports import Ports
from app.services.articles import article_handlers
from app.services.container import Services
from app.services.notifications import PUSH_DELIVER
from app.services.orders import AUTO_COMPLETE
from push.dispatch import PushDispatch


def build_handlers(ports: Ports, services: Services, cache: ResponseCache | None) -> dict[str, Handler]:
    async def broker_publish(payload: dict[str, Any]) -> None:
        await ports.broker.publish(payload["channel"], payload["message"].encode())

    async def order_auto_complete(payload: dict[str, Any]) -> None:
        await services.orders.auto_complete(payload["order"])

    handlers: dict[str, Handler] = {
        "broker.publish": broker_publish,
        AUTO_COMPLETE: order_auto_complete,
        "search.index": services.indexing.handle,
        NOTIFY: services.notifications.handle_notify,
        PUSH_DELIVER: PushDispatch(ports.repos, ports.push).handle,
        **article_handlers(services.articles, ports.search),
    }
    return invalidating(handlers, cache, ports.repos)
