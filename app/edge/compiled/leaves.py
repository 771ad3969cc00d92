"""Leaf serialization: graphql-core's result coercion, with a shortcut when the value already is the answer.

Each shortcut returns exactly what graphql-core's coercer returns for that exact Python type (a str for
String and ID, an in-range int for Int, a finite float for Float, a bool for Boolean, the name for a
strawberry enum member); anything else goes through the type's own `coerce_output_value`.
"""

from __future__ import annotations

from math import isfinite
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLScalarType,
    GraphQLString,
    Undefined,
)
from graphql.pyutils import inspect

from app.edge.compiled.plan import Serializer

_MIN_INT = -(2**31)
_MAX_INT = 2**31 - 1


def _checked(type_: GraphQLLeafType) -> Serializer:
    """The general path: what graphql-core's `complete_leaf_value` does."""
    coerce = type_.coerce_output_value

    def serialize(value: Any) -> Any:
        if isinstance(value, Exception):
            raise value
        coerced = coerce(value)
        if coerced is Undefined or coerced is None:
            raise TypeError(
                f"Expected `{inspect(type_)}.coerce_output_value({inspect(value)})`"
                f" to return non-nullable value, returned: {inspect(coerced)}"
            )
        return coerced

    return serialize


def _exact(kind: type, slow: Serializer) -> Serializer:
    def serialize(value: Any) -> Any:
        return value if type(value) is kind else slow(value)

    return serialize


def _int(slow: Serializer) -> Serializer:
    def serialize(value: Any) -> Any:
        if type(value) is int and _MIN_INT <= value <= _MAX_INT:
            return value
        return slow(value)

    return serialize


def _float(slow: Serializer) -> Serializer:
    def serialize(value: Any) -> Any:
        if type(value) is float and isfinite(value):
            return value
        return slow(value)

    return serialize


def _strawberry_enum(type_: GraphQLEnumType, slow: Serializer) -> Serializer:
    """Strawberry's enum returns the first name whose value equals the member's value: looked up once."""
    wrapped: type = type_.wrapped_cls  # type: ignore[attr-defined]
    names: dict[Any, str] = {}
    for member in wrapped:  # type: ignore[attr-defined]
        for name, value in type_.values.items():
            if member.value == value.value:
                names[member] = name
                break

    def serialize(value: Any) -> Any:
        if type(value) is wrapped:
            name = names.get(value)
            if name is not None:
                return name
        return slow(value)

    return serialize


def leaf_serializer(type_: GraphQLLeafType) -> Serializer:
    slow = _checked(type_)
    if isinstance(type_, GraphQLScalarType):
        coerce = type_.coerce_output_value
        if coerce is GraphQLString.coerce_output_value or coerce is GraphQLID.coerce_output_value:
            return _exact(str, slow)
        if coerce is GraphQLBoolean.coerce_output_value:
            return _exact(bool, slow)
        if coerce is GraphQLInt.coerce_output_value:
            return _int(slow)
        if coerce is GraphQLFloat.coerce_output_value:
            return _float(slow)
        return slow
    if isinstance(type_, GraphQLEnumType) and hasattr(type_, "wrapped_cls"):
        return _strawberry_enum(type_, slow)
    return slow
