"""Verticals: the industries buyers browse, named after HS headings of real export categories."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.locales import pick_text
from app.domain.media import StoredImage


@dataclass(frozen=True)
class Vertical:
    key: str
    slug: str
    names: dict[str, str]
    hs_headings: tuple[str, ...]
    position: int
    cover: StoredImage | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def name(self, locale: str) -> str:
        return pick_text(self.names, locale)
