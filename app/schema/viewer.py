"""Viewer: the signed-in user as the apps see themselves."""

from __future__ import annotations

import strawberry

from app.context import Info
from app.domain.accounts import Account
from app.domain.ids import to_global_id
from app.schema.base import Role


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
