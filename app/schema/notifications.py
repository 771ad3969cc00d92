"""Notification types: in-app notifications, their connection, settings, inputs and payloads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum

import strawberry

from app.context import Info
from app.domain.ids import to_global_id
from app.domain.notifications import NotificationKind as DomainKind
from app.domain.notifications_rules import Notification as DomainNotification
from app.domain.notifications_rules import NotificationSettings as DomainSettings
from app.domain.notifications_rules import SettingsChange
from app.schema.base import Node, PageInfo, UserError
from app.schema.paging import build_page, page_request
from app.schema.scalars import DateTime
from push.templates import render


@strawberry.enum
class NotificationKind(Enum):
    SUPPLIER_REPLIED = "SUPPLIER_REPLIED"
    NEW_INQUIRY = "NEW_INQUIRY"
    BUYER_REPLIED = "BUYER_REPLIED"
    NEW_ORDER = "NEW_ORDER"
    ORDER_UPDATE = "ORDER_UPDATE"
    SHIPMENT_UPDATE = "SHIPMENT_UPDATE"
    ARTICLE_PUBLISHED = "ARTICLE_PUBLISHED"


@strawberry.type
class Notification(Node):
    id: strawberry.ID
    kind: NotificationKind
    title: str
    body: str
    created_at: DateTime
    read_at: DateTime | None
    domain: strawberry.Private[DomainNotification]

    @classmethod
    def of(cls, info: Info, notification: DomainNotification) -> Notification:
        """Texts in the request's language, from the same templates as the push."""
        title, body = render(notification.kind, notification.params, info.context.locale)
        return cls(
            id=strawberry.ID(to_global_id("Notification", notification.key)),
            kind=NotificationKind[notification.kind.name],
            title=title,
            body=body,
            created_at=DateTime(notification.created_at),
            read_at=DateTime(notification.read_at) if notification.read_at is not None else None,
            domain=notification,
        )

    @strawberry.field
    async def target(self, info: Info) -> Node | None:
        """The inquiry, order or article, under the viewer's own visibility: null once it is gone."""
        if _target_lookup is None:
            raise RuntimeError("no target lookup registered (app.resolvers.notifications does it)")
        return await _target_lookup(info, self.domain.target_type, self.domain.target_key)


TargetLookup = Callable[[Info, str, str], Awaitable[Node | None]]
_target_lookup: TargetLookup | None = None


def use_target_lookup(lookup: TargetLookup) -> None:
    """The resolvers layer hands in node resolution, so this module needs no import of it."""
    global _target_lookup
    _target_lookup = lookup


@strawberry.type
class NotificationEdge:
    cursor: str
    node: Notification


@strawberry.type
class NotificationConnection:
    edges: list[NotificationEdge]
    page_info: PageInfo


async def notifications_connection(
    info: Info, user_key: str, first: int | None, after: str | None, unread_only: bool
) -> NotificationConnection:
    """Newest first."""
    request = page_request(
        info, "Viewer.notifications", first, after, default=20, personal=True, args=[unread_only]
    )
    repo = info.context.ports.repos.notifications
    fetched = await repo.page(user_key, unread_only, request.after, request.fetch)
    page = build_page(info, request, fetched, lambda n: [n.created_at, n.key])
    edges = [
        NotificationEdge(cursor=c, node=Notification.of(info, n))
        for n, c in zip(page.items, page.cursors, strict=True)
    ]
    return NotificationConnection(edges=edges, page_info=page.page_info)


@strawberry.type
class NotificationSettings:
    push_enabled: bool
    timezone: str
    quiet_hours_start: str | None
    quiet_hours_end: str | None
    disabled_kinds: list[NotificationKind]

    @classmethod
    def from_domain(cls, settings: DomainSettings) -> NotificationSettings:
        return cls(
            push_enabled=settings.push_enabled,
            timezone=settings.effective_timezone,
            quiet_hours_start=settings.quiet_hours_start,
            quiet_hours_end=settings.quiet_hours_end,
            disabled_kinds=[NotificationKind[k.name] for k in settings.disabled_kinds],
        )


@strawberry.input
class NotificationSettingsInput:
    """An absent field is unchanged; quiet hours are given both or neither (null both: none)."""

    push_enabled: bool | None = strawberry.UNSET
    timezone: str | None = strawberry.UNSET
    quiet_hours_start: str | None = strawberry.UNSET
    quiet_hours_end: str | None = strawberry.UNSET
    disabled_kinds: list[NotificationKind] | None = strawberry.UNSET

    def to_change(self) -> SettingsChange:
        start, end, kinds = self.quiet_hours_start, self.quiet_hours_end, self.disabled_kinds
        return SettingsChange(
            push_enabled=self.push_enabled if self.push_enabled is not strawberry.UNSET else None,
            timezone=self.timezone if self.timezone is not strawberry.UNSET else None,
            quiet_hours_start=start if start is not strawberry.UNSET else None,
            quiet_hours_end=end if end is not strawberry.UNSET else None,
            start_given=start is not strawberry.UNSET,
            end_given=end is not strawberry.UNSET,
            disabled_kinds=None
            if kinds is None or kinds is strawberry.UNSET
            else [DomainKind[k.name] for k in kinds],
        )


@strawberry.type
class NotificationSettingsPayload:
    settings: NotificationSettings | None
    user_errors: list[UserError]


@strawberry.type
class MarkNotificationsReadPayload:
    unread_count: int
    user_errors: list[UserError]
