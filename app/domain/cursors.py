"""Signed keyset cursors: a sort key bound to the field, its arguments and the viewer."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Any

import orjson

_MAC_BYTES = 12


class InvalidCursor(ValueError):
    """A cursor this service did not issue for this field, these arguments and this viewer."""


def encode_cursor(key: Any, scope: str, secret: bytes) -> str:
    """`scope` names the field, its arguments other than first/after, and the viewer (or none)."""
    payload = orjson.dumps(key)
    mac = _mac(payload, scope, secret)
    return base64.urlsafe_b64encode(mac + payload).decode().rstrip("=")


def decode_cursor(cursor: str, scope: str, secret: bytes) -> Any:
    if len(cursor) > 2048:
        raise InvalidCursor("cursor too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        raise InvalidCursor("not a cursor") from None
    mac, payload = raw[:_MAC_BYTES], raw[_MAC_BYTES:]
    if len(mac) < _MAC_BYTES or not hmac.compare_digest(mac, _mac(payload, scope, secret)):
        raise InvalidCursor("cursor not issued for this list")
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError:
        raise InvalidCursor("not a cursor") from None


def _mac(payload: bytes, scope: str, secret: bytes) -> bytes:
    return hmac.new(secret, scope.encode() + b"\x00" + payload, hashlib.sha256).digest()[:_MAC_BYTES]
