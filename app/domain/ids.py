"""Global ids: opaque, URL-safe encodings of a type name and the store's key."""

from __future__ import annotations

import base64
import binascii

NODE_TYPES = frozenset(
    {
        "Vertical",
        "Product",
        "Supplier",
        "Article",
        "Order",
        "Shipment",
        "Inquiry",
        "InquiryMessage",
        "Notification",
        "Viewer",
        "Device",
    }
)


class InvalidGlobalId(ValueError):
    """The text is not an id this service issued."""


def to_global_id(type_name: str, key: str) -> str:
    raw = f"{type_name}:{key}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def from_global_id(global_id: str) -> tuple[str, str]:
    """Returns (type name, key); raises InvalidGlobalId for anything else."""
    if not global_id or len(global_id) > 200:
        raise InvalidGlobalId(global_id)
    padded = global_id + "=" * (-len(global_id) % 4)
    try:
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode()
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidGlobalId(global_id) from None
    type_name, sep, key = text.partition(":")
    if not sep or not key or type_name not in NODE_TYPES:
        raise InvalidGlobalId(global_id)
    return type_name, key


def key_of(global_id: str, expected_type: str) -> str | None:
    """The key of a global id of the expected type, or None for any other id."""
    try:
        type_name, key = from_global_id(global_id)
    except InvalidGlobalId:
        return None
    return key if type_name == expected_type else None
