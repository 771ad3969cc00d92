"""Notifications: their kinds, and the request a writer records in its outbox to notify people."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

NOTIFY = "notify"
"""The outbox kind of a NotifyRequest: the handler creates the in-app notifications and the pushes."""


class NotificationKind(StrEnum):
    SUPPLIER_REPLIED = "SUPPLIER_REPLIED"
    NEW_INQUIRY = "NEW_INQUIRY"
    BUYER_REPLIED = "BUYER_REPLIED"
    NEW_ORDER = "NEW_ORDER"
    ORDER_UPDATE = "ORDER_UPDATE"
    SHIPMENT_UPDATE = "SHIPMENT_UPDATE"
    ARTICLE_PUBLISHED = "ARTICLE_PUBLISHED"


@dataclass(frozen=True)
class NotifyRequest:
    """Who to tell what: recipients are user keys; `params` fill the kind's templates per locale.

    `group` keeps one thread's notifications together on a device (Android tag, APNs thread-id),
    e.g. "inquiry:<key>"; `push` is False for events that only create the in-app notification.

    `params` the templates read (push/templates.py): "party" (the other party's name), or
    "party_country" when a buyer has no name ("Buyer from DE"); "message" (a message's text, cut to
    120 grapheme clusters for the push); "number" (an order number), "status", "title" (an article).
    `event_key` is made once, when the request is built, and travels in the outbox payload: each
    recipient's notification key derives from it, so a re-run of the entry makes no duplicate.
    """

    kind: NotificationKind
    recipients: Sequence[str]
    target_type: str
    target_key: str
    group: str
    params: Mapping[str, str] = field(default_factory=dict)
    push: bool = True
    event_key: str = field(default_factory=lambda: secrets.token_hex(12))

    def to_payload(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "recipients": list(self.recipients),
            "target": {"type": self.target_type, "key": self.target_key},
            "group": self.group,
            "params": dict(self.params),
            "push": self.push,
            "event_key": self.event_key,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> NotifyRequest:
        return cls(
            kind=NotificationKind(payload["kind"]),
            recipients=tuple(payload["recipients"]),
            target_type=payload["target"]["type"],
            target_key=payload["target"]["key"],
            group=payload["group"],
            params=dict(payload.get("params", {})),
            push=bool(payload.get("push", True)),
            event_key=str(payload.get("event_key") or _content_key(payload)),
        )


def _content_key(payload: Mapping[str, Any]) -> str:
    """For payloads written without an event key: derived from their content, stable across re-runs."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]
