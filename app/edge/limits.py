"""Depth, alias and cost limits computed on a validated document before it runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
    value_from_ast,
)
from graphql.pyutils import Undefined
from graphql.type import GraphQLInterfaceType, GraphQLOutputType, GraphQLUnionType

MAX_DEPTH = 15
MAX_ALIASES = 30
MAX_COST = 1000
MAX_TOKENS = 5000
MUTATION_BASE_COST = 10


@dataclass(frozen=True)
class Shape:
    depth: int
    aliases: int


def shape_of(operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]) -> Shape:
    """Depth of the deepest field and the number of aliases, fragments expanded."""
    aliases = 0

    def walk(selection_set: SelectionSetNode | None, depth: int, seen: frozenset[str]) -> int:
        nonlocal aliases
        if selection_set is None:
            return depth
        deepest = depth
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.alias is not None:
                    aliases += 1
                deepest = max(deepest, walk(selection.selection_set, depth + 1, seen))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, walk(selection.selection_set, depth, seen))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:
                    deepest = max(deepest, walk(fragment.selection_set, depth, seen | {name}))
        return deepest

    depth = walk(operation.selection_set, 0, frozenset())
    return Shape(depth=depth, aliases=aliases)


class CostCalculator:
    """Shopify-style calculated cost (CONTRACT.md section 4), with `first` read from the variables."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self._schema = schema
        self._fragments = fragments
        self._variables = variables

    def operation_cost(self, operation: OperationDefinitionNode) -> int:
        root = self._schema.get_root_type(operation.operation)
        if root is None:
            return 0
        total = 0
        for field_node, field in self._fields(root, operation.selection_set):
            total += max(1, self._field_cost(field_node, field))
        if operation.operation is OperationType.MUTATION:
            total += MUTATION_BASE_COST
        return total

    def actual_cost(self, operation: OperationDefinitionNode, data: Mapping[str, Any] | None) -> int:
        """The same weights over what the response holds: lists count their real length."""
        root = self._schema.get_root_type(operation.operation)
        if root is None or data is None:
            return 0
        total = 0
        for node, field in self._fields(root, operation.selection_set):
            key = node.alias.value if node.alias else node.name.value
            if key in data:
                total += max(1, self._actual_field(node, field, data[key]))
        if operation.operation is OperationType.MUTATION:
            total += MUTATION_BASE_COST
        return total

    def _actual_field(self, node: FieldNode, field: GraphQLField, value: Any) -> int:
        if is_leaf_type(get_named_type(field.type)):
            return 0
        if isinstance(value, list):
            items = sum(self._actual_selection(field.type, node.selection_set, item) for item in value)
            return items + (2 if "first" in field.args else 0)
        if value is None:
            return 1
        return 1 + self._actual_selection(field.type, node.selection_set, value)

    def _actual_selection(self, parent: GraphQLOutputType, selection_set: SelectionSetNode | None, value: Any) -> int:
        if not isinstance(value, Mapping):
            return 0
        named = get_named_type(parent)
        members = (
            self._schema.get_possible_types(named) if isinstance(named, GraphQLUnionType | GraphQLInterfaceType) else [named]
        )
        counted: set[str] = set()
        total = 0
        for member in members:
            for child, child_field in self._fields(member, selection_set):
                key = child.alias.value if child.alias else child.name.value
                if key in value and key not in counted:
                    counted.add(key)
                    total += self._actual_field(child, child_field, value[key])
        return total

    def _fields(
        self, parent: GraphQLOutputType, selection_set: SelectionSetNode | None
    ) -> list[tuple[FieldNode, GraphQLField]]:
        """The fields selected on a type; on abstract types, the costliest branch counts."""
        found: list[tuple[FieldNode, GraphQLField]] = []
        if selection_set is None:
            return found
        named = get_named_type(parent)
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                field = self._lookup(named, selection.name.value)
                if field is not None:
                    found.append((selection, field))
            else:
                if isinstance(selection, FragmentSpreadNode):
                    fragment = self._fragments.get(selection.name.value)
                    if fragment is None:
                        continue
                    condition, inner = fragment.type_condition, fragment.selection_set
                else:
                    condition, inner = selection.type_condition, selection.selection_set
                target = self._schema.get_type(condition.name.value) if condition is not None else named
                found.extend(self._fields(target, inner) if target is not None else [])  # type: ignore[arg-type]
        return found

    def _lookup(self, named: Any, name: str) -> GraphQLField | None:
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            return named.fields.get(name)
        return None

    def _selection_cost(self, parent: GraphQLOutputType, selection_set: SelectionSetNode | None) -> int:
        named = get_named_type(parent)
        if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
            return self._abstract_cost(named, selection_set)
        return sum(self._field_cost(node, field) for node, field in self._fields(parent, selection_set))

    def _abstract_cost(self, named: GraphQLUnionType | GraphQLInterfaceType, selection_set: SelectionSetNode | None) -> int:
        possible = self._schema.get_possible_types(named)
        costs = [
            sum(self._field_cost(node, field) for node, field in self._fields(member, selection_set))
            for member in possible
        ]
        return max(costs, default=0)

    def _field_cost(self, node: FieldNode, field: GraphQLField) -> int:
        field_type = field.type
        if is_leaf_type(get_named_type(field_type)):
            return 0
        selection = self._selection_cost(field_type, node.selection_set)
        if node.name.value == "nodes" and "ids" in field.args:
            ids = self._argument(node, field, "ids")
            return len(ids or []) * selection
        if "first" in field.args:
            first = self._argument(node, field, "first")
            return 2 + max(int(first or 0), 0) * selection
        if is_list_type(field_type):
            return selection
        return 1 + selection

    def _argument(self, node: FieldNode, field: GraphQLField, name: str) -> Any:
        definition = field.args.get(name)
        if definition is None:
            return None
        for argument in node.arguments:
            if argument.name.value == name:
                value = value_from_ast(argument.value, definition.type, self._variables)
                if value is not None and value is not Undefined:
                    return value
        return None if definition.default_value is Undefined else definition.default_value


def is_list_type(field_type: GraphQLOutputType) -> bool:
    inner = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    return isinstance(inner, GraphQLList)
