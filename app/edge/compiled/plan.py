"""The shapes of a compiled plan: per selection set, the fields to produce in order, with their completers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    OperationDefinitionNode,
)
from graphql.pyutils import Path

if TYPE_CHECKING:
    from app.edge.compiled.info import Run

ResolveInfo: TypeAlias = "GraphQLResolveInfo[Any]"

# A completer turns a resolved value into its response value, raising on a field error as graphql-core does.
# Its `path` is None for leaves (built only when an error needs it, which saves one Path per leaf).
Completer = Callable[["Run", "FieldPlan", Any, "Path | None", "ResolveInfo | None"], Any]
Serializer = Callable[[Any], Any]
Reader = Callable[[Any], Any]


@dataclass(slots=True, eq=False)
class FieldPlan:
    """One response key of a selection set: what to call and how to complete its value."""

    key: str
    name: str
    parent_type: GraphQLObjectType
    field_def: GraphQLField
    nodes: list[FieldNode]
    # Strawberry's resolver wrapper, or None for a plain attribute read (strawberry's "basic" fields).
    resolve: Callable[..., Any] | None
    read: Reader | None
    # Pre-coerced literal arguments, or None when they hold variables (coerced per request).
    args: dict[str, Any] | None
    # Static head of the GraphQLResolveInfo (field name, nodes, return type, parent type).
    head: tuple[Any, ...]
    nullable: bool
    null_message: str
    needs_info: bool = False
    needs_path: bool = False
    is_typename: bool = False
    # Set for a leaf read from an attribute: the loop inlines it (most fields of a page are these).
    serialize: Serializer | None = None
    complete: Completer | None = None


@dataclass(slots=True, eq=False)
class ObjectPlan:
    """A selection set on one concrete object type."""

    type_: GraphQLObjectType
    typename: str
    fields: list[FieldPlan] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class OperationPlan:
    """A whole operation: its root plan and the static parts every request's infos share."""

    schema: GraphQLSchema
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    root: ObjectPlan
    serial: bool
    fields_compiled: int = 0
