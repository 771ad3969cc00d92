"""The per-request context: viewer, locale, currency, loaders, services and ports."""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry

from app.domain.accounts import Account, Role
from app.loaders import Loaders
from app.ports import Ports
from app.schema.errors import unauthenticated
from app.services.container import Services
from app.settings import Settings
from app.stats import RequestStats


@dataclass
class Context:
    settings: Settings
    ports: Ports
    services: Services
    viewer: Account | None
    locale: str
    currency: str
    request_id: str
    client_key: str
    stats: RequestStats | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.ports.repos)

    def require_viewer(self) -> Account:
        if self.viewer is None:
            raise unauthenticated()
        return self.viewer

    def viewer_is(self, role: Role) -> bool:
        return self.viewer is not None and self.viewer.role is role

    @property
    def viewer_scope(self) -> str:
        """What binds a personal cursor to its viewer (anonymous cursors bind to no one)."""
        return self.viewer.key if self.viewer is not None else "-"


Info = strawberry.Info[Context, None]
