"""Accounts: who is signed in, with which role, and the rules of profiles and deletion."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from enum import StrEnum

from app.domain.countries import is_country
from app.domain.errors import Violation, invalid


class Role(StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"
    EDITOR = "editor"


@dataclass(frozen=True)
class Account:
    key: str
    subject: str
    role: Role
    supplier_key: str | None
    display_name: str | None
    country: str | None
    locale: str | None
    currency: str | None
    created_at: int
    deleted_at: int | None = None

    def with_profile(
        self,
        display_name: str | None,
        country: str | None,
        locale: str | None,
        currency: str | None,
    ) -> Account:
        return replace(self, display_name=display_name, country=country, locale=locale, currency=currency)


def token_revoked(latest: Account | None, issued_at_seconds: int) -> bool:
    """A token issued before (or in the second of) the account's deletion no longer signs in."""
    if latest is None or latest.deleted_at is None:
        return False
    return issued_at_seconds * 1000 <= latest.deleted_at


LOCALE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class ProfileChange:
    """What `updateProfile` asked for: None leaves a field as it is."""

    display_name: str | None = None
    country: str | None = None
    locale: str | None = None
    currency: str | None = None


def check_profile(change: ProfileChange, currencies: Collection[str]) -> list[Violation]:
    found: list[Violation] = []
    if change.display_name is not None:
        name = change.display_name.strip()
        if not name or len(name) > MAX_NAME_LENGTH:
            found.append(invalid(("input", "displayName"), f"A name is 1 to {MAX_NAME_LENGTH} characters."))
    if change.country is not None and not is_country(change.country):
        found.append(invalid(("input", "country"), "Use an ISO 3166-1 alpha-2 country code, e.g. DE."))
    if change.locale is not None and not LOCALE_TAG.match(change.locale):
        found.append(invalid(("input", "locale"), "Use a BCP 47 language tag, e.g. pt-BR."))
    if change.currency is not None and change.currency not in currencies:
        found.append(
            invalid(("input", "currency"), "That currency is not offered; use an ISO 4217 code we list.")
        )
    return found


def apply_profile(account: Account, change: ProfileChange) -> Account:
    return account.with_profile(
        display_name=change.display_name.strip() if change.display_name is not None else account.display_name,
        country=change.country if change.country is not None else account.country,
        locale=change.locale if change.locale is not None else account.locale,
        currency=change.currency if change.currency is not None else account.currency,
    )
