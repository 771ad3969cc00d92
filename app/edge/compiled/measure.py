"""Micro-benchmark: ProductPage through graphql-core's `execute` and through the compiled plan, in process.

    python -m app.edge.compiled.measure [--folder DIR] [--products N] [--requests N]

Seeds a temporary embedded app (SQLite + tantivy) unless `--folder` holds one, opens its engines as the
app does, and runs the same prepared request alternately on both paths. Two figures per path: `fresh`
makes a new request context each time, as the HTTP edge does (DataLoaders empty, so the store and the
search engine are asked); `warm` reuses one context, so loaders answer from memory and what is left is
mostly execution; `replayed` answers every resolver from a recording (replay.py), so both executors walk
plain objects and only execution is timed. Timings belong here, never in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from graphql import GraphQLSchema

from app.domain.ids import to_global_id
from app.edge.apq import MemoryHashStore
from app.edge.compiled.replay import replaying
from app.edge.documents import DocumentCache
from app.edge.params import Params
from app.edge.ratelimit import MemoryRateLimiter
from app.edge.runner import Meta, Ready, Runner
from app.resolvers.root import build_schema
from app.services.container import Services
from app.settings import Settings
from app.wiring import Engines, open_engines

PRODUCT_PAGE = Path(__file__).resolve().parents[3] / "tests" / "operations" / "buyer" / "ProductPage.graphql"


def settings_for(folder: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        store_url=f"sqlite:///{folder}/buyer.db",
        search_url=f"tantivy://{folder}/search",
        auth_secret="measure-" + "x" * 40,
        var_dir=str(folder),
        worker_in_process=False,
    )


def count_fields(value: Any) -> int:
    """Response fields: every key of every object in the answer."""
    if isinstance(value, dict):
        return len(value) + sum(count_fields(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_fields(v) for v in value)
    return 0


async def timed(runner: Runner, ready: Ready, compiled: bool, requests: int, warm: bool) -> float:
    """Seconds per request over `requests` executions (after one untimed run)."""
    meta = Meta(None, None, None, "127.0.0.1", "measure")
    shared = await runner.context(None, meta, None)
    plans = runner.plans
    assert plans is not None
    started = 0.0
    for index in range(requests + 1):
        if index == 1:
            started = time.perf_counter()
        context = shared if warm else await runner.context(None, meta, None)
        if compiled:
            await plans.execute(ready.prepared, ready.operation, context, ready.variables)
        else:
            await plans.fallback(ready.prepared, ready.operation, context, ready.variables)
    return (time.perf_counter() - started) / requests


async def ready_runner(settings: Settings, engines: Engines, schema: GraphQLSchema) -> tuple[Runner, Ready]:
    """A runner as the app builds one (its own document cache, so plans compile anew) and a ready request."""
    runner = Runner(
        schema,
        settings,
        engines.ports,
        Services.build(engines.ports),
        DocumentCache(schema, production=False),
        MemoryHashStore(),
        MemoryRateLimiter(1_000_000, 1_000_000),
    )
    variables = {"id": to_global_id("Product", "p-0000001"), "network": "WIFI"}
    params = Params(PRODUCT_PAGE.read_text(), variables, "ProductPage", None, None)
    return runner, await runner.prepare(params, method="POST")


async def compare(
    runner: Runner, ready: Ready, mode: str, requests: int, fields: int, rounds: int = 5
) -> None:
    """Alternating rounds, the best of each path kept: the machine's other work only ever slows a round."""
    seconds = {False: float("inf"), True: float("inf")}
    for _ in range(rounds):
        for compiled in (False, True):
            seconds[compiled] = min(
                seconds[compiled], await timed(runner, ready, compiled, requests, mode != "fresh")
            )
    for compiled, label in ((False, "graphql-core"), (True, "plan")):
        each = seconds[compiled]
        print(f"{mode:>8} {label:>13} {1 / each:>9.0f} {each * 1000:>8.3f} {each * 1e6 / fields:>9.2f}")
    print(f"{'':>8} {'speed-up':>13} {seconds[False] / seconds[True]:>9.2f}x")


async def measure(folder: Path, requests: int) -> None:
    settings = settings_for(folder)
    engines = await open_engines(settings, lambda: None)
    try:
        schema = build_schema()._schema
        runner, ready = await ready_runner(settings, engines, schema)
        context = await runner.context(None, Meta(None, None, None, "127.0.0.1", "measure"), None)
        assert runner.plans is not None
        result = await runner.plans.execute(ready.prepared, ready.operation, context, ready.variables)
        fields = count_fields(result.data)
        print(f"ProductPage: {fields} response fields, best of 5 rounds of {requests} requests, in process")
        print(f"{'':>8} {'path':>13} {'req/s':>9} {'ms/req':>8} {'µs/field':>9}")
        await compare(runner, ready, "fresh", requests, fields)
        await compare(runner, ready, "warm", requests, fields)
        with replaying(schema) as recorder:
            runner, ready = await ready_runner(settings, engines, schema)
            await timed(runner, ready, False, 1, warm=False)  # the recording run
            recorder.replaying = True
            await compare(runner, ready, "replayed", requests * 5, fields)
    finally:
        await engines.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--folder", type=Path, help="a seeded embedded app's folder (seeded here if empty)")
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200, help="per round; 5 rounds per figure")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder: Path = arguments.folder or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "buyer.db").exists():
            from app.seed.runner import seed_demo

            asyncio.run(seed_demo(settings_for(folder), products=arguments.products, seed=7))
        asyncio.run(measure(folder, arguments.requests))


if __name__ == "__main__":
    main()
