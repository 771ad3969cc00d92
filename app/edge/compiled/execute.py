"""Walking a plan: the selection sets of one request, in graphql-core's order and with its error rules.

The order matters beyond tidiness: resolvers run in the same order as under graphql-core, so DataLoaders
batch the same keys and field errors are listed in the same order. Per object, synchronous fields are
completed depth first; the awaitables of one selection set are then gathered concurrently.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from graphql import ExecutionResult, GraphQLError, Undefined
from graphql.pyutils import Path, gather_with_cancel

from app.edge.compiled.info import PLAIN, Run, is_awaitable
from app.edge.compiled.plan import FieldPlan, ObjectPlan


def execute_object(run: Run, plan: ObjectPlan, source: Any, path: Path | None) -> Any:
    """The response object for `source`, or an awaitable of it when some field is asynchronous."""
    results: dict[str, Any] = {}
    pending: list[str] | None = None
    typename = plan.typename
    try:
        for field in plan.fields:
            key = field.key
            serialize = field.serialize
            if serialize is not None:
                # A leaf read from an attribute: no info, no path unless it fails.
                try:
                    value = field.read(source)  # type: ignore[misc]
                    if value is None or value is Undefined:
                        if not field.nullable:
                            raise TypeError(field.null_message)
                        results[key] = None
                    elif type(value) not in PLAIN and is_awaitable(value):
                        field_path = Path(path, key, typename)
                        results[key] = _complete_awaitable(run, field, value, field_path, None)
                        pending = [*pending, key] if pending else [key]
                    else:
                        results[key] = serialize(value)
                except Exception as raw:
                    run.field_error(raw, field.nullable, field, Path(path, key, typename))
                    results[key] = None
                continue
            if field.is_typename:
                results[key] = typename
                continue
            outcome = execute_field(run, field, source, path, typename)
            results[key] = outcome
            if type(outcome) not in PLAIN and is_awaitable(outcome):
                pending = [*pending, key] if pending else [key]
    except Exception:
        if pending:
            run.settle_in_background(results[key] for key in pending)
        raise
    if pending is None:
        return results
    return _gather_fields(results, pending)


def execute_field(run: Run, field: FieldPlan, source: Any, parent: Path | None, typename: str) -> Any:
    """graphql-core's execute_field for one planned field: resolve, then complete (or an awaitable of it)."""
    field_path = Path(parent, field.key, typename) if field.needs_path else None
    info = run.info(field, field_path) if field.needs_info else None
    try:
        resolve = field.resolve
        if resolve is not None:
            args = field.args if field.args is not None else run.arguments(field)
            value = resolve(source, info, **args)
        else:
            value = field.read(source)  # type: ignore[misc]
        if type(value) not in PLAIN and is_awaitable(value):
            return _complete_awaitable(
                run, field, value, field_path or Path(parent, field.key, typename), info
            )
        completed = field.complete(run, field, value, field_path, info)  # type: ignore[misc]
        if type(completed) not in PLAIN and is_awaitable(completed):
            return _await_completed(run, field, completed, field_path or Path(parent, field.key, typename))
        return completed
    except Exception as raw:
        run.field_error(raw, field.nullable, field, field_path or Path(parent, field.key, typename))
        return None


async def _complete_awaitable(run: Run, field: FieldPlan, value: Any, path: Path, info: Any) -> Any:
    try:
        resolved = await value
        completed = field.complete(run, field, resolved, path, info)  # type: ignore[misc]
        if completed is not None and is_awaitable(completed):
            completed = await completed
    except Exception as raw:
        run.field_error(raw, field.nullable, field, path)
        return None
    return completed


async def _await_completed(run: Run, field: FieldPlan, completed: Awaitable[Any], path: Path) -> Any:
    try:
        return await completed
    except Exception as raw:
        run.field_error(raw, field.nullable, field, path)
        return None


async def _gather_fields(results: dict[str, Any], pending: list[str]) -> dict[str, Any]:
    if len(pending) == 1:
        # One awaitable: no tasks to schedule (graphql-core does the same).
        key = pending[0]
        results[key] = await results[key]
    else:
        values = await gather_with_cancel(*(results[key] for key in pending))
        results.update(zip(pending, values, strict=True))
    return results


async def execute_serially(run: Run, plan: ObjectPlan, source: Any) -> dict[str, Any]:
    """Mutation roots: one field after the other, each awaited before the next starts."""
    results: dict[str, Any] = {}
    for field in plan.fields:
        if field.is_typename:
            results[field.key] = plan.typename
            continue
        outcome = execute_field(run, field, source, None, plan.typename)
        if outcome is not None and is_awaitable(outcome):
            outcome = await outcome
        results[field.key] = outcome
    return results


async def execute_operation(run: Run, root_value: Any) -> ExecutionResult:
    """graphql-core's execute_operation: an error bubbling to the root nulls `data`."""
    plan = run.plan
    try:
        if plan.serial:
            data: Any = await execute_serially(run, plan.root, root_value)
        else:
            data = execute_object(run, plan.root, root_value, None)
            if is_awaitable(data):
                data = await data
    except GraphQLError as error:
        run.errors.add(error, None)
        data = None
    return ExecutionResult(data, run.errors.errors or None)
