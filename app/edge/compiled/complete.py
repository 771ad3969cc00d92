"""Completers: value completion per return type, chosen at compile time instead of tested per value.

Each mirrors a branch of graphql-core's `complete_value`: non-null, list, leaf, object (with its
`is_type_of` check) and abstract types (the concrete type found by the type's `resolve_type`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graphql import GraphQLAbstractType, GraphQLError, GraphQLObjectType, Undefined
from graphql.execution.collect_fields import FieldDetails
from graphql.execution.executor import Executor, default_type_resolver, invalid_return_type_error
from graphql.pyutils import Path, gather_with_cancel, is_iterable

from app.edge.compiled.execute import execute_object
from app.edge.compiled.info import PLAIN, Run, is_awaitable
from app.edge.compiled.plan import Completer, FieldPlan, ObjectPlan, ResolveInfo, Serializer

CompleteAs = Callable[[GraphQLObjectType, Run], Completer]


def non_null(inner: Completer) -> Completer:
    def complete(run: Run, field: FieldPlan, value: Any, path: Path | None, info: ResolveInfo | None) -> Any:
        # As in graphql-core, an awaitable is not checked again: it always settles to an object or list.
        completed = inner(run, field, value, path, info)
        if completed is None:
            raise TypeError(field.null_message)
        return completed

    return complete


def leaf(serialize: Serializer, required: bool) -> Completer:
    """`required`: the non-null check fused in (one call less per value than the non_null wrapper)."""

    def complete(run: Run, field: FieldPlan, value: Any, path: Path | None, info: ResolveInfo | None) -> Any:
        if value is None or value is Undefined:
            if required:
                raise TypeError(field.null_message)
            return None
        return serialize(value)

    return complete


def object_value(
    type_: GraphQLObjectType, plan: ObjectPlan, template: ResolveInfo | None, required: bool = False
) -> Completer:
    """`template` stands in for the info of strawberry's own `is_type_of`, which reads none of it.

    `required`: the non-null check fused in, as for leaves.
    """
    is_type_of = type_.is_type_of

    def complete(run: Run, field: FieldPlan, value: Any, path: Path | None, info: ResolveInfo | None) -> Any:
        if value is None or value is Undefined:
            if required:
                raise TypeError(field.null_message)
            return None
        if isinstance(value, Exception):
            raise value
        if is_type_of is not None:
            matches = is_type_of(value, info if info is not None else template)  # type: ignore[arg-type]
            if is_awaitable(matches):
                return _object_later(run, field, type_, plan, value, path, matches)
            if not matches:
                raise invalid_return_type_error(type_, value, _details(field))
        return execute_object(run, plan, value, path)

    return complete


async def _object_later(
    run: Run,
    field: FieldPlan,
    type_: GraphQLObjectType,
    plan: ObjectPlan,
    value: Any,
    path: Path | None,
    matches: Any,
) -> Any:
    if not await matches:
        raise invalid_return_type_error(type_, value, _details(field))
    completed = execute_object(run, plan, value, path)
    return await completed if is_awaitable(completed) else completed


def abstract_value(type_: GraphQLAbstractType, complete_as: CompleteAs) -> Completer:
    """The concrete type from the type's `resolve_type`, then that type's plan (compiled on first sight)."""
    resolve_type = type_.resolve_type or default_type_resolver

    def complete(run: Run, field: FieldPlan, value: Any, path: Path | None, info: ResolveInfo | None) -> Any:
        if value is None or value is Undefined:
            return None
        if isinstance(value, Exception):
            raise value
        name = resolve_type(value, info, type_)  # type: ignore[arg-type]
        if is_awaitable(name):
            return _abstract_later(run, field, type_, complete_as, value, path, info, name)
        runtime = _runtime_type(run, field, type_, name, info, value)
        completed = complete_as(runtime, run)(run, field, value, path, info)
        return completed

    return complete


async def _abstract_later(
    run: Run,
    field: FieldPlan,
    type_: GraphQLAbstractType,
    complete_as: CompleteAs,
    value: Any,
    path: Path | None,
    info: ResolveInfo | None,
    name: Any,
) -> Any:
    runtime = _runtime_type(run, field, type_, await name, info, value)
    completed = complete_as(runtime, run)(run, field, value, path, info)
    return await completed if is_awaitable(completed) else completed


class _SchemaOnly:
    """graphql-core's `ensure_valid_runtime_type` reads only `self.schema`: its checks and messages reused."""

    def __init__(self, run: Run) -> None:
        self.schema = run.plan.schema


