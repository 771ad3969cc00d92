"""Resolvers replayed from memory, to time execution alone (measure.py's `replayed` figures).

One recording run through graphql-core keeps every resolver's answer, keyed by the source object, the
field and the arguments; afterwards each resolver returns its recorded answer at once. Both executors
then walk the very same plain objects, as a product page with every value cached would, so what differs
is the executor. Strawberry's attribute fields are left as they are (the plan reads them directly).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema

from app.edge.compiled.info import is_awaitable

Key = tuple[int, str, Any]


def _is_basic(resolve: Any) -> bool:
    return getattr(resolve, "__name__", "") == "_get_basic_result"


class Recorder:
    def __init__(self) -> None:
        self.answers: dict[Key, Any] = {}
        self.replaying = False
        # The sources are kept alive so that their ids are not reused while the answers are kept.
        self._sources: list[Any] = []

    def wrap(self, name: str, resolve: Callable[..., Any]) -> Callable[..., Any]:
        answers = self.answers

        def replayed(source: Any, info: Any, **args: Any) -> Any:
            # Arguments arrive in the document's order on both paths; their values are hashable literals here.
            key = (id(source), name, tuple(args.items()))
            if self.replaying:
                return answers[key]
            self._sources.append(source)
            value = resolve(source, info, **args)
            if is_awaitable(value):
                return _recorded(answers, key, value)
            answers[key] = value
            return value

        return replayed


async def _recorded(answers: dict[Key, Any], key: Key, value: Any) -> Any:
    answers[key] = result = await value
    return result


@contextmanager
def replaying(schema: GraphQLSchema) -> Iterator[Recorder]:
    """Every resolver of the schema's object types wrapped for the duration; the originals put back after."""
    recorder = Recorder()
    originals: list[tuple[Any, Any]] = []
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            if field.resolve is None or _is_basic(field.resolve):
                continue
            originals.append((field, field.resolve))
            field.resolve = recorder.wrap(f"{type_.name}.{name}", field.resolve)
    try:
        yield recorder
    finally:
        for field, resolve in originals:
            field.resolve = resolve
