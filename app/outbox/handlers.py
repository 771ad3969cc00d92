"""Outbox handlers: what each kind of entry does once its write has committed."""

from __future__ import annotations

from typing import Any

from app.outbox.dispatcher import Handler
from app.ports import Ports
from app.services.container import Services


def build_handlers(ports: Ports, services: Services) -> dict[str, Handler]:
    async def broker_publish(payload: dict[str, Any]) -> None:
        await ports.broker.publish(payload["channel"], payload["message"].encode())

    return {"broker.publish": broker_publish}
