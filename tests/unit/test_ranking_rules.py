"""Ranking: concentration, supplier spacing, followed suppliers, editorial and explore slots."""

from __future__ import annotations

import math
from collections import Counter

from app.domain.feeds import ItemKind, ReasonCode
from app.domain.ranking import (
    DAY_MS,
    Candidate,
    Placed,
    Profile,
    Signals,
    dominant_vertical,
    rank,
)

NOW = 1_800_000_000_000


def catalog(
    verticals: int = 6, suppliers_per_vertical: int = 4, products_per_supplier: int = 5
) -> list[Candidate]:
    found: list[Candidate] = []
    for v in range(verticals):
        for s in range(suppliers_per_vertical):
            supplier = f"s{v}-{s}"
            found.append(
                Candidate(ItemKind.SUPPLIER, supplier, (f"v{v}",), supplier, NOW - 300 * DAY_MS, 5.0)
            )
            for p in range(products_per_supplier):
                age = (v * 7 + s * 3 + p) % 30
                found.append(
                    Candidate(
                        ItemKind.PRODUCT, f"p{v}-{s}-{p}", (f"v{v}",), supplier, NOW - age * DAY_MS, float(p)
                    )
                )
        found.append(Candidate(ItemKind.ARTICLE, f"a{v}", (f"v{v}",), None, NOW - 3 * DAY_MS, 0.0))
    return found


def test_dominant_vertical_needs_half_of_the_recent_events() -> None:
    assert dominant_vertical(["a"] * 10 + ["b"] * 10) == "a"
    assert dominant_vertical(["a"] * 9 + ["b"] * 6 + ["c"] * 5) is None
    assert dominant_vertical(["a", "a"]) is None
    assert dominant_vertical([]) is None


def test_a_concentrated_buyer_gets_40_percent_of_each_page_from_their_vertical_and_two_others() -> None:
    # given
    profile = Profile(vertical_weights={"v2": 0.7, "v1": 0.3}, recent=["v2"] * 12 + ["v1"] * 8)
    # when
    items = rank(catalog(products_per_supplier=10), profile, Signals(NOW), None)
    by_key = {c.key: c for c in catalog(products_per_supplier=10)}
    # then
    for start in range(0, 60, 20):
        page = items[start : start + 20]
        main = [i for i in page if "v2" in by_key[i.key].vertical_keys]
        others = {v for i in page for v in by_key[i.key].vertical_keys} - {"v2"}
        assert len(main) >= 8
        assert len(others) >= 2


def test_no_supplier_repeats_within_four_edges_so_no_page_is_filled_by_one() -> None:
    items = rank(catalog(), Profile(), Signals(NOW), None)
    by_key = {c.key: c for c in catalog()}
    suppliers = [by_key[i.key].supplier_key for i in items[:100]]
    for index in range(len(suppliers)):
        window = [s for s in suppliers[index : index + 4] if s is not None]
        assert len(window) == len(set(window))
    for first in (1, 5, 7, 20):
        counts = Counter(s for s in suppliers[20 : 20 + first] if s is not None)
        assert max(counts.values()) <= math.ceil(first / 4)


def test_spacing_continues_from_the_items_already_in_the_snapshot() -> None:
    candidates = [
        Candidate(ItemKind.PRODUCT, f"p{i}", ("v",), "s1" if i < 5 else f"s{i}", NOW, 9.0) for i in range(10)
    ]
    placed = [Placed("s1", ("v",))]
    items = rank(candidates, Profile(), Signals(NOW), "v", placed)
    by_key = {c.key: c for c in candidates}
    assert by_key[items[0].key].supplier_key != "s1"


def test_one_supplier_alone_still_fills_the_feed() -> None:
    candidates = [Candidate(ItemKind.PRODUCT, f"p{i}", ("v",), "s1", NOW, float(i)) for i in range(6)]
    assert len(rank(candidates, Profile(), Signals(NOW), "v")) == 6


def test_new_products_of_followed_suppliers_rank_higher() -> None:
    # given
    profile = Profile(
        vertical_weights={"v0": 0.5, "v1": 0.5}, recent=["v0", "v1"], followed=frozenset({"s1-0"})
    )
    # when
    followed = rank(catalog(), profile, Signals(NOW), None)
    plain = rank(catalog(), Profile(vertical_weights={"v0": 0.5, "v1": 0.5}), Signals(NOW), None)
    # then
    position = {i.key: n for n, i in enumerate(followed)}
    before = {i.key: n for n, i in enumerate(plain)}
    new_of_followed = [c.key for c in catalog() if c.supplier_key == "s1-0" and c.kind is ItemKind.PRODUCT]
    fresh = [
        k for k in new_of_followed if next(i for i in followed if i.key == k).reason is ReasonCode.FOLLOWED
    ]
    assert fresh
    assert all(position[k] < before[k] for k in fresh)


def test_anonymous_feeds_are_trending_and_new_items_with_articles_among_them() -> None:
    items = rank(catalog(), Profile(), Signals(NOW, hot={"p0-0-4": 12.0}), None)
    assert {i.reason for i in items[:20]} <= {ReasonCode.TRENDING, ReasonCode.NEW, ReasonCode.EDITORIAL}
    assert items[3].kind is ItemKind.ARTICLE
    assert "p0-0-4" in [i.key for i in items[:10]]


def test_a_buyer_with_interests_is_shown_verticals_to_explore() -> None:
    profile = Profile(vertical_weights={"v0": 0.6, "v1": 0.3, "v2": 0.1}, recent=["v0", "v1", "v2"])
    items = rank(catalog(), profile, Signals(NOW), None)
    explored = [i for i in items[:20] if i.reason is ReasonCode.EXPLORE]
    assert explored


def test_the_newest_article_of_the_day_takes_the_first_editorial_slot() -> None:
    fresh = Candidate(ItemKind.ARTICLE, "fresh", ("v0",), None, NOW - 3600_000, 0.0)
    items = rank([*catalog(), fresh], Profile(), Signals(NOW), "v0")
    assert items[3].key == "fresh"


def test_a_burst_of_new_articles_keeps_to_the_editorial_slots() -> None:
    burst = [Candidate(ItemKind.ARTICLE, f"new{i}", ("v0",), None, NOW - i * 60_000, 0.0) for i in range(30)]
    items = rank([*catalog(), *burst], Profile(), Signals(NOW), None)
    assert [n for n, i in enumerate(items[:40]) if i.kind is ItemKind.ARTICLE] == [3, 13, 23, 33]
    assert items[3].key == "new0"
