"""The response cache at the edge: which requests it answers, their keys and tags, hits and misses.

Only anonymous queries whose root fields are all public reads are cached, keyed by the document,
the operation, the coerced variables and the negotiated locale and display currency (not the raw
headers, so equivalent headers share an entry). An entry is the answer's `data` as JSON bytes with
its actual cost; the body around it (throttle status, stats) is made per request. Entries are
tagged with the node ids they show and the ids their variables name; the outbox evicts by tag.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, OperationType

from app.cache.port import CacheUnavailable, ResponseCache
from app.domain.ids import InvalidGlobalId, from_global_id
from app.edge.metrics import REDIS_FAILURES, RESPONSE_CACHE
from app.edge.runner import Meta, Ready, Runner

PUBLIC_FIELDS = frozenset({"product", "supplier", "verticals", "trending", "article", "__typename"})
# The same as the public max-age: a CDN and this cache are stale for at most as long, for what
# changes without an outbox event (trending scores, response rates, exchange rates).
TTL_SECONDS = 60


@dataclass(frozen=True)
class Lookup:
    key: str
    generation: int
    data: bytes | None = None
    """The cached `data` as JSON, on a hit."""
    actual_cost: int = 0


def cacheable(ready: Ready, meta: Meta) -> bool:
    if meta.authorization is not None or ready.operation.operation is not OperationType.QUERY:
        return False
    return all(
        isinstance(selection, FieldNode) and selection.name.value in PUBLIC_FIELDS
        for selection in ready.operation.selection_set.selections
    )


def cache_key(ready: Ready, locale: str, currency: str) -> str:
    operation = ready.operation.name.value if ready.operation.name else ""
    digest = hashlib.sha256(ready.prepared.text.encode())
    for part in (operation.encode(), locale.encode(), currency.encode(), ready.canonical):
        digest.update(b"\0" + part)
    return digest.hexdigest()


def tags_of(data: Any, variables: dict[str, Any]) -> set[str]:
    """The global ids the answer shows (every `id`) and the ones its variables name (so that an
    answer without the node, e.g. null for an id not there yet, goes when that node is written)."""
    found = {value for value in _ids(data) if _is_global_id(value)}
    found.update(value for value in _strings(variables) if _is_global_id(value))
    return found


def _ids(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for name, item in value.items():
            if name == "id":
                yield item
            else:
                yield from _ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids(item)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _is_global_id(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        from_global_id(value)
    except InvalidGlobalId:
        return False
    return True


class EdgeCache:
    """The HTTP edge's use of the cache port; when the cache cannot be reached, requests just run."""

    def __init__(self, cache: ResponseCache, runner: Runner) -> None:
        self._cache = cache
        self._runner = runner

    async def lookup(self, ready: Ready, meta: Meta) -> Lookup | None:
        """None when the request is not one the cache answers (or the cache is down)."""
        if not cacheable(ready, meta):
            return None
        key = cache_key(ready, *await self._runner.display(None, meta))
        try:
            found = await self._cache.get(key)
        except CacheUnavailable:
            REDIS_FAILURES.labels("response_cache").inc()
            return None
        if found.value is None:
            RESPONSE_CACHE.labels("miss").inc()
            return Lookup(key, found.generation)
        RESPONSE_CACHE.labels("hit").inc()
        cost, _, data = found.value.partition(b"\n")
        return Lookup(key, found.generation, data, int(cost))

    async def store(
        self, lookup: Lookup, ready: Ready, data: Any, data_json: bytes, actual_cost: int
    ) -> None:
        value = b"%d\n%b" % (actual_cost, data_json)
        tags = tags_of(data, ready.coerced)
        try:
            await self._cache.put(lookup.key, value, tags, TTL_SECONDS, lookup.generation)
        except CacheUnavailable:
            REDIS_FAILURES.labels("response_cache").inc()
