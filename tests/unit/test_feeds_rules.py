"""Event checks, trending windows and growth, and feed reason texts."""

from __future__ import annotations

from app.domain.errors import UserErrorCode
from app.domain.events import HOUR_MS, EventInput, check_event, hour_of
from app.domain.feeds import ReasonCode, public_code, reason_text
from app.domain.trending import HourCount, TrendKind, trending

NOW = 1_800_000_000_000
NOW_HOUR = hour_of(NOW)


def view(**fields: object) -> EventInput:
    values: dict[str, object] = {
        "kind": "VIEW",
        "subject_type": "Product",
        "subject_key": "p-1",
        "occurred_at": NOW,
        "duration_ms": None,
        "client_event_id": None,
    }
    values.update(fields)
    return EventInput(**values)  # type: ignore[arg-type]


def fields(event: EventInput) -> list[tuple[tuple[str, ...] | None, UserErrorCode]]:
    return [(v.field, v.code) for v in check_event(4, event, NOW)]


def test_an_event_within_the_window_passes() -> None:
    assert fields(view(occurred_at=NOW - 24 * HOUR_MS + 1000)) == []
    assert fields(view(occurred_at=NOW + 4 * 60 * 1000)) == []


def test_an_event_too_old_or_too_far_ahead_is_invalid_at_occurred_at() -> None:
    expected = [(("events", "4", "occurredAt"), UserErrorCode.INVALID)]
    assert fields(view(occurred_at=NOW - 24 * HOUR_MS - 1)) == expected
    assert fields(view(occurred_at=NOW + 5 * 60 * 1000 + 1)) == expected


def test_a_subject_of_another_type_or_a_bad_duration_or_client_id_is_invalid() -> None:
    assert fields(view(subject_type="Order")) == [(("events", "4", "subjectId"), UserErrorCode.INVALID)]
    assert fields(view(subject_type=None, subject_key=None))[0][0] == ("events", "4", "subjectId")
    assert fields(view(duration_ms=-1)) == [(("events", "4", "durationMs"), UserErrorCode.INVALID)]
    assert fields(view(client_event_id="x" * 129)) == [
        (("events", "4", "clientEventId"), UserErrorCode.INVALID)
    ]


def counts(key: str, this: int, previous: int) -> list[HourCount]:
    return [HourCount(key, NOW_HOUR - 1, this), HourCount(key, NOW_HOUR - 30, previous)]


def test_hot_ranks_by_the_last_24_hours_only_and_has_no_growth() -> None:
    found = trending(
        counts("a", 5, 50) + counts("b", 7, 0) + [HourCount("c", NOW_HOUR - 49, 99)],
        NOW_HOUR,
        TrendKind.HOT,
        10,
    )
    assert [(t.key, t.score, t.growth) for t in found] == [("b", 7.0, None), ("a", 5.0, None)]


def test_rising_ranks_by_growth_and_ignores_tiny_bases() -> None:
    found = trending(
        counts("doubling", 20, 10)
        + counts("from-one", 6, 1)
        + counts("tiny", 2, 0)
        + counts("falling", 5, 9),
        NOW_HOUR,
        TrendKind.RISING,
        10,
    )
    assert [(t.key, t.growth) for t in found] == [("from-one", 5.0), ("doubling", 1.0)]


def test_the_current_hour_is_in_this_window_and_hour_24_in_the_previous() -> None:
    found = trending(
        [HourCount("a", NOW_HOUR, 3), HourCount("a", NOW_HOUR - 23, 1), HourCount("a", NOW_HOUR - 24, 2)],
        NOW_HOUR,
        TrendKind.RISING,
        5,
    )
    assert [(t.score, t.growth) for t in found] == [(4.0, 1.0)]


def test_first_limits_trending() -> None:
    many = [HourCount(f"k{i}", NOW_HOUR, i + 1) for i in range(30)]
    assert len(trending(many, NOW_HOUR, TrendKind.HOT, 3)) == 3


def test_reasons_have_texts_in_every_demo_language_and_followed_reads_as_new() -> None:
    for code in ReasonCode:
        texts = {reason_text(code, locale) for locale in ("en", "zh", "es", "ru", "pt", "fr", "ar")}
        assert len(texts) == 7
    assert public_code(ReasonCode.FOLLOWED) == "NEW"
    assert reason_text(ReasonCode.NEW, "xx") == "New arrival"
