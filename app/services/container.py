"""Services: every use case, built once at start over the repositories and the ports."""

from __future__ import annotations

from dataclasses import dataclass

from app.ports import Ports
from app.services.accounts import AccountService
from app.services.interests import InterestService
from app.services.transactions import TransactionRunner


@dataclass(frozen=True)
class Services:
    accounts: AccountService
    interests: InterestService

    @classmethod
    def build(cls, ports: Ports) -> Services:
        transactions = TransactionRunner(ports.repos, ports.wake_dispatcher)
        return cls(
            accounts=AccountService(ports.repos, transactions),
            interests=InterestService(ports.repos.database),
        )
