"""Notification rules: in-app notifications, settings, whether and when a push goes, and text cutting."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from app.domain.errors import Violation, invalid
from app.domain.notifications import NotificationKind
from app.domain.quiet_hours import DEFAULT_TIMEZONE, check_quiet_hours, is_timezone, quiet_until

PREVIEW_GRAPHEMES = 120
ELLIPSIS = "…"

# Which node type each kind points at (CONTRACT.md section 8).
TARGET_TYPES: dict[NotificationKind, str] = {
    NotificationKind.NEW_INQUIRY: "Inquiry",
    NotificationKind.SUPPLIER_REPLIED: "Inquiry",
    NotificationKind.BUYER_REPLIED: "Inquiry",
    NotificationKind.NEW_ORDER: "Order",
    NotificationKind.ORDER_UPDATE: "Order",
    NotificationKind.SHIPMENT_UPDATE: "Order",
    NotificationKind.ARTICLE_PUBLISHED: "Article",
}


@dataclass(frozen=True)
class Notification:
    key: str
    user_key: str
    kind: NotificationKind
    target_type: str
    target_key: str
    group: str
    params: dict[str, str]
    created_at: int
    read_at: int | None = None


@dataclass(frozen=True)
class NotificationSettings:
    user_key: str
    push_enabled: bool = True
    timezone: str | None = None
    quiet_hours_start: str | None = None
    quiet_hours_end: str | None = None
    disabled_kinds: tuple[NotificationKind, ...] = field(default_factory=tuple)

    @property
    def effective_timezone(self) -> str:
        """UTC until the first device brings its own zone."""
        return self.timezone or DEFAULT_TIMEZONE


@dataclass(frozen=True)
class SettingsChange:
    """What `updateNotificationSettings` asked for: None leaves a field as it is, except quiet hours,
    where a given null clears the bound (`*_given` tells a given null from an absent field)."""

    push_enabled: bool | None = None
    timezone: str | None = None
    quiet_hours_start: str | None = None
    quiet_hours_end: str | None = None
    start_given: bool = False
    end_given: bool = False
    disabled_kinds: Sequence[NotificationKind] | None = None


def notification_key(event_key: str, recipient: str) -> str:
    """Deterministic per (outbox event, recipient), so a re-run handler makes no second notification."""
    return hashlib.sha256(f"{event_key}|{recipient}".encode()).hexdigest()[:24]


def delivery_key(notification: str, device: str) -> str:
    return f"{notification}:{device}"


def check_settings(change: SettingsChange, merged: NotificationSettings) -> list[Violation]:
    """Checks the change, and the quiet hours as they would be after it (both or neither)."""
    found: list[Violation] = []
    if change.timezone is not None and not is_timezone(change.timezone):
        found.append(invalid(("input", "timezone"), "Use an IANA time zone, e.g. Europe/Berlin."))
    if change.start_given or change.end_given:
        found.extend(check_quiet_hours(merged.quiet_hours_start, merged.quiet_hours_end, ("input",)))
    return found


def apply_settings(settings: NotificationSettings, change: SettingsChange) -> NotificationSettings:
    updated = settings
    if change.push_enabled is not None:
        updated = replace(updated, push_enabled=change.push_enabled)
    if change.timezone is not None:
        updated = replace(updated, timezone=change.timezone)
    if change.start_given:
        updated = replace(updated, quiet_hours_start=change.quiet_hours_start)
    if change.end_given:
        updated = replace(updated, quiet_hours_end=change.quiet_hours_end)
    if change.disabled_kinds is not None:
        updated = replace(updated, disabled_kinds=tuple(dict.fromkeys(change.disabled_kinds)))
    return updated


class PushDecision(Enum):
    SEND = "send"
    SUPPRESS = "suppress"


def push_decision(settings: NotificationSettings, kind: NotificationKind, muted: bool) -> PushDecision:
    """No push for a muted thread, push turned off, or a disabled kind (the in-app one is still made)."""
    if muted or not settings.push_enabled or kind in settings.disabled_kinds:
        return PushDecision.SUPPRESS
    return PushDecision.SEND


def push_available_at(settings: NotificationSettings, now_ms: int) -> int | None:
    """When the push may go: None for now, else the end of the quiet hours now falls in."""
    return quiet_until(
        now_ms, settings.quiet_hours_start, settings.quiet_hours_end, settings.effective_timezone
    )


def _extends(char: str) -> bool:
    """Characters that belong to the grapheme cluster before them (UAX 29, the cases we meet)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or code == 0x200D  # zero width joiner
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin tones
        or 0xE0020 <= code <= 0xE007F  # emoji tag sequences (subdivision flags)
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def graphemes(text: str) -> list[str]:
    """Splits text into user-perceived characters: combining marks, ZWJ emoji sequences, flags and
    CR LF stay whole. A small subset of UAX 29 that covers the texts people type in messages."""
    clusters: list[str] = []
    for char in text:
        if clusters:
            last = clusters[-1]
            joins = (
                _extends(char)
                or last[-1] == "\u200d"
                or (last == "\r" and char == "\n")
                or (_is_regional_indicator(char) and len(last) == 1 and _is_regional_indicator(last))
                or _hangul_continues(last[-1], char)
            )
            if joins:
                clusters[-1] = last + char
                continue
        clusters.append(char)
    return clusters


def _hangul_continues(before: str, char: str) -> bool:
    """Conjoining jamo (leading, vowel, trailing) compose one syllable."""
    b, c = ord(before), ord(char)
    leading, vowel, trailing = 0x1100 <= b <= 0x115F, 0x1160 <= b <= 0x11A7, 0x11A8 <= b <= 0x11FF
    syllable = 0xAC00 <= b <= 0xD7A3
    return (
        (leading and 0x1100 <= c <= 0x11A7)
        or ((vowel or syllable) and 0x1160 <= c <= 0x11FF)
        or (trailing and 0x11A8 <= c <= 0x11FF)
    )


def preview(text: str, limit: int = PREVIEW_GRAPHEMES) -> str:
    """The first `limit` grapheme clusters, with `…` when the text was cut."""
    clusters = graphemes(text)
    if len(clusters) <= limit:
        return text
    return "".join(clusters[:limit]) + ELLIPSIS
