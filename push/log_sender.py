"""`log://` push sender: records each delivery in memory and logs one line; sends nothing.

Every message is SENT, with a made-up provider id `log/N`. Tests (and a developer running the
app without Firebase) read `sender.sent` to see what would have been pushed.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from push.port import PushMessage, SendOutcome, SendResult, redact

logger = logging.getLogger("push.log")


@dataclass(frozen=True)
class LoggedPush:
    message: PushMessage
    provider_message_id: str
    at: float
    """time.time() when it was "sent"."""


class LogPushSender:
    def __init__(self, *, max_kept: int | None = 10_000) -> None:
        """`max_kept` bounds the memory record (oldest entries go first); None keeps all."""
        self.sent: list[LoggedPush] = []
        self.calls: list[int] = []
        """Size of each send() call, in order."""
        self._max_kept = max_kept
        self._ids = itertools.count(1)
        self._closed = False

    async def send(self, messages: Sequence[PushMessage]) -> list[SendResult]:
        if self._closed:
            raise RuntimeError("LogPushSender is closed")
        self.calls.append(len(messages))
        results: list[SendResult] = []
        now = time.time()
        for message in messages:
            message_id = f"log/{next(self._ids)}"
            self.sent.append(LoggedPush(message, message_id, now))
            logger.info(
                "push (log) %s to %s %s [%s]: %r / %r group=%r badge=%s data=%s",
                message.delivery_key,
                message.address_kind,
                redact(message.address),
                message.platform,
                message.title,
                message.body,
                message.group,
                message.badge,
                dict(message.data),
            )
            results.append(SendResult(message.delivery_key, SendOutcome.SENT, message_id))
        if self._max_kept is not None and len(self.sent) > self._max_kept:
            del self.sent[: len(self.sent) - self._max_kept]
        return results

    def clear(self) -> None:
        self.sent.clear()
        self.calls.clear()

    async def close(self) -> None:
        self._closed = True