def _runtime_type(
    run: Run, field: FieldPlan, type_: GraphQLAbstractType, name: Any, info: Any, value: Any
) -> GraphQLObjectType:
    if isinstance(name, str):
        runtime = run.plan.schema.get_type(name)
        if isinstance(runtime, GraphQLObjectType) and run.plan.schema.is_sub_type(type_, runtime):
            return runtime
    checked: GraphQLObjectType = Executor.ensure_valid_runtime_type(
        _SchemaOnly(run),  # type: ignore[arg-type]
        name,
        type_,
        _details(field),
        info,
        value,
    )
    return checked


def _details(field: FieldPlan) -> list[FieldDetails]:
    return [FieldDetails(node, None) for node in field.nodes]


def list_value(item: Completer, item_nullable: bool, leaf_items: bool) -> Completer:
    """graphql-core's complete_iterable_value; leaf items get their path only when one fails."""

    def complete(run: Run, field: FieldPlan, value: Any, path: Path | None, info: ResolveInfo | None) -> Any:
        if value is None or value is Undefined:
            return None
        if isinstance(value, Exception):
            raise value
        assert path is not None
        if hasattr(value, "__aiter__"):
            return _async_items(run, field, item, item_nullable, value, path, info)
        if type(value) is not list and not is_iterable(value):
            raise GraphQLError(
                f"Expected Iterable, but did not find one for field '{field.parent_type}.{field.name}'."
            )
        completed: list[Any] = []
        pending: list[int] | None = None
        iterator = iter(value)
        index = 0
        try:
            for entry in iterator:
                item_path = None if leaf_items else Path(path, index, None)
                if type(entry) not in PLAIN and is_awaitable(entry):
                    completed.append(
                        _item_later(run, field, item, item_nullable, entry, Path(path, index, None), info)
                    )
                    pending = [*pending, index] if pending else [index]
                else:
                    try:
                        done = item(run, field, entry, item_path, info)
                        if type(done) not in PLAIN and is_awaitable(done):
                            done = _item_completed(run, field, item_nullable, done, Path(path, index, None))
                            pending = [*pending, index] if pending else [index]
                    except Exception as raw:
                        run.field_error(raw, item_nullable, field, item_path or Path(path, index, None))
                        done = None
                    completed.append(done)
                index += 1
        except Exception:
            waiting = [completed[i] for i in pending or ()]
            waiting.extend(_awaitables_left(iterator))
            run.settle_in_background(waiting)
            raise
        if pending is None:
            return completed
        return _gather_items(completed, pending)

    return complete


def _awaitables_left(iterator: Iterator[Any]) -> list[Any]:
    try:
        return [entry for entry in iterator if is_awaitable(entry)]
    except Exception:
        return []


async def _item_later(
    run: Run, field: FieldPlan, item: Completer, nullable: bool, entry: Any, path: Path, info: Any
) -> Any:
    try:
        resolved = await entry
        done = item(run, field, resolved, path, info)
        if done is not None and is_awaitable(done):
            done = await done
    except Exception as raw:
        run.field_error(raw, nullable, field, path)
        return None
    return done


async def _item_completed(run: Run, field: FieldPlan, nullable: bool, done: Any, path: Path) -> Any:
    try:
        return await done
    except Exception as raw:
        run.field_error(raw, nullable, field, path)
        return None


async def _gather_items(completed: list[Any], pending: list[int]) -> list[Any]:
    if len(pending) == 1:
        completed[pending[0]] = await completed[pending[0]]
    else:
        values = await gather_with_cancel(*(completed[i] for i in pending))
        for index, value in zip(pending, values, strict=True):
            completed[index] = value
    return completed


async def _async_items(
    run: Run, field: FieldPlan, item: Completer, nullable: bool, source: Any, path: Path, info: Any
) -> list[Any]:
    """An async iterable where a list is expected (none in our schema): read one item after the other."""
    completed: list[Any] = []
    index = 0
    async for entry in source:
        completed.append(
            await _item_later(run, field, item, nullable, _ready(entry), Path(path, index, None), info)
        )
        index += 1
    return completed


async def _ready(value: Any) -> Any:
    return await value if is_awaitable(value) else value
