"""Push dispatch: turns (notification, device) deliveries into PushMessages, sends them in batches
through the push port, and records each outcome the moment the sender gives it.

A delivery marked sent is never sent again; one whose send was interrupted before its mark is
sent again when the outbox re-runs the entry (the app drops the repeat by its notificationId).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from app.domain.devices import Device
from app.domain.ids import to_global_id
from app.domain.notifications_rules import Notification, delivery_key
from app.outbox.dispatcher import RetryLater
from app.services.transactions import now_ms
from app.store.notifications import DELIVERY_DROPPED, DELIVERY_FAILED, DELIVERY_SENT
from app.store.repositories import Repositories
from push.port import PushMessage, PushSender, SendOutcome, SendResult, batches, redact
from push.templates import render

log = logging.getLogger("push.dispatch")


def build_message(key: str, notification: Notification, device: Device, badge: int) -> PushMessage:
    title, body = render(notification.kind, notification.params, device.locale)
    return PushMessage(
        delivery_key=key,
        address=device.address,
        address_kind=device.address_kind,
        title=title,
        body=body,
        data={
            "kind": notification.kind.value,
            "notificationId": to_global_id("Notification", notification.key),
            "targetId": to_global_id(notification.target_type, notification.target_key),
        },
        group=notification.group,
        badge=badge,
        platform=device.platform,
    )


class PushDispatch:
    def __init__(self, repos: Repositories, sender: PushSender) -> None:
        self._repos = repos
        self._sender = sender

    async def handle(self, payload: Mapping[str, Any]) -> None:
        """The `push.deliver` handler; raises RetryLater when some deliveries should be tried again."""
        messages, devices = await self._messages(payload["deliveries"])
        retry_after: list[float] = []
        for batch in batches(messages):
            results = await self._sender.send(batch)
            for message, result in zip(batch, results, strict=True):
                await self._record(message, result, devices[message.delivery_key], retry_after)
        if retry_after:
            wait = max((s for s in retry_after if s > 0), default=None)
            raise RetryLater(f"{len(retry_after)} push deliveries to retry", wait)

    async def _messages(
        self, deliveries: Sequence[Mapping[str, str]]
    ) -> tuple[list[PushMessage], dict[str, Device]]:
        keys = [delivery_key(d["notification"], d["device"]) for d in deliveries]
        done = await self._repos.notifications.delivery_states(keys)
        todo = [(k, d) for k, d in zip(keys, deliveries, strict=True) if k not in done]
        if not todo:
            return [], {}
        notes = await self._repos.notifications.get_many(
            list(dict.fromkeys(d["notification"] for _, d in todo))
        )
        devs = await self._repos.devices.get_many(list(dict.fromkeys(d["device"] for _, d in todo)))
        notifications = {n.key: n for n in notes if n is not None}
        devices = {d.key: d for d in devs if d is not None}
        badges: dict[str, int] = {}
        messages: list[PushMessage] = []
        by_key: dict[str, Device] = {}
        for key, item in todo:
            notification, device = notifications.get(item["notification"]), devices.get(item["device"])
            # A device unregistered, or moved to another user, no longer gets this user's pushes.
            if notification is None or device is None or device.user_key != notification.user_key:
                continue
            if notification.user_key not in badges:
                badges[notification.user_key] = await self._repos.notifications.count_unread(
                    notification.user_key
                )
            messages.append(build_message(key, notification, device, badges[notification.user_key]))
            by_key[key] = device
        return messages, by_key

    async def _record(
        self, message: PushMessage, result: SendResult, device: Device, retry_after: list[float]
    ) -> None:
        now = now_ms()
        if result.outcome is SendOutcome.SENT:
            await self._repos.notifications.record_delivery(message.delivery_key, DELIVERY_SENT, now)
        elif result.outcome is SendOutcome.DROP_ADDRESS:
            log.info(
                "push address %s is gone (%s): device removed", redact(device.address), result.error_code
            )
            await self._repos.devices.delete(device.key)
            await self._repos.notifications.record_delivery(
                message.delivery_key, DELIVERY_DROPPED, now, result.error_code
            )
        elif result.outcome is SendOutcome.RETRY:
            retry_after.append(result.retry_after_seconds or 0.0)
        else:
            log.error(
                "push %s to %s failed: %s %s",
                message.delivery_key,
                redact(device.address),
                result.error_code,
                result.detail,
            )
            await self._repos.notifications.record_delivery(
                message.delivery_key, DELIVERY_FAILED, now, result.error_code
            )
