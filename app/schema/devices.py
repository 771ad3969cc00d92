"""Device types: what the apps see of their registrations (never the push address itself)."""

from __future__ import annotations

from enum import Enum

import strawberry

from app.domain import devices as domain
from app.domain.ids import to_global_id
from app.schema.base import UserError
from app.schema.scalars import DateTime


@strawberry.enum
class Platform(Enum):
    ANDROID = "ANDROID"
    IOS = "IOS"
    WEB = "WEB"


@strawberry.enum
class PushAddressKind(Enum):
    FCM_TOKEN = "FCM_TOKEN"
    FIREBASE_INSTALLATION_ID = "FIREBASE_INSTALLATION_ID"


@strawberry.type
class Device:
    id: strawberry.ID
    platform: Platform
    locale: str
    app_version: str | None
    last_seen_at: DateTime

    @classmethod
    def from_domain(cls, device: domain.Device) -> Device:
        return cls(
            id=strawberry.ID(to_global_id("Device", device.key)),
            platform=Platform[device.platform],
            locale=device.locale,
            app_version=device.app_version,
            last_seen_at=DateTime(device.last_seen_at),
        )


@strawberry.input
class RegisterDeviceInput:
    token: str
    platform: Platform
    kind: PushAddressKind | None = PushAddressKind.FCM_TOKEN
    locale: str | None = None
    timezone: str | None = None
    app_version: str | None = None

    def to_registration(self) -> domain.Registration:
        kind: domain.AddressKind = "fid" if self.kind is PushAddressKind.FIREBASE_INSTALLATION_ID else "token"
        platform: domain.Platform = self.platform.value
        return domain.Registration(self.token, kind, platform, self.locale, self.timezone, self.app_version)


@strawberry.type
class DevicePayload:
    device: Device | None
    user_errors: list[UserError]
