"""Prometheus metrics of the process: requests and latency per operation, response cache, engine failures."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "graphql_requests_total",
    "GraphQL requests by operation name and outcome",
    ["operation", "outcome"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "graphql_request_seconds",
    "GraphQL request latency by operation name",
    ["operation"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
REDIS_FAILURES = Counter(
    "redis_failures_total", "Redis calls that failed and were served without it", ["use"], registry=REGISTRY
)
RESPONSE_CACHE = Counter(
    "graphql_response_cache_total",
    "Anonymous public reads answered from the response cache (hit) or executed (miss)",
    ["outcome"],
    registry=REGISTRY,
)
OUTBOX_OUTCOMES = Counter(
    "outbox_entries_total", "Outbox entries by kind and outcome", ["kind", "outcome"], registry=REGISTRY
)


def render() -> bytes:
    return generate_latest(REGISTRY)
