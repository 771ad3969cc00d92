"""Viewer: the signed-in user as the apps see themselves."""

from __future__ import annotations

import strawberry

from app.context import Info
from app.domain.accounts import Account
from app.domain.ids import to_global_id
from app.domain.interests import normalized
from app.schema.base import Role
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
