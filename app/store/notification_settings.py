"""NotificationSettingsRepository: each user's push switch, time zone, quiet hours and disabled kinds."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.notifications import NotificationKind
from app.domain.notifications_rules import NotificationSettings
from app.store.port import Collection, Database, Document


def settings_from_doc(user_key: str, doc: Document | None) -> NotificationSettings:
    if doc is None:
        return NotificationSettings(user_key)
    return NotificationSettings(
        user_key=user_key,
        push_enabled=doc.get("push_enabled", True),
        timezone=doc.get("timezone"),
        quiet_hours_start=doc.get("quiet_hours_start"),
        quiet_hours_end=doc.get("quiet_hours_end"),
        disabled_kinds=tuple(
            NotificationKind(k) for k in doc.get("disabled_kinds", []) if k in NotificationKind.__members__
        ),
    )


class NotificationSettingsRepository:
    def __init__(self, database: Database) -> None:
        self._settings: Collection = database.collection("notification_settings")

    async def ensure_indexes(self) -> None:
        await self._settings.create_index([("user_key", 1)], unique=True)

    async def get(self, user_key: str) -> NotificationSettings:
        """Defaults (push on, UTC, no quiet hours, nothing disabled) for a user who changed nothing."""
        return settings_from_doc(user_key, await self._settings.find_one({"user_key": user_key}))

    async def get_many(self, user_keys: Sequence[str]) -> list[NotificationSettings]:
        found = {d["user_key"]: d async for d in self._settings.find({"user_key": {"$in": list(user_keys)}})}
        return [settings_from_doc(k, found.get(k)) for k in user_keys]

    async def save(self, settings: NotificationSettings) -> None:
        await self._settings.update_one(
            {"user_key": settings.user_key},
            {
                "$set": {
                    "push_enabled": settings.push_enabled,
                    "timezone": settings.timezone,
                    "quiet_hours_start": settings.quiet_hours_start,
                    "quiet_hours_end": settings.quiet_hours_end,
                    "disabled_kinds": [k.value for k in settings.disabled_kinds],
                }
            },
            upsert=True,
        )

    async def adopt_timezone(self, user_key: str, timezone: str) -> None:
        """The first device's zone becomes the user's, unless the user already has one."""
        if (await self.get(user_key)).timezone is None:
            await self._settings.update_one(
                {"user_key": user_key}, {"$set": {"timezone": timezone}}, upsert=True
            )
