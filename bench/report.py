"""The printed report: one table of figures per operation, the other measurements, and the targets."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from bench.cases import OPERATIONS
from bench.load import LoadResult
from bench.results import Measured, Results, targets

STATUS = {True: "[green]met[/]", False: "[red]MISSED[/]", None: "[yellow]n/a[/]"}


def _load_cells(load: LoadResult | None) -> list[str]:
    if load is None:
        return ["-"] * 3
    failed = f" ({load.failed} failed)" if load.failed else ""
    return [f"{load.rps:,.0f}{failed}", f"{load.p50_ms:.1f}", f"{load.p99_ms:.1f}"]


def _short(reason: str, limit: int = 70) -> str:
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"


def _calls(measured: Measured) -> list[str]:
    return ["-" if c is None else str(c) for c in (measured.store_calls, measured.search_calls)]


def print_report(results: Results, console: Console) -> None:
    title = (
        f"{results.shape}, {results.products:,} products, {results.connections} connections, "
        f"{results.duration} s per run, load by {results.generator}"
    )
    table = Table(title=title)
    for column in (
        "operation",
        "req/s",
        "p50 ms",
        "p99 ms",
        "CPU ms/req",
        "store/req",
        "search/req",
        "req/s stats",
        "p99 stats",
    ):
        table.add_column(column, justify="left" if column == "operation" else "right")
    for name in OPERATIONS:
        measured = results.operation(name)
        if measured.na and not measured.load:
            table.add_row(name, f"n/a ({_short(measured.na)})", *[""] * 7)
            continue
        stats = measured.load.get("stats")
        cpu = "-" if measured.cpu_ms is None else f"{measured.cpu_ms:.1f}"
        row = [*_load_cells(measured.load.get("plain")), cpu, *_calls(measured), *_load_cells(stats)[::2]]
        table.add_row(name, *row)
    raw = results.raw
    raw_row = [*_load_cells(raw.get("plain")), "-", "-", "-", *_load_cells(raw.get("stats"))[::2]]
    table.add_row("raw route (ProductPage bytes)", *raw_row)
    console.print(table)
    for name in ("ProductPage", "ProductPage (cache hit)"):
        ratio = results.graphql_over_raw(name)
        console.print(f"{name} GraphQL / raw route throughput: {'n/a' if ratio is None else f'{ratio:.1%}'}")
    seed = "n/a" if results.seed_seconds is None else f"{results.seed_seconds:,.1f} s"
    console.print(f"seed: {seed}{' (recorded, data reused)' if results.seed_reused else ''}")
    rss = ", ".join(f"{k}: {v:,.0f} MiB" for k, v in results.rss_mib.items()) or "n/a"
    console.print(f"load average (1 min) before / after: {results.load_before} / {results.load_after}")
    console.print(f"serve resident memory (VmRSS after the runs): {rss}")
    if results.push:
        push = results.push
        lost = f", {push.lost} lost" if push.lost else ""
        console.print(
            f"push reply->FCM over {push.replies} replies: "
            f"p50 {push.p50_ms:.1f} ms, p99 {push.p99_ms:.1f} ms{lost}"
        )
    else:
        console.print(f"push reply->FCM: n/a ({results.push_na})")
    if results.fanout:
        fan = results.fanout
        console.print(
            f"orderUpdated fan-out: {fan.received}/{fan.subscribers} subscribers, last {fan.last_ms:.0f} ms, "
            f"median {fan.median_ms:.0f} ms"
        )
    else:
        console.print(f"orderUpdated fan-out: n/a ({results.fanout_na})")
    judged = Table(title="targets (2 cores, embedded default, 1,000,000 products)")
    for column in ("target", "figure", "status"):
        judged.add_column(column)
    for target in targets(results):
        judged.add_row(target.text, target.figure, STATUS[target.met])
    console.print(judged)
