"""Related products kept: a product page's related list is ranked from a search and its candidates'
prices, the same for every viewer, so it is kept per product version for `RELATED_PERIOD_S`, as the
feed keeps its candidate pools. A popular page's views then make one search and one read of 18
candidates per period, not one each (they were about a fifth of a signed-in product page).

A product written since is another version and ranks afresh; a neighbour written or newly indexed
shows up within the period, and the related products themselves are read fresh on every page.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

RELATED_PERIOD_S = 30.0
KEPT = 20_000
"""Related lists kept, least recently used out first (a few key strings each)."""

RelatedKey = tuple[str, int, int]
"""The product's key and version, and how many related were asked."""


class RelatedMemo:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._kept: OrderedDict[RelatedKey, tuple[float, list[str]]] = OrderedDict()

    def get(self, key: RelatedKey) -> list[str] | None:
        kept = self._kept.get(key)
        if kept is None:
            return None
        ranked_at, keys = kept
        if self._clock() - ranked_at >= RELATED_PERIOD_S:
            del self._kept[key]
            return None
        self._kept.move_to_end(key)
        return list(keys)

    def keep(self, key: RelatedKey, keys: list[str]) -> None:
        self._kept[key] = (self._clock(), list(keys))
        self._kept.move_to_end(key)
        if len(self._kept) > KEPT:
            self._kept.popitem(last=False)
