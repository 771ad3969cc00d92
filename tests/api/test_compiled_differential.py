"""Differential test: every contract operation, with varied variables and tokens, run in process through
graphql-core's `execute` and through the compiled plan; the results must be the same.

Compared: `data`, and per error its message, path, locations, extensions, original exception (type and
text) and the body our error formatter makes of it. Queries are compared exactly. A mutation changes what
the next run sees, so it runs graphql-core, then the plan, then graphql-core again: the plan must equal one
of the two, exactly or apart from generated ids, cursors and timestamps (and, for mutations, the slug
suffix and revision that each run advances). Operations whose fields are not in the
schema yet are skipped with the reason; subscriptions must fall back (they run on graphql-core's subscribe).
Where two graphql-core runs of one query differ (feed cursors pin a fresh ranking snapshot per request),
the plan is compared apart from generated values.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import pytest
from graphql import ExecutionResult, OperationDefinitionNode, OperationType

from app.domain.ids import to_global_id
from app.edge.compiled import CompiledPlans, Unsupported
from app.edge.errors import format_execution_error
from app.edge.outcomes import Refusal
from app.edge.params import Params
from app.edge.runner import Meta, Runner
from tests.api.harness import OPERATIONS, Api, _on_server
from tests.api.test_compiled_variants import Seeded, Variant, variants

FILES = sorted(OPERATIONS.rglob("*.graphql"))
GENERATED = ("id", "cursor", "endCursor", "number", "token", "url")
# What each run of a mutation advances (a slug's suffix, an article's revision): masked for mutations only.
ADVANCED = ("slug", "revision")
_seeded: list[Seeded] = []


async def seeded(api: Api) -> Seeded:
    """Seeded keys (read once), two of each kind, with the owners of orders and inquiries."""
    if _seeded:
        return _seeded[0]
    database = api.state.engines.ports.repos.database  # type: ignore[union-attr]

    async def read() -> Seeded:
        keys: dict[str, list[str]] = {}
        owners: dict[str, tuple[str, str]] = {}
        for kind, collection, query in (
            ("Product", "products", {}),
            ("Supplier", "suppliers", {}),
            ("Article", "articles", {"status": "PUBLISHED"}),
            ("Order", "orders", {}),
            ("Inquiry", "inquiries", {}),
            ("Vertical", "verticals", {}),
        ):
            documents = [
                d async for d in database.collection(collection).find(query, sort=[("_id", 1)], limit=2)
            ]
            keys[kind] = [d["_id"] for d in documents]
            for document in documents:
                if "buyer_key" in document:
                    owners[document["_id"]] = (document["buyer_key"], document["supplier_key"])
        article = await database.collection("articles").find_one({"status": "PUBLISHED"}, sort=[("_id", 1)])
        return Seeded(keys, article["slug"] if article else "missing", owners)

    _seeded.append(await _on_server(api, read()))
    return _seeded[0]


async def settled(api: Api) -> None:
    """The dispatcher's work of earlier tests done first, when it can be (an entry may keep failing)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(api.drain_outbox(), 3)


def authorization(api: Api, variant: Variant, seed: Seeded) -> str | None:
    fallback = seed.owners[seed.keys["Order"][0]]
    buyer, supplier = variant.owner or fallback
    if variant.role is None:
        return None
    if variant.role == "buyer":
        token = api.token(buyer, "buyer")
    elif variant.role == "supplier":
        token = api.token(f"supplier-of-{supplier}", "supplier", to_global_id("Supplier", supplier))
    else:
        token = api.token("demo-editor", "editor")
    return f"Bearer {token}"


async def run(
    runner: Runner, text: str, name: str, variant: Variant, auth: str | None, compiled: bool
) -> Any:
    """One request as the HTTP edge runs it, executed by the plan or by graphql-core."""
    params = Params(text, variant.variables, name, None, None)
    try:
        ready = await runner.prepare(params, method="POST")
        account = await runner.sign_in(await runner.identify(auth))
    except Refusal as refusal:
        return refusal
    context = await runner.context(
        account, Meta(auth, variant.language, None, "127.0.0.1", "differential"), None
    )
    plans = runner.plans or CompiledPlans(runner.schema)
    if compiled:
        plan = plans.plan_for(ready.prepared, ready.operation, _coerced(runner, ready.operation, variant))
        assert not isinstance(plan, Unsupported), f"{name} fell back: {plan}"
        return await plans.execute(ready.prepared, ready.operation, context, ready.variables)
    return await plans.fallback(ready.prepared, ready.operation, context, ready.variables)


