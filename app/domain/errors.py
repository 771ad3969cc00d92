"""Violations: what a domain rule found wrong, reported to clients as `userErrors`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class UserErrorCode(StrEnum):
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    CONFLICT = "CONFLICT"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"


@dataclass(frozen=True)
class Violation:
    code: UserErrorCode
    field: tuple[str, ...] | None
    message: str


def not_found(field: Sequence[str], what: str = "That item") -> Violation:
    return Violation(UserErrorCode.NOT_FOUND, tuple(field), f"{what} does not exist.")


def forbidden(message: str = "Your role cannot do this.") -> Violation:
    return Violation(UserErrorCode.FORBIDDEN, None, message)


def invalid(field: Sequence[str] | None, message: str) -> Violation:
    return Violation(UserErrorCode.INVALID, tuple(field) if field is not None else None, message)
