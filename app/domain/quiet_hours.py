"""Quiet hours: validating `HH:MM` windows and finding when a deferred push may go out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain.errors import Violation, invalid

HH_MM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
DEFAULT_TIMEZONE = "UTC"


def minutes_of(text: str) -> int | None:
    """Minutes after midnight of a 24-hour `HH:MM`, or None when it is not one."""
    match = HH_MM.match(text)
    return int(match.group(1)) * 60 + int(match.group(2)) if match else None


def is_timezone(name: str) -> bool:
    if not name or len(name) > 64 or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def check_quiet_hours(start: str | None, end: str | None, field_prefix: tuple[str, ...]) -> list[Violation]:
    """Both or neither; each a 24-hour `HH:MM`; start and end differ (an empty window means nothing)."""
    if (start is None) != (end is None):
        return [
            invalid(
                (*field_prefix, "quietHoursEnd" if end is None else "quietHoursStart"),
                "Give both quietHoursStart and quietHoursEnd, or neither.",
            )
        ]
    found: list[Violation] = []
    for name, value in (("quietHoursStart", start), ("quietHoursEnd", end)):
        if value is not None and minutes_of(value) is None:
            found.append(invalid((*field_prefix, name), "Use 24-hour HH:MM, e.g. 22:00."))
    if not found and start is not None and start == end:
        found.append(
            invalid((*field_prefix, "quietHoursEnd"), "Quiet hours must end at another time than they start.")
        )
    return found


def quiet_until(now_ms: int, start: str | None, end: str | None, timezone: str) -> int | None:
    """When quiet hours that contain `now_ms` end (epoch ms), or None when now is not quiet.

    The window is read in the user's zone, so a daylight-saving change moves it with the wall clock.
    """
    if start is None or end is None:
        return None
    first, last = minutes_of(start), minutes_of(end)
    if first is None or last is None or first == last:
        return None
    zone = ZoneInfo(timezone) if is_timezone(timezone) else ZoneInfo(DEFAULT_TIMEZONE)
    local = datetime.fromtimestamp(now_ms / 1000, UTC).astimezone(zone)
    minute = local.hour * 60 + local.minute
    crosses_midnight = first > last
    inside = (first <= minute or minute < last) if crosses_midnight else (first <= minute < last)
    if not inside:
        return None
    end_day = local.date()
    if crosses_midnight and minute >= first:
        end_day = end_day + timedelta(days=1)
    naive_end = datetime(end_day.year, end_day.month, end_day.day, last // 60, last % 60)
    return int(naive_end.replace(tzinfo=zone).timestamp() * 1000)
