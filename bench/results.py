"""What a run found, as one JSON-ready object, and the targets it is judged against."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from bench.fanout import FanoutResult
from bench.load import LoadResult
from bench.push_latency import PushResult


@dataclass
class Measured:
    load: dict[str, LoadResult] = field(default_factory=dict)
    """Per pass: `plain` served without QUERY_STATS (the figures), `stats` with it (the calls per request)."""
    store_calls: int | None = None
    search_calls: int | None = None
    cpu_ms: float | None = None
    """The server's CPU time per request, asked one at a time (no queueing in it)."""
    na: str | None = None
    """Why it could not be measured."""

    def figures(self) -> LoadResult | None:
        return self.load.get("plain") or self.load.get("stats")


@dataclass
class Results:
    shape: str
    products: int
    connections: int
    duration: int
    generator: str
    seed_seconds: float | None = None
    seed_reused: bool = False
    load_before: str = ""
    load_after: str = ""
    """The machine's 1-minute load average: other work on the same cores skews every figure."""
    operations: dict[str, Measured] = field(default_factory=dict)
    raw: dict[str, LoadResult] = field(default_factory=dict)
    rss_mib: dict[str, float] = field(default_factory=dict)
    push: PushResult | None = None
    push_na: str | None = None
    fanout: FanoutResult | None = None
    fanout_na: str | None = None

    def operation(self, name: str) -> Measured:
        return self.operations.setdefault(name, Measured())

    def graphql_over_raw(self, name: str = "ProductPage") -> float | None:
        page = self.operation(name).figures()
        raw = self.raw.get("plain") or self.raw.get("stats")
        return page.rps / raw.rps if page and raw and raw.rps else None

    def as_json(self) -> dict[str, Any]:
        document = asdict(self)
        document["targets"] = [{"target": t.text, "figure": t.figure, "met": t.met} for t in targets(self)]
        return document


@dataclass(frozen=True)
class Judged:
    text: str
    figure: str
    met: bool | None
    """None: not measured."""


def _judge(text: str, value: float | None, limit: float, unit: str, *, at_least: bool = False) -> Judged:
    if value is None or value != value:  # None or NaN
        return Judged(text, "n/a", None)
    met = value >= limit if at_least else value < limit
    return Judged(text, f"{value:,.1f} {unit}".strip(), met)


def _p99(results: Results, name: str) -> float | None:
    figures = results.operation(name).figures()
    return figures.p99_ms if figures else None


def targets(results: Results) -> list[Judged]:
    ratio = results.graphql_over_raw()
    rss = max(results.rss_mib.values()) if results.rss_mib else None
    return [
        _judge(
            "ProductPage GraphQL >= 50% of raw route req/s",
            None if ratio is None else ratio * 100,
            50,
            "%",
            at_least=True,
        ),
        _judge("Feed first page p99 < 50 ms", _p99(results, "Feed first page"), 50, "ms"),
        _judge("SearchProducts p99 < 30 ms", _p99(results, "SearchProducts"), 30, "ms"),
        _judge(
            "replyToInquiry to FCM p99 < 500 ms", results.push.p99_ms if results.push else None, 500, "ms"
        ),
        _judge(
            "orderUpdated to 1,000 subscribers < 1 s",
            results.fanout.last_ms if results.fanout else None,
            1000,
            "ms",
        ),
        _judge(
            f"seed --demo --products {results.products:,} < 5 min (target at 1,000,000)",
            results.seed_seconds,
            300,
            "s",
        ),
        _judge("serve resident memory < 1 GiB", rss, 1024, "MiB"),
    ]
