"""One pass of a run: serve the seeded data, probe and load each operation, the raw route beside
ProductPage, and (in the plain pass) push latency and fan-out; resident memory at the end."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from bench.cases import Case, Prepared, prepare
from bench.client import Client, OperationFailed
from bench.environment import Shape
from bench.fanout import measure_fanout
from bench.load import run_load
from bench.probe import Sequential
from bench.push_latency import measure_push
from bench.results import Results
from bench.serving import Process, api_service, raw_service
from tests.servers.fcm import FakeFcm


@dataclass(frozen=True)
class Plan:
    shape: Shape
    connections: int
    duration: int
    replies: int
    subscribers: int
    work: Path


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description:<34}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )


def run_pass(
    plan: Plan, name: str, results: Results, fcm: FakeFcm, prepared: Prepared | None, console: Console
) -> Prepared:
    """Serves with QUERY_STATS on (`stats`) or off (`plain`); returns the prepared cases for the next pass."""
    stats = name == "stats"
    with (
        api_service(plan.shape, query_stats=stats, fcm_url=fcm.url) as service,
        progress_bar(console) as progress,
    ):
        client = Client(service.url)
        if prepared is None:
            progress.console.print("finding ids through the API …")
            prepared = prepare(client, plan.shape)
        for operation, reason in prepared.unavailable.items():
            results.operation(operation).na = reason
        page: dict[str, object] | None = None
        for case in prepared.cases:
            try:
                probe = _probe(client, case, results, stats)
                if not stats:
                    results.operation(case.name).cpu_ms = _cpu_per_request(client, case, service)
            except OperationFailed as error:
                results.operation(case.name).na = str(error)
                continue
            if case.name == "ProductPage":
                page = probe
            label = f"{name}: {case.name}"
            results.operation(case.name).load[name] = run_load(
                progress,
                label,
                service.url,
                case.body,
                case.token,
                connections=plan.connections,
                duration=plan.duration,
                work=plan.work,
            )
        if page is not None:
            _raw_route(plan, name, page, results, progress)
        if not stats:
            _push_and_fanout(plan, client, results, fcm, prepared, progress)
        results.rss_mib[name] = service.resident_mib()
    return prepared


def _probe(client: Client, case: Case, results: Results, stats: bool) -> dict[str, object]:
    """One request before the load: it must succeed; with QUERY_STATS it gives the calls per request."""
    document = client.send(case.body, case.token)
    if stats:
        counted = document.get("extensions", {}).get("stats", {})
        results.operation(case.name).store_calls = counted.get("storeCalls")
        results.operation(case.name).search_calls = counted.get("searchCalls")
    return document


CPU_PROBES = 50


def _cpu_per_request(client: Client, case: Case, service: Process) -> float:
    """What one request costs, which 16 connections on one process then wait behind."""
    with Sequential(client.url, case) as sequential:
        sequential.send(1)  # connects: the cost measured is the request's
        return sequential.cpu_ms(service, CPU_PROBES)


def _raw_route(plan: Plan, name: str, page: dict[str, object], results: Results, progress: Progress) -> None:
    body = plan.work / f"product-page-{name}.json"
    body.write_bytes(orjson.dumps(page))
    with raw_service(plan.shape, body) as raw:
        results.raw[name] = run_load(
            progress,
            f"{name}: raw route",
            raw.url,
            b"{}",
            None,
            connections=plan.connections,
            duration=plan.duration,
            work=plan.work,
        )


def _push_and_fanout(
    plan: Plan, client: Client, results: Results, fcm: FakeFcm, prepared: Prepared, progress: Progress
) -> None:
    if not prepared.listings:
        results.push_na = results.fanout_na = "no product ids"
        return
    listing = prepared.listings[0]
    try:
        results.push = measure_push(progress, client, plan.shape, fcm, listing, plan.replies)
    except (OperationFailed, KeyError, TypeError) as error:
        results.push_na = str(error) or type(error).__name__
    try:
        results.fanout = measure_fanout(progress, client, plan.shape, listing, plan.subscribers)
    except (OperationFailed, KeyError, TypeError, OSError) as error:
        results.fanout_na = str(error) or type(error).__name__
