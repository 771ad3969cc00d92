"""Devices: push addresses registered by the apps, and the rules of registering one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from app.domain.accounts import LOCALE_TAG
from app.domain.errors import Violation, invalid
from app.domain.locales import DEFAULT_LOCALE
from app.domain.quiet_hours import is_timezone

AddressKind = Literal["token", "fid"]
Platform = Literal["ANDROID", "IOS", "WEB"]

MAX_DEVICES_PER_USER = 20
MAX_TOKEN_BYTES = 4096
MAX_APP_VERSION = 64


@dataclass(frozen=True)
class Device:
    """`address` is a secret (an FCM token or installation id): never returned, never logged whole."""

    key: str
    user_key: str
    address: str
    address_kind: AddressKind
    platform: Platform
    locale: str
    timezone: str | None
    app_version: str | None
    created_at: int
    last_seen_at: int


@dataclass(frozen=True)
class Registration:
    address: str
    address_kind: AddressKind
    platform: Platform
    locale: str | None
    timezone: str | None
    app_version: str | None


def device_key(address: str) -> str:
    """One device per address: the key is a digest of it, so the address itself is never a key."""
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def check_registration(registration: Registration) -> list[Violation]:
    found: list[Violation] = []
    size = len(registration.address.encode())
    if not registration.address.strip() or size > MAX_TOKEN_BYTES:
        found.append(invalid(("input", "token"), f"A push token is 1 to {MAX_TOKEN_BYTES} bytes."))
    if registration.locale is not None and not LOCALE_TAG.match(registration.locale):
        found.append(invalid(("input", "locale"), "Use a BCP 47 language tag, e.g. pt-BR."))
    if registration.timezone is not None and not is_timezone(registration.timezone):
        found.append(invalid(("input", "timezone"), "Use an IANA time zone, e.g. Asia/Shanghai."))
    if registration.app_version is not None and len(registration.app_version) > MAX_APP_VERSION:
        found.append(
            invalid(("input", "appVersion"), f"An app version is at most {MAX_APP_VERSION} characters.")
        )
    return found


def registered(existing: Device | None, user_key: str, registration: Registration, now: int) -> Device:
    """The device after registering: a known address keeps its key and moves to this user."""
    return Device(
        key=device_key(registration.address),
        user_key=user_key,
        address=registration.address,
        address_kind=registration.address_kind,
        platform=registration.platform,
        locale=registration.locale or DEFAULT_LOCALE,
        timezone=registration.timezone,
        app_version=registration.app_version,
        created_at=existing.created_at if existing is not None and existing.user_key == user_key else now,
        last_seen_at=now,
    )
