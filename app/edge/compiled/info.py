"""Per-request state: the infos resolvers get, the field errors collected, background work settled.

A GraphQLResolveInfo is a named tuple: its static head (field name, nodes, return type, parent type) is
built once per plan field at compile time; a request only adds the path and its own tail (variables,
context), so making one costs one tuple.
"""

from __future__ import annotations

from asyncio import gather, get_running_loop
from collections.abc import Awaitable, Iterable, Sequence
from inspect import iscoroutine
from types import CoroutineType, GeneratorType
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo, located_error
from graphql.execution.values import VariableValues, get_argument_values
from graphql.pyutils import Path, gather_with_cancel
from graphql.pyutils import is_awaitable as graphql_is_awaitable
from graphql.type.definition import GraphQLResolveInfoHelpers

from app.edge.compiled.plan import FieldPlan, OperationPlan, ResolveInfo

_new_tuple = tuple.__new__

# Types whose values are never awaitable: graphql-core asks `hasattr(value, "__await__")` of every
# resolved value; asking once per class is the same answer for every class without `__await__`.
# Hot loops test `type(value) not in PLAIN` inline before calling is_awaitable: one set lookup, no call.
PLAIN: set[type] = {str, int, float, bool, type(None), list, dict, tuple}
_PLAIN = PLAIN


def is_awaitable(value: Any) -> bool:
    kind = type(value)
    if kind in _PLAIN:
        return False
    if kind is CoroutineType:
        return True
    if kind is not GeneratorType and not hasattr(kind, "__await__") and not hasattr(kind, "__getattr__"):
        _PLAIN.add(kind)
        return False
    return graphql_is_awaitable(value)


class CollectedErrors:
    """Field errors in the order they happened; none below a position already nulled (as graphql-core)."""

    __slots__ = ("errors", "positions")

    def __init__(self) -> None:
        self.errors: list[GraphQLError] = []
        self.positions: set[Path | None] = set()

    def add(self, error: GraphQLError, path: Path | None) -> None:
        positions = self.positions
        if None in positions:
            return
        cursor = path
        while cursor is not None:
            if cursor in positions:
                return
            cursor = cursor.prev
        positions.add(path)
        self.errors.append(error)


class Run:
    """One execution of a plan."""

    __slots__ = ("_background", "_tail", "context", "errors", "plan", "variables")

    def __init__(self, plan: OperationPlan, context: Any, variables: VariableValues, root_value: Any) -> None:
        self.plan = plan
        self.context = context
        self.variables = variables
        self.errors = CollectedErrors()
        self._background: set[Awaitable[Any]] = set()
        helpers = GraphQLResolveInfoHelpers(gather=_gather, track=self.track)
        self._tail = (
            plan.schema,
            plan.fragments,
            root_value,
            plan.operation,
            variables,
            context,
            graphql_is_awaitable,
            None,
            helpers,
        )

    def info(self, field: FieldPlan, path: Path | None) -> ResolveInfo:
        info: ResolveInfo = _new_tuple(GraphQLResolveInfo, (*field.head, path, *self._tail))
        return info

    def arguments(self, field: FieldPlan) -> dict[str, Any]:
        return get_argument_values(field.field_def, field.nodes[0], self.variables)

    def field_error(self, raw: Exception, nullable: bool, field: FieldPlan, path: Path) -> None:
        """graphql-core's handle_field_error: raise through a non-null position, else record and null."""
        error = located_error(raw, field.nodes, path.as_list())
        if not nullable:
            raise error
        self.errors.add(error, path)

    def track(self, values: Sequence[Any]) -> None:
        self.settle_in_background([value for value in values if is_awaitable(value)])

    def settle_in_background(self, awaitables: Iterable[Any]) -> None:
        """Siblings of an error that bubbled still run to their end, as in graphql-core (none orphaned)."""
        pending = list(awaitables)
        if not pending:
            return
        try:
            get_running_loop()
        except RuntimeError:
            for awaitable in pending:
                if iscoroutine(awaitable):
                    awaitable.close()
            return
        future = gather(*pending, return_exceptions=True)
        self._background.add(future)
        future.add_done_callback(self._background.discard)


def _gather(values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
    return gather_with_cancel(*values)
