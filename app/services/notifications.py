"""Notification use cases: the NOTIFY handler (in-app notification, live event, push deliveries),
reading them, marking them read, and each user's settings."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.broker.port import Broker
from app.domain.accounts import Account
from app.domain.errors import Violation
from app.domain.notifications import NotifyRequest
from app.domain.notifications_rules import (
    Notification,
    NotificationSettings,
    PushDecision,
    SettingsChange,
    apply_settings,
    check_settings,
    delivery_key,
    notification_key,
    push_available_at,
    push_decision,
)
from app.services.transactions import OutboxRecorder, TransactionRunner, now_ms
from app.store.repositories import Repositories

log = logging.getLogger("buyer_api.notifications")

PUSH_DELIVER = "push.deliver"
"""Outbox kind of a batch of (notification, device) deliveries; handled by push/dispatch.py."""
MAX_DELIVERIES_PER_ENTRY = 500


def channel_of(user_key: str) -> str:
    """The broker channel of `notificationAdded` for one user."""
    return f"notifications:{user_key}"


@dataclass(frozen=True)
class SettingsResult:
    settings: NotificationSettings | None
    violations: list[Violation]


class NotificationService:
    def __init__(self, repos: Repositories, transactions: TransactionRunner, broker: Broker) -> None:
        self._repos = repos
        self._transactions = transactions
        self._broker = broker

    async def handle_notify(self, payload: Mapping[str, Any]) -> None:
        """Idempotent: a re-run finds the notifications made and only publishes their events again."""
        request = NotifyRequest.from_payload(payload)
        accounts = await self._repos.accounts.get_many(list(dict.fromkeys(request.recipients)))
        recipients = [a.key for a in accounts if a is not None and a.deleted_at is None]
        # A second run of this entry (its lease ran out) may write the same notifications at once.
        await self._transactions.run(lambda outbox: self._create(outbox, request, recipients))
        for recipient in recipients:
            key = notification_key(request.event_key, recipient)
            await self._broker.publish(channel_of(recipient), key.encode())

    async def _create(
        self, outbox: OutboxRecorder, request: NotifyRequest, recipients: Sequence[str]
    ) -> None:
        """The notifications not made yet, and the push deliveries of those that push."""
        keys = [notification_key(request.event_key, r) for r in recipients]
        existing = await self._repos.notifications.get_many(keys)
        fresh = [r for r, found in zip(recipients, existing, strict=True) if found is None]
        if not fresh:
            return
        muted = await self._muted(request, fresh)
        settings = {s.user_key: s for s in await self._repos.notification_settings.get_many(fresh)}
        devices = await self._repos.devices.of_users(fresh) if request.push else []
        deferred: dict[int | None, list[dict[str, str]]] = defaultdict(list)
        for recipient in fresh:
            notification = Notification(
                key=notification_key(request.event_key, recipient),
                user_key=recipient,
                kind=request.kind,
                target_type=request.target_type,
                target_key=request.target_key,
                group=request.group,
                params=dict(request.params),
                created_at=outbox.now,
            )
            await self._repos.notifications.insert(notification)
            mine = settings[recipient]
            if push_decision(mine, request.kind, recipient in muted) is PushDecision.SUPPRESS:
                continue
            when = push_available_at(mine, outbox.now)
            for device in devices:
                if device.user_key == recipient:
                    deferred[when].append({"notification": notification.key, "device": device.key})
        for when, deliveries in deferred.items():
            for start in range(0, len(deliveries), MAX_DELIVERIES_PER_ENTRY):
                chunk = deliveries[start : start + MAX_DELIVERIES_PER_ENTRY]
                await outbox.add(PUSH_DELIVER, {"deliveries": chunk}, when)

    async def _muted(self, request: NotifyRequest, recipients: Sequence[str]) -> set[str]:
        if request.target_type != "Inquiry":
            return set()
        states = await self._repos.inquiries.readers_many([(request.target_key, r) for r in recipients])
        return {s.user_key for s in states if s.muted}

    async def mark_read(self, account: Account, keys: Sequence[str] | None, up_to: int | None) -> int:
        """Marks the viewer's notifications read (others' ids are ignored); returns the unread count."""
        now = now_ms()
        if keys is not None:
            await self._repos.notifications.mark_read(account.key, keys, now)
        else:
            await self._repos.notifications.mark_read_up_to(account.key, now if up_to is None else up_to, now)
        return await self._repos.notifications.count_unread(account.key)

    async def settings(self, account: Account) -> NotificationSettings:
        return await self._repos.notification_settings.get(account.key)

    async def update_settings(self, account: Account, change: SettingsChange) -> SettingsResult:
        updated = apply_settings(await self._repos.notification_settings.get(account.key), change)
        violations = check_settings(change, updated)
        if violations:
            return SettingsResult(None, violations)
        await self._repos.notification_settings.save(updated)
        return SettingsResult(updated, [])


def delivery_keys(deliveries: Sequence[Mapping[str, str]]) -> list[str]:
    return [delivery_key(d["notification"], d["device"]) for d in deliveries]
