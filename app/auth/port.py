"""The auth port: turns a bearer token into an Identity, or says why it cannot.

Role is the domain's own enum (one class for the whole app), re-exported here so the
port stays the one place adapters and callers import from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from app.domain.accounts import Role

__all__ = [
    "AuthUnavailable",
    "Identity",
    "InvalidToken",
    "Role",
    "TokenVerifier",
    "identity_from_claims",
]


@dataclass(frozen=True)
class Identity:
    subject: str
    role: Role
    supplier_id: str | None  # the supplier's GraphQL global id, as the claim gives it
    issued_at: int  # epoch seconds (iat)
    expires_at: int  # epoch seconds (exp)
    locale: str | None = None
    name: str | None = None
    country: str | None = None


class InvalidToken(Exception):
    """The token does not sign anyone in. `reason` is short and safe to show or log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthUnavailable(Exception):
    """The verifier cannot reach what it needs (keys, the auth service); try again later."""


class TokenVerifier(Protocol):
    async def verify(self, token: str) -> Identity:
        """Returns who the token signs in; raises InvalidToken or AuthUnavailable."""
        ...


_ROLE_VALUES = frozenset(member.value for member in Role)


def _optional_text(claims: Mapping[str, object], key: str) -> str | None:
    value = claims.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidToken(f"malformed {key} claim")
    return value or None


def _epoch(claims: Mapping[str, object], key: str) -> int:
    value = claims.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidToken(f"missing {key} claim")
    return int(value)


def identity_from_claims(claims: Mapping[str, object]) -> Identity:
    """Reads verified claims: sub, role (absent: buyer), supplierId, iat, exp, locale, name, country."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise InvalidToken("missing sub claim")
    raw_role = claims.get("role")
    if raw_role is None:
        role = Role.BUYER
    elif isinstance(raw_role, str) and raw_role in _ROLE_VALUES:
        role = Role(raw_role)
    else:
        raise InvalidToken("unknown role")
    return Identity(
        subject=subject,
        role=role,
        supplier_id=_optional_text(claims, "supplierId"),
        issued_at=_epoch(claims, "iat"),
        expires_at=_epoch(claims, "exp"),
        locale=_optional_text(claims, "locale"),
        name=_optional_text(claims, "name"),
        country=_optional_text(claims, "country"),
    )
