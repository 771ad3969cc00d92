"""Shared GraphQL shapes: Node, PageInfo, UserError, Role, Money, Image."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING

import strawberry

from app.domain import media
from app.domain.accounts import Role as DomainRole
from app.domain.errors import UserErrorCode as DomainUserErrorCode
from app.domain.errors import Violation
from app.domain.money import Money as DomainMoney
from app.schema.scalars import Decimal

if TYPE_CHECKING:
    from decimal import Decimal as PyDecimal


@strawberry.interface
class Node:
    id: strawberry.ID


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.enum
class Role(Enum):
    BUYER = "BUYER"
    SUPPLIER = "SUPPLIER"
    EDITOR = "EDITOR"

    @classmethod
    def from_domain(cls, role: DomainRole) -> Role:
        return cls[role.name]


UserErrorCode = strawberry.enum(DomainUserErrorCode, name="UserErrorCode")
"""The domain's codes, shown as the schema's enum (one list of codes for the whole app)."""


@strawberry.type
class UserError:
    field: list[str] | None
    message: str
    code: DomainUserErrorCode

    @classmethod
    def from_violation(cls, violation: Violation) -> UserError:
        field = list(violation.field) if violation.field is not None else None
        return cls(field=field, message=violation.message, code=violation.code)


def user_errors(violations: Sequence[Violation]) -> list[UserError]:
    return [UserError.from_violation(v) for v in violations]


@strawberry.type
class Money:
    amount: Decimal
    currency: str

    @classmethod
    def from_domain(cls, money: DomainMoney) -> Money:
        amount: PyDecimal = money.amount
        return cls(amount=Decimal(amount), currency=money.currency)


@strawberry.type
class MoneyRange:
    min: Money
    max: Money


@strawberry.type
class Quantity:
    value: int
    unit: str


@strawberry.enum
class ImageFormat(Enum):
    JPEG = "JPEG"
    WEBP = "WEBP"
    AVIF = "AVIF"


@strawberry.type
class Image:
    width: int
    height: int
    alt: str | None
    stored: strawberry.Private[media.StoredImage]

    @strawberry.field
    def url(self, width: int | None = None, format: ImageFormat | None = None) -> str:
        chosen = media.ImageFormat[format.name] if format is not None else None
        return media.image_url(self.stored, width, chosen)

    @classmethod
    def from_domain(cls, image: media.StoredImage) -> Image:
        return cls(width=image.width, height=image.height, alt=image.alt, stored=image)

    @classmethod
    def maybe(cls, image: media.StoredImage | None) -> Image | None:
        return cls.from_domain(image) if image is not None else None
