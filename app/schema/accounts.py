"""Profile and account payloads."""

from __future__ import annotations

import strawberry

from app.domain.accounts import ProfileChange
from app.schema.base import UserError
from app.schema.viewer import Viewer


@strawberry.input
class ProfileInput:
    display_name: str | None = None
    country: str | None = None
    locale: str | None = None
    currency: str | None = None

    def to_change(self) -> ProfileChange:
        return ProfileChange(self.display_name, self.country, self.locale, self.currency)


@strawberry.type
class ViewerPayload:
    viewer: Viewer | None
    user_errors: list[UserError]


@strawberry.type
class DeleteAccountPayload:
    deleted: bool
    user_errors: list[UserError]
