"""The tantivy sort keys, the typo-aware highlighter and the search URL parsing, without an index."""

import pytest

from search.open import open_search
from search.tantivy_read import highlighter
from search.tantivy_schema import popularity_value, sort_key


def test_sort_keys_order_by_value_then_seq() -> None:
    assert sort_key(5, 2) < sort_key(5, 3) < sort_key(6, 1)
    assert sort_key(2**40, 1) == sort_key(2**31 - 1, 1)
    assert sort_key(-3, 1) == sort_key(0, 1)


def test_popularity_keys_keep_the_order_of_the_floats() -> None:
    values = [0.0, 1e-9, 0.5, 1.0, 1.25, 7.0, 12.25, 1e9]
    keys = [popularity_value(v) for v in values]

    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert all(0 <= k < 2**31 for k in keys)
    assert popularity_value(-1.0) == popularity_value(0.0)


def test_highlighter_marks_stems_typos_and_the_last_prefix_and_escapes_the_rest() -> None:
    mark = highlighter("excavatr shoe hydra", "en")

    marked = mark("<Hydraulic> Excavator & Shoes", "en")

    assert marked == "&lt;<em>Hydraulic</em>&gt; <em>Excavator</em> &amp; <em>Shoes</em>"


async def test_an_unknown_search_url_scheme_is_refused_with_its_name() -> None:
    with pytest.raises(ValueError, match="ftp"):
        await open_search("ftp://example")
