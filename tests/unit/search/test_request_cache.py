"""The tantivy request cache: results per request within one reader generation, bounded."""

from search.request_cache import RequestCache


def test_a_request_is_computed_once_per_generation() -> None:
    # given
    cache = RequestCache(entries=4)
    computed: list[str] = []

    def compute(value: str) -> str:
        computed.append(value)
        return value

    # when: the same request twice, then again after a new generation
    first = cache.through(1, "q", lambda: compute("old"))
    again = cache.through(1, "q", lambda: compute("unused"))
    after = cache.through(2, "q", lambda: compute("new"))

    # then
    assert (first, again, after) == ("old", "old", "new")
    assert computed == ["old", "new"]


def test_a_result_computed_on_an_older_generation_is_not_kept() -> None:
    # given: a newer generation already seen (a reload ran while this search did)
    cache = RequestCache(entries=4)
    cache.through(3, "other", lambda: "x")

    # when
    cache.through(2, "q", lambda: "stale")

    # then
    assert cache.through(3, "q", lambda: "fresh") == "fresh"


def test_the_least_recently_used_request_goes_first_when_full() -> None:
    # given
    cache = RequestCache(entries=2)
    cache.through(1, "a", lambda: "a1")
    cache.through(1, "b", lambda: "b1")
    cache.through(1, "a", lambda: "unused")

    # when
    cache.through(1, "c", lambda: "c1")

    # then: "b" was evicted, "a" (used since) was kept
    assert cache.through(1, "a", lambda: "a2") == "a1"
    assert cache.through(1, "b", lambda: "b2") == "b2"
