"""Values: variables coerced per request, literal arguments coerced once, the variables that shape a plan."""

from __future__ import annotations

from enum import Enum
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLField,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    ValueNode,
    VariableNode,
    Visitor,
    visit,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values

# graphql-core's `execute` default; the same limit makes the same errors.
MAX_COERCION_ERRORS = 50
IMMUTABLE = (str, int, float, bool, type(None), Enum)

EMPTY_VARIABLES = VariableValues({}, {})


def coerce_variables(
    schema: GraphQLSchema, operation: OperationDefinitionNode, raw: dict[str, Any] | None
) -> VariableValues | list[GraphQLError]:
    """Exactly what graphql-core's executor does before running (resolvers see this object as info)."""
    return get_variable_values(
        schema, operation.variable_definitions or (), raw or {}, max_errors=MAX_COERCION_ERRORS
    )


class _DirectiveVariables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        if node.name.value not in ("skip", "include"):
            return
        for argument in node.arguments or ():
            if isinstance(argument.value, VariableNode) and argument.value.name.value not in self.names:
                self.names.append(argument.value.name.value)


def directive_variables(document: DocumentNode) -> tuple[str, ...]:
    """Variables that decide @skip/@include: the plan is compiled once per combination of their values."""
    visitor = _DirectiveVariables()
    visit(document, visitor)
    return tuple(visitor.names)


def plan_key(names: tuple[str, ...], variables: VariableValues) -> tuple[Any, ...]:
    coerced = variables.coerced
    return tuple(coerced.get(name) for name in names)


def has_variables(node: ValueNode) -> bool:
    if isinstance(node, VariableNode):
        return True
    if isinstance(node, ListValueNode):
        return any(has_variables(value) for value in node.values)
    if isinstance(node, ObjectValueNode):
        return any(has_variables(item.value) for item in node.fields)
    return False


def static_arguments(field_def: GraphQLField, node: FieldNode) -> dict[str, Any] | None:
    """Literal arguments coerced once; None when a variable is involved or the values could be mutated.

    Shared values must be immutable: a resolver mutating a list argument would otherwise change every
    later request. A literal that fails to coerce is left to the request, so the error happens where
    graphql-core raises it (as a field error).
    """
    if not field_def.args and not node.arguments:
        return {}
    if any(has_variables(argument.value) for argument in node.arguments or ()):
        return None
    try:
        values = get_argument_values(field_def, node, EMPTY_VARIABLES)
    except Exception:
        return None
    if not all(isinstance(value, IMMUTABLE) for value in values.values()):
        return None
    return values
