"""feed, trending and trackEvents: read the arguments, call the feed, trending or event service."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import strawberry

from app.context import Info
from app.domain.accounts import Role
from app.domain.articles import visible_to_public
from app.domain.events import MAX_EVENTS
from app.domain.feeds import FeedItem, ItemKind
from app.domain.ids import key_of
from app.domain.trending import TrendKind as DomainTrendKind
from app.schema.articles.types import Article
from app.schema.base import user_errors
from app.schema.errors import bad_input
from app.schema.feeds import (
    FeedConnection,
    FeedEdge,
    FeedReason,
    TrackEventInput,
    TrackEventsPayload,
    TrendEntry,
    TrendKind,
)
from app.schema.paging import MAX_FIRST, build_page, page_request
from app.schema.products import load_products
from app.schema.suppliers import load_suppliers
from app.services.feeds import CursorExpired, FeedViewer
from app.services.transactions import now_ms

DEFAULT_FEED = 20
DEFAULT_TRENDING = 10


@dataclass(frozen=True)
class Shown:
    item: FeedItem
    node: Any
    key: list[str | int]


async def _vertical_key(info: Info, vertical: strawberry.ID | None) -> str | None:
    """None for every vertical; an id that names no vertical is a client bug, so BAD_USER_INPUT."""
    if vertical is None:
        return None
    key = key_of(vertical, "Vertical")
    if key is None or await info.context.loaders.vertical_by_key.load(key) is None:
        raise bad_input("`vertical` is not the id of a vertical.")
    return key


def _after_key(after: Any) -> tuple[str, int] | None:
    if after is None:
        return None
    match after:
        case [str(snapshot), int(position)]:
            return snapshot, position
    raise bad_input("The `after` cursor was not issued for this list.")


async def _nodes(info: Info, items: list[FeedItem]) -> dict[tuple[ItemKind, str], Any]:
    """Every node of a page in one batch per type, through the request's DataLoaders."""
    of = {kind: [i.key for i in items if i.kind is kind] for kind in ItemKind}
    products, articles = await asyncio.gather(
        load_products(info, of[ItemKind.PRODUCT]),
        info.context.loaders.article_by_key.load_many(of[ItemKind.ARTICLE]),
    )
    # The products' suppliers (their cards show them) go in the supplier nodes' batch: one store read.
    suppliers, _ = await asyncio.gather(
        load_suppliers(info, of[ItemKind.SUPPLIER]),
        info.context.loaders.supplier_by_key.load_many([p.domain.supplier_key for p in products if p]),
    )
    found: dict[tuple[ItemKind, str], Any] = {}
    found.update(((ItemKind.PRODUCT, k), p) for k, p in zip(of[ItemKind.PRODUCT], products, strict=True) if p)
    found.update(
        ((ItemKind.SUPPLIER, k), s) for k, s in zip(of[ItemKind.SUPPLIER], suppliers, strict=True) if s
    )
    for key, article in zip(of[ItemKind.ARTICLE], articles, strict=True):
        # An article unpublished since the snapshot was taken leaves the feed.
        if article is not None and visible_to_public(article):
            found[ItemKind.ARTICLE, key] = Article.from_domain(article, info.context.locale)
    return found


@strawberry.type
class FeedQuery:
    @strawberry.field
    async def feed(
        self,
        info: Info,
        vertical: strawberry.ID | None = None,
        first: int | None = DEFAULT_FEED,
        after: str | None = None,
    ) -> FeedConnection:
        vertical_key = await _vertical_key(info, vertical)
        request = page_request(
            info, "feed", first, after, default=DEFAULT_FEED, personal=True, args=[vertical_key]
        )
        account = info.context.viewer
        buyer_key = account.key if account is not None and account.role is Role.BUYER else None
        viewer = FeedViewer(buyer_key, buyer_key or "-")
        try:
            page = await info.context.services.feeds.page(
                viewer,
                vertical_key,
                request.fetch,
                _after_key(request.after),
                info.context.loaders.supplier_by_key.load_many,
                now_ms(),
            )
        except CursorExpired:
            raise bad_input(
                "This feed cursor has expired; load the first page again.", reason="CURSOR_EXPIRED"
            ) from None
        nodes = await _nodes(info, page.items)
        shown = [
            Shown(item, nodes[item.kind, item.key], key)
            for item, key in zip(page.items, page.keys, strict=True)
            if (item.kind, item.key) in nodes
        ]
        built = build_page(info, request, shown, lambda s: s.key)
        locale = info.context.locale
        edges = [
            FeedEdge(cursor=cursor, node=s.node, reason=FeedReason.from_domain(s.item.reason, locale))
            for s, cursor in zip(built.items, built.cursors, strict=True)
        ]
        return FeedConnection(edges=edges, page_info=built.page_info)

    @strawberry.field
    async def trending(
        self,
        info: Info,
        vertical: strawberry.ID | None = None,
        kind: TrendKind | None = TrendKind.HOT,
        first: int | None = DEFAULT_TRENDING,
    ) -> list[TrendEntry]:
        count = DEFAULT_TRENDING if first is None else first
        if not 0 <= count <= MAX_FIRST:
            raise bad_input(f"`first` must be between 0 and {MAX_FIRST}; got {count}.")
        vertical_key = await _vertical_key(info, vertical)
        chosen = DomainTrendKind((kind or TrendKind.HOT).value)
        trends = await info.context.services.trending.products(vertical_key, chosen, count, now_ms())
        products = await load_products(info, [t.key for t in trends])
        return [
            TrendEntry(product=p, score=t.score, growth=t.growth)
            for t, p in zip(trends, products, strict=True)
            if p is not None
        ]


@strawberry.type
class FeedMutation:
    @strawberry.mutation
    async def track_events(self, info: Info, events: list[TrackEventInput]) -> TrackEventsPayload:
        """Anonymous events count toward trending and article stats; a buyer's also move interests."""
        if len(events) > MAX_EVENTS:
            raise bad_input(f"trackEvents takes at most {MAX_EVENTS} events; got {len(events)}.")
        account = info.context.viewer
        buyer_key = account.key if account is not None and account.role is Role.BUYER else None
        result = await info.context.services.events.track(
            info.context.client_key, buyer_key, [e.to_domain() for e in events], now_ms()
        )
        return TrackEventsPayload(accepted=result.accepted, user_errors=user_errors(result.violations))
