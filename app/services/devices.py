"""Device use cases: registering a push address (moved, refreshed or added) and forgetting one."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.domain.accounts import Account
from app.domain.devices import (
    MAX_DEVICES_PER_USER,
    Device,
    Registration,
    check_registration,
    device_key,
    registered,
)
from app.domain.errors import Violation, not_found
from app.services.transactions import OutboxRecorder, TransactionRunner
from app.store.repositories import Repositories
from push.port import redact

log = logging.getLogger("buyer_api.devices")


@dataclass(frozen=True)
class DeviceResult:
    device: Device | None
    violations: list[Violation]


class DeviceService:
    def __init__(self, repos: Repositories, transactions: TransactionRunner) -> None:
        self._repos = repos
        self._transactions = transactions

    async def register(self, account: Account, registration: Registration) -> DeviceResult:
        """A known address is updated (and moves to this user); past 20 devices the oldest goes."""
        violations = check_registration(registration)
        if violations:
            return DeviceResult(None, violations)

        async def write(outbox: OutboxRecorder) -> tuple[Device | None, Device]:
            existing = await self._repos.devices.get(device_key(registration.address))
            device = registered(existing, account.key, registration, outbox.now)
            await self._repos.devices.save(device)
            mine = await self._repos.devices.of_user(account.key)
            await self._repos.devices.delete_many([d.key for d in mine[MAX_DEVICES_PER_USER:]])
            if registration.timezone is not None:
                await self._repos.notification_settings.adopt_timezone(account.key, registration.timezone)
            return existing, device

        existing, device = await self._transactions.run(write)
        if existing is not None and existing.user_key != account.key:
            log.info("push address %s moved to another user", redact(registration.address))
        return DeviceResult(device, [])

    async def unregister(self, account: Account, address: str) -> DeviceResult:
        """Someone else's address reads as unknown: NOT_FOUND, nothing removed."""
        device = await self._repos.devices.get(device_key(address)) if address else None
        if device is None or device.user_key != account.key:
            return DeviceResult(None, [not_found(("token",), "That device")])
        await self._repos.devices.delete(device.key)
        return DeviceResult(device, [])
