"""Quiet hours, suppression, grapheme-safe previews and push texts: pure rules of CONTRACT.md section 8."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.domain.notifications import NotificationKind, NotifyRequest
from app.domain.notifications_rules import (
    NotificationSettings,
    PushDecision,
    SettingsChange,
    apply_settings,
    check_settings,
    graphemes,
    notification_key,
    preview,
    push_available_at,
    push_decision,
)
from app.domain.quiet_hours import check_quiet_hours, quiet_until
from push.templates import render


def ms(year: int, month: int, day: int, hour: int, minute: int, zone: str = "UTC") -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)).timestamp() * 1000)


def test_quiet_hours_crossing_midnight_end_the_next_morning() -> None:
    now = ms(2026, 3, 10, 23, 30)
    assert quiet_until(now, "22:00", "07:00", "UTC") == ms(2026, 3, 11, 7, 0)


def test_quiet_hours_after_midnight_end_the_same_morning() -> None:
    now = ms(2026, 3, 10, 3, 0)
    assert quiet_until(now, "22:00", "07:00", "UTC") == ms(2026, 3, 10, 7, 0)


def test_outside_quiet_hours_the_push_goes_now() -> None:
    assert quiet_until(ms(2026, 3, 10, 12, 0), "22:00", "07:00", "UTC") is None
    assert quiet_until(ms(2026, 3, 10, 12, 0), None, None, "UTC") is None


def test_quiet_hours_are_read_in_the_users_time_zone() -> None:
    # 14:00 UTC is 22:00 in Shanghai: inside 21:00-08:00 there, ending at 08:00 Shanghai time.
    now = ms(2026, 3, 10, 14, 0)
    assert quiet_until(now, "21:00", "08:00", "Asia/Shanghai") == ms(2026, 3, 11, 8, 0, "Asia/Shanghai")


def test_same_day_window_ends_at_its_end() -> None:
    assert quiet_until(ms(2026, 3, 10, 13, 0), "12:00", "14:30", "UTC") == ms(2026, 3, 10, 14, 30)
    assert quiet_until(ms(2026, 3, 10, 14, 30), "12:00", "14:30", "UTC") is None


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("22:00", None, "quietHoursEnd"),
        (None, "07:00", "quietHoursStart"),
        ("24:00", "07:00", "quietHoursStart"),
        ("7:00", "08:00", "quietHoursStart"),
        ("22:00", "22:00", "quietHoursEnd"),
    ],
)
def test_quiet_hours_are_both_or_neither_24_hour_hh_mm(
    start: str | None, end: str | None, field: str
) -> None:
    [violation] = check_quiet_hours(start, end, ("input",))
    assert violation.field == ("input", field)


def test_settings_change_leaves_absent_fields_and_replaces_disabled_kinds() -> None:
    settings = NotificationSettings(
        "u", push_enabled=False, timezone="Europe/Madrid", disabled_kinds=(NotificationKind.NEW_ORDER,)
    )
    change = SettingsChange(disabled_kinds=[NotificationKind.ORDER_UPDATE])
    updated = apply_settings(settings, change)
    assert updated.push_enabled is False
    assert updated.timezone == "Europe/Madrid"
    assert updated.disabled_kinds == (NotificationKind.ORDER_UPDATE,)


def test_unknown_time_zone_is_invalid() -> None:
    change = SettingsChange(timezone="Mars/Olympus")
    [violation] = check_settings(change, apply_settings(NotificationSettings("u"), change))
    assert violation.field == ("input", "timezone")


def test_muted_push_off_and_disabled_kind_suppress_the_push() -> None:
    kind = NotificationKind.SUPPLIER_REPLIED
    assert push_decision(NotificationSettings("u"), kind, muted=False) is PushDecision.SEND
    assert push_decision(NotificationSettings("u"), kind, muted=True) is PushDecision.SUPPRESS
    assert (
        push_decision(NotificationSettings("u", push_enabled=False), kind, muted=False)
        is PushDecision.SUPPRESS
    )
    assert (
        push_decision(NotificationSettings("u", disabled_kinds=(kind,)), kind, muted=False)
        is PushDecision.SUPPRESS
    )


def test_quiet_hours_default_to_utc_until_a_device_brings_a_zone() -> None:
    settings = NotificationSettings("u", quiet_hours_start="00:00", quiet_hours_end="23:59")
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    assert push_available_at(settings, int(now.timestamp() * 1000)) == ms(2026, 3, 10, 23, 59)


def test_graphemes_keep_combining_marks_zwj_emoji_and_flags_whole() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    text = "e\u0301" + family + "\U0001f1e9\U0001f1ea" + "\U0001f44d\U0001f3fd" + "a"
    assert graphemes(text) == ["e\u0301", family, "\U0001f1e9\U0001f1ea", "\U0001f44d\U0001f3fd", "a"]


def test_preview_cuts_at_120_grapheme_clusters_with_an_ellipsis() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert preview("a" * 120) == "a" * 120
    assert preview(family * 121) == family * 120 + "…"
    assert preview("o\u0308" * 125) == "o\u0308" * 120 + "…"


def test_push_texts_come_in_the_device_language_with_english_fallback() -> None:
    params = {"party": "Acme", "message": "Hola"}
    assert render(NotificationKind.SUPPLIER_REPLIED, params, "es-MX") == ("Acme respondió", "Hola")
    assert render(NotificationKind.SUPPLIER_REPLIED, params, "tlh") == ("Acme replied", "Hola")
    assert render(NotificationKind.NEW_INQUIRY, {"party_country": "BR", "message": "Oi"}, "pt") == (
        "Nova consulta de Comprador de BR",
        "Oi",
    )
    for language in ("en", "zh", "es", "ru", "pt", "fr", "ar"):
        for kind in NotificationKind:
            title, _ = render(kind, {"party": "Acme", "number": "A-1", "title": "T", "status": "S"}, language)
            assert title


def test_article_pushes_use_the_title_in_the_device_language() -> None:
    params = {"title": "Seating trends", "title_es": "Tendencias en asientos"}
    assert render(NotificationKind.ARTICLE_PUBLISHED, params, "es") == (
        "Nuevo artículo",
        "Tendencias en asientos",
    )
    assert render(NotificationKind.ARTICLE_PUBLISHED, params, "fr") == ("Nouvel article", "Seating trends")


def test_notification_keys_are_stable_per_event_and_recipient() -> None:
    request = NotifyRequest(NotificationKind.NEW_INQUIRY, ["a", "b"], "Inquiry", "i1", "inquiry:i1")
    again = NotifyRequest.from_payload(request.to_payload())
    assert notification_key(again.event_key, "a") == notification_key(request.event_key, "a")
    assert notification_key(request.event_key, "a") != notification_key(request.event_key, "b")