def _coerced(runner: Runner, operation: OperationDefinitionNode, variant: Variant) -> Any:
    from app.edge.compiled.values import coerce_variables

    return coerce_variables(runner.schema, operation, variant.variables)


def outcome(result: ExecutionResult) -> dict[str, Any]:
    errors = []
    for error in result.errors or []:
        original = error.original_error
        errors.append(
            {
                "message": error.message,
                "path": error.path,
                "locations": error.locations,
                "extensions": error.extensions,
                "original": (type(original).__name__, str(original)) if original is not None else None,
                "formatted": format_execution_error(error, "differential"),
            }
        )
    return {"data": result.data, "errors": errors}


def masked(value: Any, key: str = "", advanced: bool = False) -> Any:
    """Generated values (new ids, cursors, times) replaced by a marker; everything else kept."""
    if isinstance(value, dict):
        return {k: masked(v, k, advanced) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v, key, advanced) for v in value]
    if isinstance(value, str) and (key in GENERATED or key.endswith(("Id", "At"))):
        return "<generated>"
    if advanced and key in ADVANCED:
        return "<advanced>"
    return value


def operation_of(path: Path) -> tuple[str, str]:
    return path.parent.name, path.stem


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
async def test_compiled_plan_answers_as_graphql_core(api: Api, path: Path) -> None:
    folder, name = operation_of(path)
    text = path.read_text()
    runner = api.state.runner
    assert runner is not None
    prepared = runner.documents.prepare(text)
    if prepared.errors:
        pytest.skip(f"{name} is not in the schema yet: {prepared.errors[0].message}")
    operation = prepared.operation(name)
    assert operation is not None
    if operation.operation is OperationType.SUBSCRIPTION:
        from app.edge.compiled.values import EMPTY_VARIABLES

        plan = CompiledPlans(runner.schema).plan_for(prepared, operation, EMPTY_VARIABLES)
        assert isinstance(plan, Unsupported)
        pytest.skip(f"{name} falls back: {plan}")
    seed = await seeded(api)
    await settled(api)
    tally = {"exact": 0, "masked": 0, "state": 0, "refused": 0}
    codes: set[str] = set()
    for variant in variants(runner.schema, operation, folder, seed):
        auth = authorization(api, variant, seed)
        core = await _on_server(api, run(runner, text, name, variant, auth, compiled=False))
        plan = await _on_server(api, run(runner, text, name, variant, auth, compiled=True))
        if isinstance(core, Refusal) or isinstance(plan, Refusal):
            assert isinstance(core, Refusal) and isinstance(plan, Refusal), variant.label
            assert (core.status, core.errors) == (plan.status, plan.errors), variant.label
            tally["refused"] += 1
            continue
        expected, actual = outcome(core), outcome(plan)
        codes.update(str(e["formatted"]["extensions"].get("code")) for e in expected["errors"])
        if actual == expected:
            tally["exact"] += 1
            continue
        # Not equal: graphql-core runs again. A query whose two graphql-core answers agree must equal them.
        again = outcome(await _on_server(api, run(runner, text, name, variant, auth, compiled=False)))
        mutation = operation.operation is OperationType.MUTATION
        assert mutation or again != expected, f"{name} {variant.label}: {actual} != {expected}"
        if actual == again:
            tally["state"] += 1
        else:
            seen = (masked(expected, advanced=mutation), masked(again, advanced=mutation))
            assert masked(actual, advanced=mutation) in seen, f"{name} {variant.label}: {actual} != {again}"
            tally["masked"] += 1
    print(f"\nDIFFERENTIAL {folder}/{name}: {tally} errors: {sorted(codes)}")
    assert tally["exact"] + tally["masked"] + tally["state"] > 0
