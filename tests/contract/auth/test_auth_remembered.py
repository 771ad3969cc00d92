"""RememberedVerifier: a token that verified is answered from memory until its `exp`, nothing else is."""

from __future__ import annotations

import time

import pytest

from app.auth import Identity, InvalidToken, Role
from app.auth.local import LocalVerifier, issue_local_token
from app.auth.remembered import RememberedVerifier

SECRET = "remembered-test-secret-long-enough-for-hs256"
NOW = int(time.time())


class Counted:
    """The real local verifier, counting how often it is asked."""

    def __init__(self) -> None:
        self.asked = 0
        self._local = LocalVerifier(SECRET)

    async def verify(self, token: str) -> Identity:
        self.asked += 1
        return await self._local.verify(token)


class Clock:
    def __init__(self) -> None:
        self.now = float(NOW)

    def __call__(self) -> float:
        return self.now


def _token(subject: str = "buyer-1", ttl: int = 600) -> str:
    return issue_local_token(SECRET, subject, Role.BUYER, ttl_seconds=ttl, now=NOW)


async def test_a_verified_token_is_answered_from_memory_until_it_expires() -> None:
    inner, clock = Counted(), Clock()
    verifier = RememberedVerifier(inner, clock=clock)
    token = _token(ttl=600)
    first = await verifier.verify(token)
    assert await verifier.verify(token) == first
    assert inner.asked == 1
    clock.now = NOW + 600
    assert await verifier.verify(token) == first  # the verifier's own leeway still admits it
    assert inner.asked == 2


async def test_a_refused_token_is_refused_every_time() -> None:
    inner = Counted()
    verifier = RememberedVerifier(inner)
    forged = issue_local_token("another-secret-that-is-long-enough-too", "buyer-1", Role.BUYER)
    for _ in range(2):
        with pytest.raises(InvalidToken, match="bad signature"):
            await verifier.verify(forged)
    assert inner.asked == 2


async def test_the_least_recently_used_token_goes_first_when_full() -> None:
    inner = Counted()
    verifier = RememberedVerifier(inner, size=2)
    first, second, third = _token("a"), _token("b"), _token("c")
    for token in (first, second, first, third):
        await verifier.verify(token)
    assert inner.asked == 3
    await verifier.verify(first)
    assert inner.asked == 3
    await verifier.verify(second)
    assert inner.asked == 4
