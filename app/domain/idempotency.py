"""Idempotency keys: their format, the fingerprint of a request, and what a second request gets.

The contract (CONTRACT.md section 4): keys are scoped to the signed-in user and the mutation,
kept at least 24 hours, 8 to 128 characters of [A-Za-z0-9_-]. A replay with the same input
returns the stored result and causes nothing new; other input under the same key is CONFLICT
at ["input","idempotencyKey"]; an attempt that ended in userErrors stores nothing.

How a use case uses it (the store half is app/store/idempotency.py):

    violations = check_key(key)                      # INVALID at ["input","idempotencyKey"]
    digest = fingerprint({"productId": ..., ...})    # everything of the input except the key
    claim = await repos.idempotency.claim(user_key, "placeOrder", key, digest)
    if isinstance(claim, Replay):    -> load claim.result["order"] and return it (nothing new)
    if isinstance(claim, Conflict):  -> return [claim.violation]
    async with repos.idempotency.guarded(claim):      # releases the key unless completed
        ... check rules; on userErrors: return them (the key is free again)
        async def write(outbox):                      # run again from here after a write conflict
            ... writes, outbox entries
            await repos.idempotency.complete(claim, {"order": key}, outbox.now)
        await transactions.run(write)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from app.domain.errors import UserErrorCode, Violation, invalid

RETENTION_MS = 24 * 3600 * 1000
"""How long a completed key answers replays (the contract's minimum)."""
LEASE_MS = 30_000
"""How long a claim holds the key before another request may take it over (its holder died)."""
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
KEY_FIELD = ("input", "idempotencyKey")


def check_key(key: str, field: tuple[str, ...] = KEY_FIELD) -> list[Violation]:
    if KEY_PATTERN.fullmatch(key) is None:
        return [invalid(field, "An idempotency key is 8 to 128 characters of A-Z, a-z, 0-9, _ and -.")]
    return []


def fingerprint(request: Mapping[str, Any]) -> str:
    """A stable digest of a request's input (keys sorted; values JSON, Decimals as strings)."""
    text = orjson.dumps(request, option=orjson.OPT_SORT_KEYS, default=str)
    return hashlib.sha256(text).hexdigest()


@dataclass(frozen=True)
class Claim:
    """This request owns the key: it does the work, then completes or releases the claim."""

    doc_key: str
    token: str


@dataclass(frozen=True)
class Replay:
    """The key was used with the same input and completed: answer with its stored result."""

    result: Mapping[str, Any]


@dataclass(frozen=True)
class Conflict:
    violation: Violation


def conflict(field: tuple[str, ...] = KEY_FIELD) -> Conflict:
    message = "This idempotency key was already used with other input; use a new key for a new request."
    return Conflict(Violation(UserErrorCode.CONFLICT, field, message))


ClaimOutcome = Claim | Replay | Conflict


def decide(
    stored_fingerprint: str, stored_result: Mapping[str, Any] | None, wanted: str
) -> Replay | Conflict | None:
    """What a request gets from a key already held: None means the holder has not finished yet."""
    if stored_fingerprint != wanted:
        return conflict()
    if stored_result is None:
        return None
    return Replay(stored_result)
