"""The compiled plan answers exactly as graphql-core on a small strawberry schema built to reach every rule.

Null propagation through non-null fields, list items and the root; errors raised, returned, and from
async resolvers (their order and paths); leaf coercion failures; enums; aliases; fragments on unions and
interfaces; @skip/@include by literal and by variable; arguments by literal, variable and default;
mutations one after the other; and the fallback of what plans do not cover.
"""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Annotated, Any

import pytest
import strawberry
from graphql import ExecutionResult, execute
from strawberry.permission import BasePermission

from app.edge.compiled import CompiledPlans, Unsupported
from app.edge.compiled.values import coerce_variables
from app.edge.documents import DocumentCache


@strawberry.enum
class Color(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.input
class WordsInput:
    items: list[str]


class EvenOnly(BasePermission):
    message = "odd items are private"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return bool(source.count % 2 == 0)


def forty_two() -> int:
    """A resolver taking neither the source nor the info."""
    return 42


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Dog(Named):
    barks: bool


@strawberry.type
class Cat(Named):
    lives: int


Pet = Annotated[Dog | Cat, strawberry.union("Pet")]


@strawberry.type
class Item:
    id: strawberry.ID
    title: str
    count: int
    price: float | None
    color: Color
    tags: list[str]

    @strawberry.field
    def fails(self) -> str | None:
        raise ValueError(f"boom {self.id}")

    @strawberry.field
    def fails_non_null(self) -> str:
        raise ValueError("boom non-null")

    @strawberry.field
    async def later(self, info: strawberry.Info) -> str:
        await asyncio.sleep(0)
        return f"{self.title} {info.field_name} {info.path.as_list()} {info.variable_values}"

    @strawberry.field
    async def later_fails(self) -> int:
        await asyncio.sleep(0)
        raise KeyError(self.id)

    @strawberry.field
    def big(self) -> int:
        return 2**40

    @strawberry.field
    def holes(self) -> list[str]:
        return ["a", None]  # type: ignore[list-item]

    @strawberry.field
    def loose_holes(self) -> list[str | None]:
        return ["a", None, "c"]

    @strawberry.field
    def child(self) -> Item | None:
        return Item(id=f"{self.id}.c", title="child", count=1, price=None, color=Color.BLUE, tags=[])

    @strawberry.field
    def greet(self, name: str = "you", times: int = 1, color: Color = Color.RED) -> str:
        return f"{name}x{times}:{color.value}"

    @strawberry.field
    def counted(self, words: WordsInput) -> int:
        """Changes its argument: a conversion shared between calls would count the earlier ones too."""
        words.items.append(self.id)
        return len(words.items)

    @strawberry.field
    def rooted(self, root: Item) -> str:
        return f"root {root.id}"

    @strawberry.field
    def parented(self, parent: strawberry.Parent[Item], info: strawberry.Info) -> str:
        return f"parent {parent.id} at {info.path.as_list()}"

    @strawberry.field(permission_classes=[EvenOnly])
    def guarded(self) -> str | None:
        return f"guarded {self.id}"

    constant: int = strawberry.field(resolver=forty_two)


def item(key: int) -> Item:
    return Item(
        id=str(key), title=f"item {key}", count=key, price=key * 1.5, color=Color.RED, tags=["a", "b"]
    )


counter = {"n": 0}


@strawberry.type
class Query:
    @strawberry.field
    def items(self, first: int = 3) -> list[Item]:
        return [item(i) for i in range(first)]

    @strawberry.field
    async def item(self, id: strawberry.ID) -> Item | None:
        return None if id == "none" else item(int(id))

    @strawberry.field
    def strict(self) -> Item:
        return None  # type: ignore[return-value]

    @strawberry.field
    def pets(self) -> list[Pet]:
        return [Dog(name="rex", barks=True), Cat(name="tom", lives=9)]

    @strawberry.field
    def named(self) -> list[Named]:
        return [Cat(name="kit", lives=3), Dog(name="fido", barks=False)]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def bump(self, by: int = 1) -> int:
        await asyncio.sleep(0)
        counter["n"] += by
        return counter["n"]


schema = strawberry.Schema(query=Query, mutation=Mutation)
SCHEMA = schema._schema

CASES: list[tuple[str, dict[str, Any]]] = [
    ("{ items { id title count price color tags __typename } }", {}),
    ("{ a: items(first: 2) { id t: title } b: items(first: 1) { id } }", {}),
    ("{ items { id fails } }", {}),
    ("{ items { id failsNonNull } }", {}),
    ("{ items { id later laterFails } }", {}),
    ("query Q($f: Int!) { items(first: $f) { later child { later child { id later } } } }", {"f": 2}),
    ("{ items(first: 1) { big } }", {}),
    ("{ items(first: 1) { holes } }", {}),
    ("{ items(first: 2) { id looseHoles } }", {}),
    ("{ strict { id } }", {}),
    ("{ items { id } strict { id } }", {}),
    ("query Q($id: ID!) { item(id: $id) { id title } }", {"id": "2"}),
    ("query Q($id: ID!) { item(id: $id) { id title } }", {"id": "none"}),
    ('{ items(first: 1) { greet g2: greet(name: "ann", times: 2, color: BLUE) } }', {}),
    (
        "query Q($n: String!, $c: Color) { items(first: 1) { greet(name: $n, color: $c) } }",
        {"n": "bo", "c": "BLUE"},
    ),
    ("{ pets { __typename ... on Dog { name barks } ... on Cat { name lives } } }", {}),
    ("{ named { name __typename ...C } } fragment C on Cat { lives }", {}),
    (
        "query Q($s: Boolean!) { items(first: 1) { id title @skip(if: $s) count @include(if: $s) } }",
        {"s": True},
    ),
    (
        "query Q($s: Boolean!) { items(first: 1) { id title @skip(if: $s) count @include(if: $s) } }",
        {"s": False},
    ),
    (
        "{ items(first: 1) { id @skip(if: true) title @include(if: false)"
        " ... on Item @skip(if: false) { count } } }",
        {},
    ),
    ("mutation { a: bump b: bump(by: 2) c: bump }", {}),
    ("{ items(first: 2) { id child { id failsNonNull } } }", {}),
    ("{ items(first: 2) { id laterFails child { laterFails later } } }", {}),
    ("{ items(first: 3) { id child { later laterFails fails child { laterFails } } } }", {}),
    ('{ items(first: 3) { counted(words: {items: ["a"]}) again: counted(words: {items: []}) } }', {}),
    ("query Q($w: WordsInput!) { items(first: 2) { counted(words: $w) } }", {"w": {"items": ["x"]}}),
    ("{ items(first: 3) { id rooted parented guarded constant } }", {}),
]


def outcome(result: ExecutionResult) -> dict[str, Any]:
    return {
        "data": result.data,
        "errors": [
            (
                e.message,
                e.path,
                e.locations,
                e.extensions,
                type(e.original_error).__name__,
                str(e.original_error),
            )
            for e in result.errors or []
        ],
    }


async def both(text: str, variables: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], Any]:
    prepared = DocumentCache(SCHEMA, production=False).prepare(text)
    assert not prepared.errors, prepared.errors
    operation = prepared.operation(None)
    assert operation is not None
    plans = CompiledPlans(SCHEMA)
    counter["n"] = 0
    core = execute(SCHEMA, prepared.document, variable_values=variables)  # type: ignore[arg-type]
    core = await core if not isinstance(core, ExecutionResult) else core
    counter["n"] = 0
    plan = plans.plan_for(prepared, operation, coerce_variables(SCHEMA, operation, variables))
    compiled = await plans.execute(prepared, operation, {"viewer": None}, variables)
    return outcome(core), outcome(compiled), plan


