"""Verticals: the industries, and their node lookup."""

from __future__ import annotations

import strawberry

from app.context import Info
from app.schema.verticals import Vertical


@strawberry.type
class VerticalQuery:
    @strawberry.field
    async def verticals(self, info: Info) -> list[Vertical]:
        found = await info.context.ports.repos.verticals.all()
        return [Vertical.from_domain(v, info.context.locale) for v in found]


async def vertical_node(info: Info, key: str) -> Vertical | None:
    found = await info.context.loaders.vertical_by_key.load(key)
    return Vertical.from_domain(found, info.context.locale) if found is not None else None
