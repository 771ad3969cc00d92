"""Vertical: an industry with its HS headings, named in the viewer's language."""

from __future__ import annotations

import strawberry

from app.domain.ids import to_global_id
from app.domain.verticals import Vertical as DomainVertical
from app.schema.base import Image, Node


@strawberry.type
class Vertical(Node):
    id: strawberry.ID
    slug: str
    name: str
    hs_headings: list[str]
    cover_image: Image | None

    @classmethod
    def from_domain(cls, vertical: DomainVertical, locale: str) -> Vertical:
        return cls(
            id=strawberry.ID(to_global_id("Vertical", vertical.key)),
            slug=vertical.slug,
            name=vertical.name(locale),
            hs_headings=list(vertical.hs_headings),
            cover_image=Image.maybe(vertical.cover),
        )
