"""Keyset paging: `first`/`after` checked, cursors signed for their list and viewer, pageInfo built."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from app.context import Info
from app.domain.cursors import InvalidCursor, decode_cursor, encode_cursor
from app.schema.base import PageInfo
from app.schema.errors import bad_input

T = TypeVar("T")
MAX_FIRST = 100


@dataclass(frozen=True)
class PageRequest:
    """What a list field was asked for: how many, after which key, under which cursor scope."""

    first: int
    after: Any | None
    scope: str

    @property
    def fetch(self) -> int:
        """One more than asked, to know whether there is a next page."""
        return self.first + 1


def page_request(
    info: Info,
    field: str,
    first: int | None,
    after: str | None,
    *,
    default: int,
    personal: bool,
    args: Sequence[object] = (),
) -> PageRequest:
    """`personal` lists bind cursors to the viewer; public ones bind to no one, so cached pages work."""
    count = default if first is None else first
    if count < 0 or count > MAX_FIRST:
        raise bad_input(f"`first` must be between 0 and {MAX_FIRST}; got {count}.")
    viewer = info.context.viewer_scope if personal else "-"
    scope = "|".join([field, viewer, *(repr(a) for a in args)])
    key = None
    if after is not None:
        try:
            key = decode_cursor(after, scope, info.context.ports.cursor_secret)
        except InvalidCursor:
            raise bad_input("The `after` cursor was not issued for this list.") from None
    return PageRequest(count, key, scope)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of items with their cursors, and the pageInfo the connection shows."""

    items: list[T]
    cursors: list[str]
    page_info: PageInfo


def build_page(info: Info, request: PageRequest, fetched: Sequence[T], key_of: Callable[[T], Any]) -> Page[T]:
    """`fetched` holds up to `request.fetch` items after the cursor, in order."""
    items = list(fetched[: request.first])
    secret = info.context.ports.cursor_secret
    cursors = [encode_cursor(key_of(item), request.scope, secret) for item in items]
    page_info = PageInfo(
        has_next_page=len(fetched) > request.first,
        has_previous_page=request.after is not None,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1]
        if cursors
        else (encode_cursor(request.after, request.scope, secret) if request.after is not None else None),
    )
    return Page(items, cursors, page_info)
