"""The compiler: a prepared, validated operation turned once into a plan of plain steps.

Field collection (fragments, type conditions, @skip/@include, response keys) is graphql-core's own
`collect_fields`/`collect_subfields`, run once at compile time instead of once per object, so the plan
groups and orders fields exactly as graphql-core does. What a plan does not cover raises `Unsupported`
and the operation runs through graphql-core's `execute`.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLAbstractType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    is_abstract_type,
    is_leaf_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetails, FragmentDetails, collect_fields, collect_subfields
from graphql.execution.values import VariableValues

from app.edge.compiled import complete
from app.edge.compiled.direct import BACKREF, direct_resolver
from app.edge.compiled.info import Run
from app.edge.compiled.leaves import leaf_serializer
from app.edge.compiled.plan import Completer, FieldPlan, ObjectPlan, OperationPlan, Reader, ResolveInfo
from app.edge.compiled.values import EMPTY_VARIABLES, static_arguments

_STRAWBERRY = "strawberry.schema.schema_converter"
_new_tuple = tuple.__new__


class Unsupported(Exception):
    """A construct the plan does not cover; the message says which (the operation falls back)."""


def _is_strawberry(function: Any) -> bool:
    return getattr(function, "__module__", None) == _STRAWBERRY


class Compiler:
    def __init__(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues,
    ) -> None:
        self.schema = schema
        self.operation = operation
        self.fragment_definitions = fragments
        self.fragments = {name: FragmentDetails(definition, None) for name, definition in fragments.items()}
        self.variables = variables
        self.fields = 0

    def compile(self) -> OperationPlan:
        operation = self.operation
        if operation.operation is OperationType.SUBSCRIPTION:
            raise Unsupported("subscriptions run on graphql-core's subscribe")
        if operation.directives:
            raise Unsupported("directives on the operation (e.g. @disableErrorPropagation)")
        if any(definition.variable_definitions for definition in self.fragment_definitions.values()):
            raise Unsupported("fragment variables")
        root_type = self.schema.get_root_type(operation.operation)
        if root_type is None:
            raise Unsupported(f"no {operation.operation.value} root type")
        grouped, defers, _ = collect_fields(self.schema, self.fragments, self.variables, root_type, operation)
        if defers:
            raise Unsupported("@defer")
        root = self.object_plan(root_type, grouped)
        return OperationPlan(
            self.schema,
            operation,
            self.fragment_definitions,
            root,
            serial=operation.operation is OperationType.MUTATION,
            fields_compiled=self.fields,
        )

    def sub_plan(
        self, type_: GraphQLObjectType, details: list[FieldDetails], variables: VariableValues
    ) -> ObjectPlan:
        grouped, defers, _ = collect_subfields(
            self.schema, self.fragments, variables, self.operation, type_, details
        )
        if defers:
            raise Unsupported("@defer")
        return self.object_plan(type_, grouped)

    def object_plan(self, type_: GraphQLObjectType, grouped: dict[str, list[FieldDetails]]) -> ObjectPlan:
        plan = ObjectPlan(type_, type_.name)
        for key, details in grouped.items():
            field = self.field_plan(type_, key, details)
            if field is not None:
                plan.fields.append(field)
        return plan

    def field_plan(
        self, parent: GraphQLObjectType, key: str, details: list[FieldDetails]
    ) -> FieldPlan | None:
        node: FieldNode = details[0].node
        name = node.name.value
        if name in ("__schema", "__type"):
            raise Unsupported("introspection")
        field_def = self.schema.get_field(parent, name)
        if field_def is None:
            return None  # graphql-core leaves such a key out (validation makes it unreachable)
        self.fields += 1
        nodes = [detail.node for detail in details]
        return_type = field_def.type
        resolve, read = _resolver(field_def)
        args = static_arguments(field_def, node) if resolve is not None else {}
        wants_info = resolve is not None
        direct = direct_resolver(self.schema, field_def, args) if resolve is not None else None
        if direct is not None:
            resolve, wants_info = direct.resolve, direct.wants_info
            args = {} if direct.literal_converted else args
        nullable = not isinstance(return_type, GraphQLNonNull)
        named = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        field = FieldPlan(
            key=key,
            name=name,
            parent_type=parent,
            field_def=field_def,
            nodes=nodes,
            resolve=resolve,
            read=read,
            args=args,
            head=(name, nodes, return_type, parent),
            nullable=nullable,
            null_message=f"Cannot return null for non-nullable field {parent.name}.{name}.",
            is_typename=name == "__typename",
        )
        field.needs_info = wants_info or self._completion_needs_info(return_type)
        field.needs_path = field.needs_info or not is_leaf_type(named)
        field.complete = self.completer(return_type, details, field)
        if resolve is None and is_leaf_type(named) and not field.is_typename:
            field.serialize = leaf_serializer(named)
        return field

    def _completion_needs_info(self, type_: GraphQLOutputType) -> bool:
        """Abstract types and foreign `is_type_of` checks read the field's info; strawberry's own do not."""
        while isinstance(type_, GraphQLNonNull | GraphQLList):
            type_ = type_.of_type
        if is_abstract_type(type_):
            return True
        if isinstance(type_, GraphQLObjectType):
            return type_.is_type_of is not None and not _is_strawberry(type_.is_type_of)
        return False

    def completer(
        self, type_: GraphQLOutputType, details: list[FieldDetails], field: FieldPlan, required: bool = False
    ) -> Completer:
        if isinstance(type_, GraphQLNonNull):
            inner = type_.of_type
            if is_leaf_type(inner) or is_object_type(inner):
                return self.completer(inner, details, field, required=True)
            return complete.non_null(self.completer(inner, details, field))
        if isinstance(type_, GraphQLList):
            item_type = type_.of_type
            inner = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
            item = self.completer(item_type, details, field)
            return complete.list_value(item, not isinstance(item_type, GraphQLNonNull), is_leaf_type(inner))
        if is_leaf_type(type_):
            return complete.leaf(leaf_serializer(type_), required)
        if is_object_type(type_):
            assert isinstance(type_, GraphQLObjectType)
            plan = self.sub_plan(type_, details, self.variables)
            return complete.object_value(type_, plan, self._template(field), required)
        if is_abstract_type(type_):
            return complete.abstract_value(type_, self._by_runtime_type(type_, details, field))
        raise Unsupported(f"output type {type_}")

    def _by_runtime_type(
        self, type_: GraphQLAbstractType, details: list[FieldDetails], field: FieldPlan
    ) -> complete.CompleteAs:
        """Every possible concrete type compiled now, so that nothing unsupported is found mid-request."""
        template = self._template(field)
        known: dict[str, Completer] = {
            runtime.name: complete.object_value(
                runtime, self.sub_plan(runtime, details, self.variables), template
            )
            for runtime in self.schema.get_possible_types(type_)
        }

        def complete_as(runtime: GraphQLObjectType, run: Run) -> Completer:
            return known[runtime.name]  # the runtime type was checked to be a possible type

        return complete_as

    def _template(self, field: FieldPlan) -> ResolveInfo:
        """The info of a field with no request in it (no path, context nor variables)."""
        static = (
            self.schema,
            self.fragment_definitions,
            None,
            self.operation,
            EMPTY_VARIABLES,
            None,
            None,
            None,
            None,
        )
        template: ResolveInfo = _new_tuple(GraphQLResolveInfo, (*field.head, None, *static))
        return template


def _resolver(field_def: GraphQLField) -> tuple[Any, Reader | None]:
    """Strawberry's "basic" fields (no resolver, no extension) are attribute reads: done here directly."""
    resolve = field_def.resolve
    strawberry_field = (field_def.extensions or {}).get(BACKREF)
    if (
        resolve is not None
        and _is_strawberry(resolve)
        and resolve.__name__ == "_get_basic_result"
        and strawberry_field is not None
        and strawberry_field.is_basic_field
    ):
        python_name: str = strawberry_field.python_name
        default = strawberry_field.default_resolver
        if default is getattr:
            return None, attrgetter(python_name)
        return None, lambda source: default(source, python_name)
    if resolve is None:
        from graphql.execution.executor import default_field_resolver

        return default_field_resolver, None
    return resolve, None
