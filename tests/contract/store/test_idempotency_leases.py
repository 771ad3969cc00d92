"""Idempotency claims on both engines: a holder at work keeps its key past one lease, a dead holder's
key is taken over, and a holder that lost its key cannot complete it."""

from __future__ import annotations

import asyncio
import time

import pytest

from app.domain.idempotency import Claim, Replay
from app.store.idempotency import IdempotencyRepository, LostClaim
from app.store.port import Database

LEASE_MS = 300


async def claimed(repository: IdempotencyRepository) -> Claim:
    claim = await repository.claim("user-1", "placeOrder", "key-12345", "fingerprint")
    assert isinstance(claim, Claim)
    return claim


async def complete(database: Database, repository: IdempotencyRepository, claim: Claim) -> None:
    async with database.transaction():
        await repository.complete(claim, {"order": "o-1"}, int(time.time() * 1000))


async def test_a_holder_still_at_work_keeps_its_key_past_its_first_lease(database: Database) -> None:
    # given a claim whose holder is working (it renews the lease)
    repository = IdempotencyRepository(database, lease_ms=LEASE_MS)
    claim = await claimed(repository)
    async with repository.guarded(claim):
        # when a second request waits longer than one lease
        second = asyncio.create_task(repository.claim("user-1", "placeOrder", "key-12345", "fingerprint"))
        await asyncio.sleep(1.5 * LEASE_MS / 1000)
        # then it has not taken the key over, and gets the holder's result once it completes
        assert not second.done()
        await complete(database, repository, claim)
    assert await second == Replay({"order": "o-1"})


async def test_a_dead_holders_key_is_taken_over_and_its_late_completion_is_refused(
    database: Database,
) -> None:
    # given a claim whose holder died (nothing renews it)
    repository = IdempotencyRepository(database, lease_ms=LEASE_MS)
    dead = await claimed(repository)
    await asyncio.sleep(1.2 * LEASE_MS / 1000)
    # when another request asks for the key
    taken = await claimed(repository)
    # then it holds it now, and the old holder, should it wake up, cannot complete
    assert taken.token != dead.token
    with pytest.raises(LostClaim):
        await complete(database, repository, dead)
    await complete(database, repository, taken)