@pytest.mark.parametrize(("text", "variables"), CASES, ids=[str(i) for i in range(len(CASES))])
async def test_the_plan_answers_as_graphql_core(text: str, variables: dict[str, Any]) -> None:
    expected, actual, plan = await both(text, variables)
    assert not isinstance(plan, Unsupported)
    assert actual == expected


async def test_errors_keep_their_original_exception_for_the_formatter() -> None:
    expected, actual, _ = await both("{ items(first: 1) { fails laterFails } }", {})
    assert [e[4] for e in actual["errors"]] == ["ValueError", "KeyError"]
    assert actual == expected


async def test_introspection_falls_back_to_graphql_core() -> None:
    expected, actual, plan = await both("{ __schema { queryType { name } } items(first: 1) { id } }", {})
    assert isinstance(plan, Unsupported)
    assert actual == expected


async def test_a_skip_variable_makes_one_plan_per_value() -> None:
    text = "query Q($s: Boolean!) { items(first: 1) { id title @skip(if: $s) } }"
    prepared = DocumentCache(SCHEMA, production=False).prepare(text)
    operation = prepared.operation(None)
    assert operation is not None
    plans = CompiledPlans(SCHEMA)
    shown = plans.plan_for(prepared, operation, coerce_variables(SCHEMA, operation, {"s": False}))
    hidden = plans.plan_for(prepared, operation, coerce_variables(SCHEMA, operation, {"s": True}))
    again = plans.plan_for(prepared, operation, coerce_variables(SCHEMA, operation, {"s": False}))
    assert shown is again and shown is not hidden


def test_trusted_documents_are_compiled_at_start_unless_a_variable_decides_their_plan() -> None:
    cache = DocumentCache(SCHEMA, production=False)
    cache.pin("a", "query A { items { id } } query B { pets { __typename } }")
    cache.pin("b", "query C($s: Boolean!) { items { id @skip(if: $s) } }")
    cache.pin("c", "query D { __schema { queryType { name } } }")
    assert CompiledPlans(SCHEMA).warm(cache) == 2
