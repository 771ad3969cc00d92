"""Inquiries: threads between a buyer and a supplier about a product, and the rules of writing in them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from enum import StrEnum

from app.domain.errors import UserErrorCode, Violation, invalid

MAX_MESSAGE_CODE_POINTS = 4000
MAX_NEW_INQUIRIES_PER_DAY = 20
DAY_MS = 24 * 3600 * 1000
RESPONSE_WINDOW_MS = 30 * DAY_MS
MAX_REPORT_DETAILS = 2000
# Control characters a plain-text message may hold: line breaks and tabs.
ALLOWED_CONTROLS = frozenset("\n\r\t")


class InquiryStatus(StrEnum):
    AWAITING_SUPPLIER = "AWAITING_SUPPLIER"
    AWAITING_BUYER = "AWAITING_BUYER"
    CLOSED = "CLOSED"


class Side(StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"

    @property
    def other(self) -> Side:
        return Side.SUPPLIER if self is Side.BUYER else Side.BUYER


@dataclass(frozen=True)
class Inquiry:
    key: str
    buyer_key: str
    supplier_key: str
    product_key: str | None
    subjects: dict[str, str]
    """The product's titles by locale when the thread opened."""
    status: InquiryStatus
    requested_quantity: int | None
    created_at: int
    last_message_at: int
    last_message_key: str | None
    buyer_read_at: int | None = None
    supplier_read_at: int | None = None
    first_reply_at: int | None = None
    vertical_key: str | None = None

    def read_at_of(self, side: Side) -> int | None:
        return self.buyer_read_at if side is Side.BUYER else self.supplier_read_at

    def read_by(self, side: Side, at: int) -> Inquiry:
        """The read receipt the other side sees as `otherPartyLastReadAt`."""
        if side is Side.BUYER:
            return replace(self, buyer_read_at=at)
        return replace(self, supplier_read_at=at)


@dataclass(frozen=True)
class Message:
    key: str
    inquiry_key: str
    body: str
    sender_side: Side
    sender_key: str
    sent_at: int


@dataclass(frozen=True)
class ReaderState:
    """One user's view of one thread: unread messages from the other side, read time, mute."""

    inquiry_key: str
    user_key: str
    unread: int = 0
    read_at: int | None = None
    muted: bool = False


def check_message(body: str, field: tuple[str, ...]) -> list[Violation]:
    """1 to 4,000 code points of plain text, not only blanks."""
    if not body.strip():
        return [invalid(field, "Write a message.")]
    if len(body) > MAX_MESSAGE_CODE_POINTS:
        return [invalid(field, f"A message is at most {MAX_MESSAGE_CODE_POINTS} characters.")]
    if any(unicodedata.category(c) == "Cc" and c not in ALLOWED_CONTROLS for c in body):
        return [invalid(field, "A message is plain text without control characters.")]
    return []


def check_quantity(quantity: int | None) -> list[Violation]:
    if quantity is not None and not 1 <= quantity <= 1_000_000_000:
        return [invalid(("input", "quantity"), "A quantity is a whole number from 1.")]
    return []


def check_daily_quota(opened_last_day: int) -> list[Violation]:
    if opened_last_day >= MAX_NEW_INQUIRIES_PER_DAY:
        return [
            Violation(
                UserErrorCode.LIMIT_EXCEEDED,
                None,
                f"You can open {MAX_NEW_INQUIRIES_PER_DAY} new inquiries a day; try again later.",
            )
        ]
    return []


def blocked_violation() -> Violation:
    return Violation(UserErrorCode.FORBIDDEN, None, "You can no longer message this party.")


def after_message(inquiry: Inquiry, message: Message) -> Inquiry:
    """A message (re)opens the thread and waits for the other side."""
    awaiting = (
        InquiryStatus.AWAITING_SUPPLIER if message.sender_side is Side.BUYER else InquiryStatus.AWAITING_BUYER
    )
    first_reply = inquiry.first_reply_at
    if message.sender_side is Side.SUPPLIER and first_reply is None:
        first_reply = message.sent_at
    return replace(
        inquiry,
        status=awaiting,
        last_message_at=message.sent_at,
        last_message_key=message.key,
        first_reply_at=first_reply,
    )


@dataclass(frozen=True)
class ResponseStats:
    response_rate: float
    median_response_minutes: int | None


def response_stats(opened: list[tuple[int, int | None]], now: int) -> ResponseStats | None:
    """From (created_at, first_reply_at) of inquiries opened in the last 30 days.

    The rate counts threads answered; the median is over the answered ones, in whole minutes.
    A thread younger than a day without an answer is not yet counted as unanswered.
    """
    counted = [(c, r) for c, r in opened if r is not None or now - c >= DAY_MS]
    if not counted:
        return None
    waits = sorted((r - c) for c, r in counted if r is not None)
    rate = len(waits) / len(counted)
    if not waits:
        return ResponseStats(rate, None)
    middle = len(waits) // 2
    median_ms = waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
    return ResponseStats(round(rate, 4), round(median_ms / 60_000))


def side_of(role: str, user_key: str, supplier_key: str | None, inquiry: Inquiry) -> Side | None:
    """Which side of the thread the user is on, or None when the thread is not theirs to see."""
    if role == "buyer" and inquiry.buyer_key == user_key:
        return Side.BUYER
    if role == "supplier" and supplier_key is not None and inquiry.supplier_key == supplier_key:
        return Side.SUPPLIER
    return None


def check_details(details: str | None) -> list[Violation]:
    if details is not None and len(details) > MAX_REPORT_DETAILS:
        return [invalid(("input", "details"), f"Details are at most {MAX_REPORT_DETAILS} characters.")]
    return []
