"""Repositories: every repository of one database, built once at start."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.store.accounts import AccountRepository
from app.store.interests import InterestRepository
from app.store.notifications import NotificationRepository
from app.store.outbox import OutboxRepository
from app.store.port import Database
from app.store.rates import RateRepository
from app.store.verticals import VerticalRepository


class Indexed(Protocol):
    async def ensure_indexes(self) -> None: ...


@dataclass(frozen=True)
class Repositories:
    database: Database
    accounts: AccountRepository
    verticals: VerticalRepository
    outbox: OutboxRepository
    rates: RateRepository
    interests: InterestRepository
    notifications: NotificationRepository

    @classmethod
    def over(cls, database: Database) -> Repositories:
        return cls(
            database=database,
            accounts=AccountRepository(database),
            verticals=VerticalRepository(database),
            outbox=OutboxRepository(database),
            rates=RateRepository(database),
            interests=InterestRepository(database),
            notifications=NotificationRepository(database),
        )

    async def ensure_indexes(self) -> None:
        for repository in self.all():
            await repository.ensure_indexes()

    def all(self) -> list[Indexed]:
        return [value for value in self.__dict__.values() if hasattr(value, "ensure_indexes")]
