"""Devices: registering and unregistering push addresses."""

from __future__ import annotations

import strawberry

from app.context import Info
from app.schema.base import user_errors
from app.schema.devices import Device, DevicePayload, RegisterDeviceInput


@strawberry.type
class DeviceMutation:
    @strawberry.mutation
    async def register_device(self, info: Info, input: RegisterDeviceInput) -> DevicePayload:
        account = info.context.require_viewer()
        result = await info.context.services.devices.register(account, input.to_registration())
        device = Device.from_domain(result.device) if result.device is not None else None
        return DevicePayload(device=device, user_errors=user_errors(result.violations))

    @strawberry.mutation
    async def unregister_device(self, info: Info, token: str) -> DevicePayload:
        account = info.context.require_viewer()
        result = await info.context.services.devices.unregister(account, token)
        device = Device.from_domain(result.device) if result.device is not None else None
        return DevicePayload(device=device, user_errors=user_errors(result.violations))
