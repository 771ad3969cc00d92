"""Message length, quota, status after a message, visibility and response figures (CONTRACT.md section 8)."""

from __future__ import annotations

from app.domain.errors import UserErrorCode
from app.domain.inquiries import (
    DAY_MS,
    Inquiry,
    InquiryStatus,
    Message,
    Side,
    after_message,
    check_daily_quota,
    check_message,
    response_stats,
    side_of,
)

FIELD = ("input", "message")


def inquiry(**changes: object) -> Inquiry:
    base = Inquiry("i", "buyer", "sup", "p", {"en": "Chair"}, InquiryStatus.CLOSED, None, 0, 0, None)
    return Inquiry(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def test_message_of_4000_code_points_is_fine_and_4001_is_invalid() -> None:
    emoji = "\U0001f600"
    assert check_message(emoji * 4000, FIELD) == []
    [violation] = check_message(emoji * 4001, FIELD)
    assert violation.code is UserErrorCode.INVALID


def test_blank_or_control_character_messages_are_invalid() -> None:
    assert check_message("   \n", FIELD)[0].code is UserErrorCode.INVALID
    assert check_message("bell\x07", FIELD)[0].code is UserErrorCode.INVALID
    assert check_message("line one\nline two\ttab", FIELD) == []


def test_the_21st_inquiry_of_a_day_exceeds_the_limit() -> None:
    assert check_daily_quota(19) == []
    [violation] = check_daily_quota(20)
    assert violation.code is UserErrorCode.LIMIT_EXCEEDED
    assert violation.field is None


def test_a_message_reopens_and_waits_for_the_other_side() -> None:
    by_supplier = Message("m1", "i", "yes", Side.SUPPLIER, "s", 100)
    by_buyer = Message("m2", "i", "ok", Side.BUYER, "buyer", 200)
    replied = after_message(inquiry(), by_supplier)
    assert replied.status is InquiryStatus.AWAITING_BUYER
    assert replied.first_reply_at == 100
    again = after_message(replied, by_buyer)
    assert again.status is InquiryStatus.AWAITING_SUPPLIER
    assert again.first_reply_at == 100
    assert again.last_message_key == "m2"


def test_only_the_buyer_and_the_suppliers_users_see_a_thread() -> None:
    thread = inquiry()
    assert side_of("buyer", "buyer", None, thread) is Side.BUYER
    assert side_of("supplier", "x", "sup", thread) is Side.SUPPLIER
    assert side_of("buyer", "other", None, thread) is None
    assert side_of("supplier", "x", "other", thread) is None
    assert side_of("supplier", "x", None, thread) is None
    assert side_of("editor", "buyer", "sup", thread) is None


def test_response_figures_count_answered_threads_and_the_median_first_reply() -> None:
    now = 100 * DAY_MS
    minute = 60_000
    opened = [
        (now - 5 * DAY_MS, now - 5 * DAY_MS + 10 * minute),
        (now - 4 * DAY_MS, now - 4 * DAY_MS + 30 * minute),
        (now - 3 * DAY_MS, None),
        (now - 1000, None),
    ]
    stats = response_stats(opened, now)
    assert stats is not None
    assert stats.response_rate == round(2 / 3, 4)
    assert stats.median_response_minutes == 20


def test_no_figures_before_any_thread_counts() -> None:
    assert response_stats([(1000, None)], 2000) is None
