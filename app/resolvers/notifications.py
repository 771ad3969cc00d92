"""Notifications: marking them read, settings, the live `notificationAdded` stream, and node lookup."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from app.context import Info
from app.domain.ids import key_of
from app.loaders import Loaders
from app.schema.base import Node, user_errors
from app.schema.errors import bad_input
from app.schema.notifications import (
    MarkNotificationsReadPayload,
    Notification,
    NotificationSettings,
    NotificationSettingsInput,
    NotificationSettingsPayload,
    use_target_lookup,
)
from app.schema.scalars import DateTime
from app.services.notifications import channel_of

MAX_IDS = 100


async def notification_target(info: Info, type_name: str, key: str) -> Node | None:
    """Resolved like `node(id)`, so a target is visible exactly when its own field would show it."""
    from app.resolvers.nodes import NODE_RESOLVERS  # nodes imports this module: resolved at call time

    resolver = NODE_RESOLVERS.get(type_name)
    return await resolver(info, key) if resolver is not None else None


use_target_lookup(notification_target)


async def notification_node(info: Info, key: str) -> Notification | None:
    """Only the viewer's own notifications."""
    viewer = info.context.viewer
    notification = await info.context.loaders.notification_by_key.load(key)
    if viewer is None or notification is None or notification.user_key != viewer.key:
        return None
    return Notification.of(info, notification)


@strawberry.type
class NotificationMutation:
    @strawberry.mutation
    async def mark_notifications_read(
        self, info: Info, ids: list[strawberry.ID] | None = None, up_to: DateTime | None = None
    ) -> MarkNotificationsReadPayload:
        """Ids that are not the viewer's are ignored; without ids, all created up to `upTo` (now)."""
        account = info.context.require_viewer()
        if ids is not None and len(ids) > MAX_IDS:
            raise bad_input(f"markNotificationsRead takes at most {MAX_IDS} ids; got {len(ids)}.")
        keys = None if ids is None else [k for k in (key_of(i, "Notification") for i in ids) if k is not None]
        unread = await info.context.services.notifications.mark_read(account, keys, up_to)
        return MarkNotificationsReadPayload(unread_count=unread, user_errors=[])

    @strawberry.mutation
    async def update_notification_settings(
        self, info: Info, input: NotificationSettingsInput
    ) -> NotificationSettingsPayload:
        account = info.context.require_viewer()
        result = await info.context.services.notifications.update_settings(account, input.to_change())
        settings = NotificationSettings.from_domain(result.settings) if result.settings is not None else None
        return NotificationSettingsPayload(settings=settings, user_errors=user_errors(result.violations))


@strawberry.type
class NotificationSubscription:
    @strawberry.subscription
    async def notification_added(self, info: Info) -> AsyncGenerator[Notification, None]:
        account = info.context.require_viewer()
        return follow_notifications(info, account.key)


async def follow_notifications(info: Info, user_key: str) -> AsyncGenerator[Notification, None]:
    async with info.context.ports.broker.subscribe(channel_of(user_key)) as events:
        async for event in events:
            info.context.loaders = Loaders(info.context.ports.repos)
            [notification] = await info.context.ports.repos.notifications.get_many([event.decode()])
            if notification is not None and notification.user_key == user_key:
                yield Notification.of(info, notification)
