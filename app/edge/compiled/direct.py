"""Strawberry resolvers called without strawberry's per-call wrapper.

For a field with a resolver and neither field extensions nor exception handlers, the wrapper does, on
every call: build strawberry's Info, convert the arguments to Python values, pass the source and the
info as the resolver's signature asks, and, for an async resolver, wrap the call in one more
coroutine. A direct call does the same work, converting literal arguments once when they convert to
immutable values; py-spy put the wrapper at about a quarter of a search or feed page. The
differential tests hold direct calls to the wrapper's results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLField, GraphQLSchema
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField

from app.edge.compiled.values import IMMUTABLE

BACKREF = "strawberry-definition"
"""The key under which strawberry keeps a field's StrawberryField in the GraphQLField's extensions."""


@dataclass(frozen=True, slots=True)
class Direct:
    resolve: Callable[..., Any]
    """`resolve(source, info, **arguments)`, as strawberry's wrapper is called."""
    wants_info: bool
    """Else the plan may pass None for the info."""
    literal_converted: bool
    """The literal arguments are converted into the call: pass none."""


def direct_resolver(
    schema: GraphQLSchema, field_def: GraphQLField, literal: dict[str, Any] | None
) -> Direct | None:
    """A direct call equal to strawberry's wrapper for this field; None when the wrapper must run."""
    field = (field_def.extensions or {}).get(BACKREF)
    strawberry_schema = getattr(schema, "_strawberry_schema", None)
    if not isinstance(field, StrawberryField) or strawberry_schema is None:
        return None
    resolver = field.base_resolver
    converter = strawberry_schema.schema_converter
    # strawberry's own (private) answer to "may an exception handler apply here"; a strawberry that
    # no longer has it gets the wrapper for every field.
    handlers = getattr(converter, "_get_field_exception_handlers", None)
    if resolver is None or field.extensions or handlers is None or handlers(field):
        return None
    function = resolver.wrapped_func
    if not callable(function):
        return None
    config, registry, arguments = converter.config, converter.scalar_registry, field.arguments
    info_class = config.info_class
    passes_self = resolver.self_parameter is not None
    source_names = [p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p is not None]
    info_name = resolver.info_parameter.name if resolver.info_parameter is not None else None
    fixed = _converted_once(literal, arguments, registry, config)
    wants_info = info_name is not None or (fixed is None and bool(arguments))

    def resolve(source: Any, info: Any, **raw: Any) -> Any:
        strawberry_info = info_class(_raw_info=info, _field=field) if wants_info else None
        if fixed is not None:
            kwargs = dict(fixed)
        else:
            kwargs = convert_arguments(raw, arguments, registry, config, strawberry_info)
        for name in source_names:
            kwargs[name] = source
        if info_name is not None:
            kwargs[info_name] = strawberry_info
        return function(source, **kwargs) if passes_self else function(**kwargs)

    return Direct(resolve, wants_info, fixed is not None)


def _converted_once(
    literal: dict[str, Any] | None, arguments: list[Any], registry: Any, config: Any
) -> dict[str, Any] | None:
    """The literal arguments as the resolver takes them, when every one is immutable (shared by every
    request); None when they hold variables or convert to something a resolver could change."""
    if literal is None:
        return None
    try:
        converted = convert_arguments(literal, arguments, registry, config, None)
    except Exception:
        return None  # converted per call, where the error is the field's
    return converted if all(isinstance(v, IMMUTABLE) for v in converted.values()) else None
