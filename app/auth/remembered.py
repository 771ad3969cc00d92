"""Verified tokens remembered until they expire.

An app sends the same ID token with every request for up to an hour; checking its signature again
each time (HMAC for local tokens, RSA for Firebase's) was 3 to 5% of a signed-in request's CPU.
Only tokens that verified are remembered, each until its `exp` (the verifier's leeway past it is
left to the verifier), so a bad or expired token is refused exactly as before. Revocation is not
the verifier's job here: a deleted account's tokens are refused at sign-in, after this.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from app.auth.port import Identity, TokenVerifier

REMEMBERED = 10_000
"""Tokens kept, least recently used out first: a few MiB at most."""


class RememberedVerifier:
    def __init__(
        self, inner: TokenVerifier, size: int = REMEMBERED, clock: Callable[[], float] = time.time
    ) -> None:
        self._inner = inner
        self._size = size
        self._clock = clock
        self._known: OrderedDict[str, Identity] = OrderedDict()

    async def verify(self, token: str) -> Identity:
        known = self._known.get(token)
        if known is not None and self._clock() < known.expires_at:
            self._known.move_to_end(token)
            return known
        identity = await self._inner.verify(token)
        self._known[token] = identity
        self._known.move_to_end(token)
        if len(self._known) > self._size:
            self._known.popitem(last=False)
        return identity
