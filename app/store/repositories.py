"""Repositories: every repository of one database, built once at start."""

from __future__ import annotations

from dataclasses import dataclass

from app.store.accounts import AccountRepository
from app.store.outbox import OutboxRepository
from app.store.port import Database
from app.store.rates import RateRepository
from app.store.verticals import VerticalRepository


@dataclass(frozen=True)
class Repositories:
    database: Database
    accounts: AccountRepository
    verticals: VerticalRepository
    outbox: OutboxRepository
    rates: RateRepository

    @classmethod
    def over(cls, database: Database) -> Repositories:
        return cls(
            database=database,
            accounts=AccountRepository(database),
            verticals=VerticalRepository(database),
            outbox=OutboxRepository(database),
            rates=RateRepository(database),
        )

    async def ensure_indexes(self) -> None:
        for repository in (self.accounts, self.verticals, self.outbox, self.rates):
            await repository.ensure_indexes()
