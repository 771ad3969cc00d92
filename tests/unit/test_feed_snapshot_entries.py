"""A stored snapshot's entries read as the fully decoded list would, however they are reached."""

from __future__ import annotations

import pytest

from app.store.feed_snapshots import StoredEntries, entry_from_doc

RAW: list[list[object]] = [
    ["product", f"p-{i}", "TRENDING", f"s-{i % 3}", [f"v-{i % 2}"]]
    if i % 4
    else ["article", f"a-{i}", "NEW", None, []]
    for i in range(12)
]


def test_stored_entries_read_as_the_decoded_list_by_index_slice_and_iteration() -> None:
    decoded = [entry_from_doc(raw) for raw in RAW]
    stored = StoredEntries(RAW)
    assert len(stored) == len(decoded)
    assert stored[3] == decoded[3] and stored[-1] == decoded[-1]
    assert stored[2:7] == decoded[2:7] and stored[10:40] == decoded[10:40] and stored[::5] == decoded[::5]
    assert list(stored) == decoded
    assert [*stored, *decoded[:1]] == [*decoded, decoded[0]]


def test_an_index_past_the_end_is_an_index_error() -> None:
    with pytest.raises(IndexError):
        StoredEntries(RAW)[12]
