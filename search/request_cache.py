"""A request cache for one index, as Elasticsearch's shard request cache: results by request, bound to
the generation of the index reader that computed them."""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar, cast

T = TypeVar("T")


class RequestCache:
    """Bounded LRU. Entries of an older generation are dropped as soon as a newer generation is seen, so
    a commit or reload invalidates the cache by construction. Thread-safe: searches run in worker
    threads; two threads missing the same key both compute it (the results are equal)."""

    def __init__(self, entries: int) -> None:
        self._entries = entries
        self._lock = threading.Lock()
        self._generation = -1
        self._results: OrderedDict[str, object] = OrderedDict()

    def through(self, generation: int, key: str, compute: Callable[[], T]) -> T:
        """The cached result of `key` at `generation`, else `compute()`'s, kept while it is current."""
        with self._lock:
            if generation > self._generation:
                self._generation = generation
                self._results.clear()
            if generation == self._generation and key in self._results:
                self._results.move_to_end(key)
                return cast(T, self._results[key])
        result = compute()
        with self._lock:
            if generation == self._generation and self._entries > 0:
                self._results[key] = result
                if len(self._results) > self._entries:
                    self._results.popitem(last=False)
        return result
