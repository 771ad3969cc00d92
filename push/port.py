"""The push port: what the notification dispatcher hands to a push provider, and what it gets back.

A `PushSender` takes a batch of `PushMessage`s (one per notification x device) and answers one
`SendResult` per message, in input order. It never raises for a per-message failure: each
message's fate is one of four `SendOutcome`s, and the caller acts on it:

- `SENT`: the provider accepted the message (`provider_message_id` is its id).
- `DROP_ADDRESS`: the address is dead for good (FCM `UNREGISTERED`, `SENDER_ID_MISMATCH`, or an
  `INVALID_ARGUMENT` that names the registration token / installation id): remove the device.
- `RETRY`: a transient failure (HTTP 429, 5xx, timeout, network error): send again later, not
  before `retry_after_seconds` when the provider said so (`Retry-After`).
- `FAILED`: any other error (e.g. an `INVALID_ARGUMENT` about our payload: our bug). Logged, the
  device is kept, the message is not retried.

Senders split a batch themselves into provider calls of at most `MAX_BATCH` (500) messages.

Addresses (FCM registration tokens, Firebase installation ids) are secrets: log them only through
`redact()` (a short prefix and the length), never in full.

Implementations: `push.log_sender.LogPushSender` (`log://`: records, sends nothing) and
`push.fcm_sender.FcmPushSender` (Firebase Cloud Messaging HTTP v1 through firebase-admin).
`open_push_sender(url)` builds one from a setting such as `log://` or `fcm://PROJECT_ID`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

AddressKind = Literal["token", "fid"]
Platform = Literal["ANDROID", "IOS", "WEB"]

# FCM allows at most 500 messages in one send_each call.
MAX_BATCH = 500


@dataclass(frozen=True)
class PushMessage:
    delivery_key: str
    """Unique per notification + device: the caller's key to match results and deduplicate."""
    address: str
    """FCM registration token or Firebase installation id (a secret: see `redact`)."""
    address_kind: AddressKind
    title: str
    body: str
    data: Mapping[str, str] = field(default_factory=dict)
    """String data for the app; includes kind, notificationId, targetId."""
    group: str = ""
    """Groups notifications on the device: Android `notification.tag`, APNs `thread-id`
    (not FCM's collapse_key). Empty: no grouping."""
    badge: int | None = None
    """iOS app badge count; None leaves the badge unchanged."""
    platform: Platform = "ANDROID"

    def __repr__(self) -> str:  # never print the address in full
        return (
            f"PushMessage(delivery_key={self.delivery_key!r}, address={redact(self.address)}, "
            f"address_kind={self.address_kind!r}, platform={self.platform!r})"
        )


class SendOutcome(enum.StrEnum):
    SENT = "SENT"
    DROP_ADDRESS = "DROP_ADDRESS"
    RETRY = "RETRY"
    FAILED = "FAILED"


@dataclass(frozen=True)
class SendResult:
    delivery_key: str
    outcome: SendOutcome
    provider_message_id: str | None = None
    """For SENT: the provider's id, e.g. "projects/P/messages/123"."""
    retry_after_seconds: float | None = None
    """For RETRY: the provider's Retry-After in seconds, when it gave one."""
    error_code: str | None = None
    """For the other outcomes: a short code, e.g. UNREGISTERED, INVALID_ARGUMENT, UNAVAILABLE."""
    detail: str | None = None
    """For the other outcomes: a human-readable reason (addresses redacted)."""

    @property
    def ok(self) -> bool:
        return self.outcome is SendOutcome.SENT


class PushSender(Protocol):
    async def send(self, messages: Sequence[PushMessage]) -> list[SendResult]:
        """One result per message, in input order. Raises only for misuse (e.g. after close)."""
        ...

    async def close(self) -> None: ...


def redact(address: str) -> str:
    """A loggable stand-in for a secret address: a short prefix (at most 6 characters, at most a
    quarter of it) and its length."""
    return f"{address[: min(6, len(address) // 4)]}…(len={len(address)})"


def batches(messages: Sequence[PushMessage], size: int = MAX_BATCH) -> list[Sequence[PushMessage]]:
    """Splits messages into consecutive chunks of at most `size`."""
    if size < 1:
        raise ValueError("batch size must be >= 1")
    return [messages[i : i + size] for i in range(0, len(messages), size)]


def open_push_sender(url: str, *, fcm_endpoint: str | None = None) -> PushSender:
    """Builds a sender from a URL-like setting.

    - `log://`: `LogPushSender` (records deliveries in memory and logs them; sends nothing).
    - `fcm://PROJECT_ID`: `FcmPushSender` for that Firebase project; `fcm_endpoint` (FCM_ENDPOINT)
      points it at another base URL such as a local test server.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(f"push sender URL needs a scheme (log:// or fcm://PROJECT): {url!r}")
    if scheme == "log":
        from push.log_sender import LogPushSender

        return LogPushSender()
    if scheme == "fcm":
        project_id = rest.strip("/")
        if not project_id:
            raise ValueError("fcm:// push sender URL needs a project id: fcm://PROJECT_ID")
        from push.fcm_sender import open_fcm_sender

        return open_fcm_sender(project_id, fcm_endpoint)
    raise ValueError(f"unknown push sender scheme {scheme!r} (expected log:// or fcm://)")
