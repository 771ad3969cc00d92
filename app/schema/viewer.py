"""Viewer: the signed-in user as the apps see themselves."""

from __future__ import annotations

import strawberry

from app.context import Info
from app.domain.accounts import Account
from app.domain.ids import to_global_id
from app.domain.interests import normalized
from app.schema.base import Role
from app.schema.devices import Device
from app.schema.inquiries import InquiryConnection, inquiries_connection
from app.schema.notifications import NotificationConnection, NotificationSettings, notifications_connection
from app.schema.orders import OrderConnection, OrderStatus, orders_connection
from app.schema.products import ProductConnection, saved_connection
from app.schema.suppliers import Supplier, SupplierConnection, following_connection, viewer_supplier
from app.schema.verticals import Vertical


@strawberry.type
class Interest:
    vertical: Vertical
    weight: float


@strawberry.type
class Viewer:
    id: strawberry.ID
    role: Role
    display_name: str | None
    country: str | None
    locale: str
    currency: str
    account: strawberry.Private[Account]

    @classmethod
    def from_domain(cls, account: Account, locale: str, currency: str) -> Viewer:
        return cls(
            id=strawberry.ID(to_global_id("Viewer", account.key)),
            role=Role.from_domain(account.role),
            display_name=account.display_name,
            country=account.country,
            locale=locale,
            currency=currency,
            account=account,
        )

    @staticmethod
    def of(info: Info, account: Account) -> Viewer:
        return Viewer.from_domain(account, info.context.locale, info.context.currency)

    @strawberry.field
    async def saved(self, info: Info, first: int | None = 20, after: str | None = None) -> ProductConnection:
        return await saved_connection(info, self.account.key, first, after)

    @strawberry.field
    async def following(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> SupplierConnection:
        return await following_connection(info, self.account.key, first, after)

    @strawberry.field
    async def supplier(self, info: Info) -> Supplier | None:
        return await viewer_supplier(info, self.account)

    @strawberry.field
    async def orders(
        self, info: Info, first: int | None = 20, after: str | None = None, status: OrderStatus | None = None
    ) -> OrderConnection:
        return await orders_connection(info, self.account, first, after, status)

    @strawberry.field
    async def inquiries(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> InquiryConnection:
        return await inquiries_connection(info, self.account, first, after)

    @strawberry.field
    async def notifications(
        self, info: Info, first: int | None = 20, after: str | None = None, unread_only: bool | None = False
    ) -> NotificationConnection:
        return await notifications_connection(info, self.account.key, first, after, bool(unread_only))

    @strawberry.field
    async def unread_inquiry_count(self, info: Info) -> int:
        return await info.context.ports.repos.inquiries.threads_with_unread(self.account.key)

    @strawberry.field
    async def devices(self, info: Info) -> list[Device]:
        return [
            Device.from_domain(d) for d in await info.context.ports.repos.devices.of_user(self.account.key)
        ]

    @strawberry.field
    async def notification_settings(self, info: Info) -> NotificationSettings:
        return NotificationSettings.from_domain(
            await info.context.services.notifications.settings(self.account)
        )

    @strawberry.field
    async def unread_notification_count(self, info: Info) -> int:
        return await info.context.ports.repos.notifications.count_unread(self.account.key)

    @strawberry.field
    async def interests(self, info: Info) -> list[Interest]:
        weights = await info.context.ports.repos.interests.vertical_weights(self.account.key)
        ranked = normalized(weights)
        verticals = await info.context.loaders.vertical_by_key.load_many([key for key, _ in ranked])
        return [
            Interest(vertical=Vertical.from_domain(vertical, info.context.locale), weight=weight)
            for (_, weight), vertical in zip(ranked, verticals, strict=True)
            if vertical is not None
        ]
