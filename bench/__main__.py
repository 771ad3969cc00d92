"""`python -m bench [--products N] [--duration S] [--connections C] [--out DIR]`: seed, serve, load, report.

Serves twice: with QUERY_STATS=1 (store and search calls per request) and without it (the figures).
Writes `bench-SHAPE-N.json` and `bench-SHAPE-N.png` into DIR.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from bench.chart import write_chart
from bench.environment import ROOT, pick_shape
from bench.load import generator
from bench.report import print_report
from bench.results import Results
from bench.runner import Plan, run_pass
from bench.seeding import seed
from tests.servers.fcm import FakeFcm


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Benchmark the buyer API over loopback."
    )
    parser.add_argument(
        "--products", type=int, default=1_000_000, help="products to seed (default 1,000,000)"
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per load run (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="connections per load run (default 16)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results", help="results and data folder"
    )
    parser.add_argument(
        "--replies", type=int, default=300, help="replies timed for push latency (default 300)"
    )
    parser.add_argument(
        "--subscribers", type=int, default=1000, help="orderUpdated subscribers (default 1000)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="serve the data an earlier run seeded at this size"
    )
    return parser.parse_args()


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def main() -> None:
    args = _arguments()
    console = Console(width=None if sys.stdout.isatty() else 150)
    out: Path = args.out.resolve()
    shape = pick_shape(out, args.products)
    results = Results(shape.name, args.products, args.connections, args.duration, generator())
    console.print(f"seeding {args.products:,} products ({shape.name}) …")
    seeded = seed(shape, args.products, reuse=args.reuse)
    results.seed_seconds, results.seed_reused = seeded.seconds, seeded.reused
    work = shape.folder / "load"
    work.mkdir(exist_ok=True)
    results.load_before = load_average()
    plan = Plan(shape, args.connections, args.duration, args.replies, args.subscribers, work)
    with FakeFcm.running() as fcm:
        prepared = run_pass(plan, "stats", results, fcm, None, console)
        run_pass(plan, "plain", results, fcm, prepared, console)
    results.load_after = load_average()
    print_report(results, console)
    stem = out / f"bench-{shape.name}-{args.products}"
    stem.with_suffix(".json").write_text(json.dumps(results.as_json(), indent=2) + "\n")
    chart = write_chart(results, stem.with_suffix(".png"))
    console.print(
        f"results: {stem.with_suffix('.json')}"
        + (f", chart: {chart}" if chart else " (no matplotlib: no chart)")
    )


if __name__ == "__main__":
    main()
