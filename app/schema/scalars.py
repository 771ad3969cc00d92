"""Scalars: DateTime (UTC out, any offset in; epoch milliseconds inside) and Decimal (string out)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as PyDecimal
from decimal import InvalidOperation
from typing import Any, NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

DateTime = NewType("DateTime", int)
"""Epoch milliseconds inside; ISO 8601 outside."""
Decimal = NewType("Decimal", PyDecimal)


def format_datetime(value: int) -> str:
    moment = datetime.fromtimestamp(value / 1000, UTC)
    return moment.isoformat(timespec="seconds" if value % 1000 == 0 else "milliseconds")


def parse_datetime(value: Any) -> int:
    if not isinstance(value, str) or len(value) > 64:
        raise ValueError("DateTime must be an ISO 8601 string with an offset or Z")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"Invalid DateTime: {value[:40]!r}") from None
    if moment.tzinfo is None:
        raise ValueError("DateTime needs an offset or Z")
    return int(moment.timestamp() * 1000)


def serialize_decimal(value: Any) -> str:
    return str(value)


def parse_decimal(value: Any) -> PyDecimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("Decimal must be a string or a number")
    try:
        parsed = PyDecimal(str(value))
    except InvalidOperation:
        raise ValueError(f"Invalid Decimal: {str(value)[:40]!r}") from None
    if not parsed.is_finite():
        raise ValueError("Decimal must be finite")
    return parsed


SCALARS: dict[object, ScalarDefinition] = {
    DateTime: strawberry.scalar(
        name="DateTime",
        description="ISO 8601 with offset, e.g. 2026-11-24T10:00:00+00:00; output in UTC.",
        serialize=format_datetime,
        parse_value=parse_datetime,
    ),
    Decimal: strawberry.scalar(
        name="Decimal",
        description='Decimal number serialized as a string, e.g. "12.50"; accepted as a string or a number.',
        serialize=serialize_decimal,
        parse_value=parse_decimal,
    ),
}
