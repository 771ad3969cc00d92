"""IdempotencyRepository: claim-then-complete records of idempotency keys (one document per key).

API (the rules and a usage sketch are in app/domain/idempotency.py):

- `claim(user_key, scope, key, fingerprint)` -> Claim | Replay | Conflict. The document's `_id`
  is (scope, user, key), so of two concurrent requests exactly one inserts it and gets the Claim;
  the other waits (polling) until the holder completes (Replay, or Conflict for other input) or
  releases it (then it claims in turn). A claim whose holder died is taken over after its lease
  (the holder renews it while alive, see `guarded`); a completed key older than its retention is
  treated as unused. A takeover is a compare-and-set on the token and status it saw, so it never
  overwrites a completion that landed in between.
- `complete(claim, result, now)`: call INSIDE the transaction of the work, so the stored result
  exists exactly when the work does. `result` is a small JSON dict (e.g. {"order": key}): a
  replay loads the object afresh and resolves its selection on it. It is a conditional update
  on this claim's token: raises LostClaim (rolling the transaction back) if the key was taken
  over before the transaction's snapshot, and a takeover after it is a write conflict there.
- `release(claim)`: the attempt ended in userErrors or failed; the key is free again.
- `async with guarded(claim):` around the attempt renews the lease while the attempt runs (a slow
  holder is not mistaken for a dead one) and releases the claim on every way out that did not
  complete it (userErrors returned, an exception), so a use case cannot forget to.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from app.domain.idempotency import LEASE_MS, RETENTION_MS, Claim, ClaimOutcome, decide
from app.store.port import Collection, Database, Document, DuplicateKeyError

PENDING = "pending"
DONE = "done"
POLL_SECONDS = 0.05


class LostClaim(Exception):
    """The claim's lease ran out and another request took the key over."""


def _now() -> int:
    return int(time.time() * 1000)


class IdempotencyRepository:
    def __init__(self, database: Database, lease_ms: int = LEASE_MS) -> None:
        self._keys: Collection = database.collection("idempotency")
        self._lease_ms = lease_ms

    async def ensure_indexes(self) -> None:
        await self._keys.create_index([("expires_at", 1)])

    async def claim(self, user_key: str, scope: str, key: str, fingerprint: str) -> ClaimOutcome:
        doc_key = f"{scope}|{user_key}|{key}"
        deadline = time.monotonic() + 2 * self._lease_ms / 1000
        while True:
            token = secrets.token_hex(8)
            fresh = self._fresh(doc_key, user_key, scope, fingerprint, token)
            try:
                await self._keys.insert_one(fresh)
                return Claim(doc_key, token)
            except DuplicateKeyError:
                pass
            held = await self._keys.find_one({"_id": doc_key})
            if held is None:
                continue
            if self._abandoned(held):
                replaced = {k: v for k, v in fresh.items() if k != "_id"}
                seen = {"_id": doc_key, "token": held["token"], "status": held["status"]}
                if await self._keys.update_one(seen, {"$set": replaced}):
                    return Claim(doc_key, token)
                continue
            outcome = decide(
                held["fingerprint"], held.get("result") if held["status"] == DONE else None, fingerprint
            )
            if outcome is not None:
                return outcome
            if time.monotonic() > deadline:
                raise TimeoutError(f"idempotency key {doc_key} stayed pending")
            await asyncio.sleep(POLL_SECONDS)

    async def complete(self, claim: Claim, result: Mapping[str, Any], now: int) -> None:
        done = {"status": DONE, "result": dict(result), "expires_at": now + RETENTION_MS}
        if not await self._keys.update_one({"_id": claim.doc_key, "token": claim.token}, {"$set": done}):
            raise LostClaim(claim.doc_key)

    async def release(self, claim: Claim) -> None:
        await self._keys.delete_one({"_id": claim.doc_key, "token": claim.token, "status": PENDING})

    @asynccontextmanager
    async def guarded(self, claim: Claim) -> AsyncIterator[None]:
        """A completed claim is kept (only a pending one of this token is deleted)."""
        renewing = asyncio.create_task(self._renew(claim))
        try:
            yield
        finally:
            renewing.cancel()
            # A renewal that failed (the store is down) only let the lease run: the attempt's outcome stands.
            await asyncio.gather(renewing, return_exceptions=True)
            await self.release(claim)

    async def _renew(self, claim: Claim) -> None:
        """Pushes the lease forward at a third of its length, until the claim is no longer pending."""
        pending = {"_id": claim.doc_key, "token": claim.token, "status": PENDING}
        while True:
            await asyncio.sleep(self._lease_ms / 3000)
            if not await self._keys.update_one(pending, {"$set": {"lease_until": _now() + self._lease_ms}}):
                return

    def _fresh(self, doc_key: str, user_key: str, scope: str, fingerprint: str, token: str) -> Document:
        now = _now()
        return {
            "_id": doc_key,
            "user_key": user_key,
            "scope": scope,
            "fingerprint": fingerprint,
            "token": token,
            "status": PENDING,
            "result": None,
            "lease_until": now + self._lease_ms,
            "expires_at": now + RETENTION_MS,
        }

    @staticmethod
    def _abandoned(doc: Document) -> bool:
        now = _now()
        if doc["status"] == DONE:
            return bool(doc["expires_at"] < now)
        return bool(doc["lease_until"] < now)
