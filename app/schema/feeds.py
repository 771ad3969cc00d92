"""Feed, trending and event-tracking shapes: FeedConnection and its union, TrendEntry, TrackEventInput."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from app.domain import feeds as rules
from app.domain.events import EventInput
from app.domain.ids import InvalidGlobalId, from_global_id
from app.schema.articles.types import Article
from app.schema.base import PageInfo, UserError
from app.schema.products import Product
from app.schema.scalars import DateTime
from app.schema.suppliers import Supplier

FeedNode = Annotated[Product | Article | Supplier, strawberry.union("FeedNode")]


@strawberry.enum
class FeedReasonCode(Enum):
    INTEREST = "INTEREST"
    TRENDING = "TRENDING"
    RISING = "RISING"
    NEW = "NEW"
    EDITORIAL = "EDITORIAL"
    SAVED_SIMILAR = "SAVED_SIMILAR"
    EXPLORE = "EXPLORE"


@strawberry.type
class FeedReason:
    code: FeedReasonCode
    text: str

    @classmethod
    def from_domain(cls, reason: rules.ReasonCode, locale: str) -> FeedReason:
        return cls(code=FeedReasonCode(rules.public_code(reason)), text=rules.reason_text(reason, locale))


@strawberry.type
class FeedEdge:
    cursor: str
    node: FeedNode
    reason: FeedReason


@strawberry.type
class FeedConnection:
    edges: list[FeedEdge]
    page_info: PageInfo


@strawberry.enum
class TrendKind(Enum):
    HOT = "HOT"
    RISING = "RISING"


@strawberry.type
class TrendEntry:
    product: Product
    score: float
    growth: float | None


@strawberry.enum
class TrackEventKind(Enum):
    IMPRESSION = "IMPRESSION"
    VIEW = "VIEW"
    DWELL = "DWELL"
    SAVE = "SAVE"
    UNSAVE = "UNSAVE"
    SHARE = "SHARE"
    INQUIRE = "INQUIRE"
    VIDEO_PLAY = "VIDEO_PLAY"


@strawberry.input
class TrackEventInput:
    kind: TrackEventKind
    subject_id: strawberry.ID
    occurred_at: DateTime
    client_event_id: str | None = None
    duration_ms: int | None = None

    def to_domain(self) -> EventInput:
        try:
            subject_type, subject_key = from_global_id(self.subject_id)
        except InvalidGlobalId:
            subject_type, subject_key = None, None
        return EventInput(
            kind=self.kind.value,
            subject_type=subject_type,
            subject_key=subject_key,
            occurred_at=int(self.occurred_at),
            duration_ms=self.duration_ms,
            client_event_id=self.client_event_id,
        )


@strawberry.type
class TrackEventsPayload:
    accepted: int
    user_errors: list[UserError]
