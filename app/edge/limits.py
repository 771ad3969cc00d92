"""Depth, alias and cost limits computed on a validated document before it runs.

Every walk is memoized per (selection set, type), so a document of a few thousand tokens costs a
few thousand steps however its fragments nest or repeat.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
    value_from_ast,
)
from graphql.pyutils import Undefined
from graphql.type import GraphQLOutputType

MAX_DEPTH = 15
MAX_ALIASES = 30
MAX_COST = 1000
MAX_TOKENS = 5000
MUTATION_BASE_COST = 10

Counted = tuple[str, FieldNode, GraphQLOutputType, bool]
"""A field whose value counts toward the actual cost: response key, node, type, and whether it pages
(takes `first`)."""
CountedFields = dict[tuple[int, str], list[Counted]]
"""The counted fields of each (selection set, concrete type) of one document, kept with it."""


@dataclass(frozen=True)
class Shape:
    depth: int
    aliases: int


def shape_of(operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]) -> Shape:
    """Depth of the deepest field and the number of aliases, each fragment measured once."""
    memo: dict[int, tuple[int, int]] = {}

    def walk(selection_set: SelectionSetNode | None, seen: frozenset[str]) -> tuple[int, int]:
        """(depth below this selection set, aliases in it), fragments expanded."""
        if selection_set is None:
            return 0, 0
        cached = memo.get(id(selection_set))
        if cached is not None:
            return cached
        deepest, aliases = 0, 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                depth, inner = walk(selection.selection_set, seen)
                deepest, aliases = max(deepest, depth + 1), aliases + inner + (selection.alias is not None)
            elif isinstance(selection, InlineFragmentNode):
                depth, inner = walk(selection.selection_set, seen)
                deepest, aliases = max(deepest, depth), aliases + inner
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None and fragment.name.value not in seen:
                    depth, inner = walk(fragment.selection_set, seen | {fragment.name.value})
                    deepest, aliases = max(deepest, depth), aliases + inner
        memo[id(selection_set)] = (deepest, aliases)
        return deepest, aliases

    depth, aliases = walk(operation.selection_set, frozenset())
    return Shape(depth=depth, aliases=aliases)


def is_list_type(field_type: GraphQLOutputType) -> bool:
    inner = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    return isinstance(inner, GraphQLList)


class CostCalculator:
    """Shopify-style calculated cost (CONTRACT.md section 4), with `first` read from the variables.

    A scalar or enum field costs 0; an object field 1 plus its selection; a field with `first`
    2 plus first times its selection; `nodes` the number of ids times its selection; a list without
    `first` its selection once; a root field at least 1; a mutation 10 more. On an abstract type the
    costliest possible type counts.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        counted: CountedFields | None = None,
    ) -> None:
        self._schema = schema
        self._fragments = fragments
        self._variables = variables
        self._memo: dict[tuple[int, str], int] = {}
        self._counted: CountedFields = {} if counted is None else counted

    def operation_cost(self, operation: OperationDefinitionNode) -> int:
        root = self._schema.get_root_type(operation.operation)
        if root is None:
            return 0
        total = sum(
            max(1, self._field_cost(node, field))
            for node, field in self._fields(root, operation.selection_set)
        )
        return total + (MUTATION_BASE_COST if operation.operation is OperationType.MUTATION else 0)

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
        return total + (MUTATION_BASE_COST if operation.operation is OperationType.MUTATION else 0)

    def _fields(
        self, parent: GraphQLNamedType, selection_set: SelectionSetNode | None
    ) -> list[tuple[FieldNode, GraphQLField]]:
        """The fields selected on a concrete (or abstract) type, through the fragments that apply to it."""
        found: list[tuple[FieldNode, GraphQLField]] = []
        if selection_set is None:
            return found
        self._collect(parent, selection_set, found, frozenset())
        return found

    def _collect(
        self,
        parent: GraphQLNamedType,
        selection_set: SelectionSetNode,
        found: list[tuple[FieldNode, GraphQLField]],
        seen: frozenset[str],
    ) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                field = (
                    parent.fields.get(selection.name.value)
                    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
                    else None
                )
                if field is not None:
                    found.append((selection, field))
                continue
            if isinstance(selection, FragmentSpreadNode):
                fragment = self._fragments.get(selection.name.value)
                if fragment is None or fragment.name.value in seen:
                    continue
                condition, inner, seen = (
                    fragment.type_condition.name.value,
                    fragment.selection_set,
                    seen | {fragment.name.value},
                )
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition.name.value if selection.type_condition else parent.name
                inner = selection.selection_set
            else:
                continue
            if self._applies(condition, parent):
                self._collect(parent, inner, found, seen)

    def _applies(self, condition: str, parent: GraphQLNamedType) -> bool:
        if condition == parent.name:
            return True
        target = self._schema.get_type(condition)
        if isinstance(parent, GraphQLObjectType) and isinstance(
            target, GraphQLInterfaceType | GraphQLUnionType
        ):
            return self._schema.is_sub_type(target, parent)
        return False

    def _selection_cost(self, parent: GraphQLOutputType, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        named = get_named_type(parent)
        key = (id(selection_set), named.name)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        members: list[GraphQLNamedType] = (
            list(self._schema.get_possible_types(named))
            if isinstance(named, GraphQLUnionType | GraphQLInterfaceType)
            else [named]
        )
        cost = max(
            (
                sum(self._field_cost(node, field) for node, field in self._fields(member, selection_set))
                for member in members
            ),
            default=0,
        )
        self._memo[key] = cost
        return cost

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

    def _actual_field(self, node: FieldNode, field: GraphQLField, value: Any) -> int:
        if is_leaf_type(get_named_type(field.type)):
            return 0
        return self._actual_value(node, field.type, "first" in field.args, value)

    def _actual_value(self, node: FieldNode, type_: GraphQLOutputType, pages: bool, value: Any) -> int:
        """Of a field that is not a leaf."""
        if isinstance(value, list):
            items = 0
            for item in value:
                items += self._actual_selection(type_, node.selection_set, item)
            return items + (2 if pages else 0)
        if value is None:
            return 1
        return 1 + self._actual_selection(type_, node.selection_set, value)

    def _actual_selection(
        self, parent: GraphQLOutputType, selection_set: SelectionSetNode | None, value: Any
    ) -> int:
        if not isinstance(value, Mapping) or selection_set is None:
            return 0
        named = get_named_type(parent)
        total = 0
        if not isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
            for key, child, child_type, pages in self._counted_fields(named, selection_set):
                if key in value:
                    total += self._actual_value(child, child_type, pages, value[key])
            return total
        counted: set[str] = set()
        for member in self._schema.get_possible_types(named):
            for key, child, child_type, pages in self._counted_fields(member, selection_set):
                if key in value and key not in counted:
                    counted.add(key)
                    total += self._actual_value(child, child_type, pages, value[key])
        return total

    def _counted_fields(self, member: GraphQLNamedType, selection_set: SelectionSetNode) -> list[Counted]:
        """The fields of a selection that can cost anything (leaves cost 0), collected once per
        document: the walk over every item of every list is most of what the actual cost costs."""
        memo_key = (id(selection_set), member.name)
        found = self._counted.get(memo_key)
        if found is None:
            first: dict[str, Counted] = {}
            for child, child_field in self._fields(member, selection_set):
                key = child.alias.value if child.alias else child.name.value
                if key not in first:  # a response key counts once, as it is answered once
                    first[key] = (key, child, child_field.type, "first" in child_field.args)
            found = [c for c in first.values() if not is_leaf_type(get_named_type(c[2]))]
            self._counted[memo_key] = found
        return found

    def _argument(self, node: FieldNode, field: GraphQLField, name: str) -> Any:
        definition = field.args.get(name)
        if definition is None:
            return None
        for argument in node.arguments or ():
            if argument.name.value == name:
                value = value_from_ast(argument.value, definition.type, dict(self._variables))
                if value is not None and value is not Undefined:
                    return value
        return None if definition.default_value is Undefined else definition.default_value
