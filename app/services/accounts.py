"""Account use cases: signing in (first sight makes the account), profiles, deletion."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from app.domain.accounts import Account, ProfileChange, Role, apply_profile, check_profile, token_revoked
from app.domain.errors import Violation, forbidden, invalid
from app.services.transactions import OutboxRecorder, TransactionRunner, now_ms
from app.store.port import DuplicateKeyError
from app.store.repositories import Repositories

# Collections keyed by `user_key` that hold only the user's own data and go with the account.
PERSONAL_COLLECTIONS = ("devices", "saved", "follows", "interests", "notifications", "notification_settings")
ACCOUNT_CLOSED_CHANNEL = "account-closed"


def account_key(subject: str, previous: Account | None) -> str:
    """Derived rather than random, so that the concurrent first requests of one subject (an app's first
    screen sends several) all write the same `_id` and exactly one account is made; after a deletion
    the next account's key follows from the deleted one's."""
    seed = f"{subject}|{previous.key if previous is not None else ''}"
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


class RevokedToken(Exception):
    """The token was issued before its account was deleted."""


@dataclass(frozen=True)
class ProfileResult:
    account: Account | None
    violations: list[Violation]


class AccountService:
    def __init__(self, repos: Repositories, transactions: TransactionRunner) -> None:
        self._repos = repos
        self._transactions = transactions

    async def sign_in(self, subject: str, role: Role, supplier_key: str | None, issued_at: int) -> Account:
        """The live account of this subject, made on first sight; refuses tokens older than a deletion."""
        latest = await self._repos.accounts.latest_for_subject(subject)
        if token_revoked(latest, issued_at):
            raise RevokedToken(subject)
        if latest is not None and latest.deleted_at is None:
            if latest.role is role and latest.supplier_key == supplier_key:
                return latest
            updated = replace(latest, role=role, supplier_key=supplier_key)
            await self._repos.accounts.save(updated)
            return updated
        account = Account(
            key=account_key(subject, latest),
            subject=subject,
            role=role,
            supplier_key=supplier_key,
            display_name=None,
            country=None,
            locale=None,
            currency=None,
            created_at=now_ms(),
        )
        try:
            await self._repos.accounts.insert(account)
        except DuplicateKeyError:
            # A concurrent first request of this subject made the account: sign in to that one.
            return await self.sign_in(subject, role, supplier_key, issued_at)
        return account

    async def update_profile(self, account: Account, change: ProfileChange) -> ProfileResult:
        rates = await self._repos.rates.current()
        violations = check_profile(change, rates.keys())
        if violations:
            return ProfileResult(None, violations)

        async def write(_: OutboxRecorder) -> ProfileResult:
            # Applied to the account as it is now: a concurrent change of other fields is kept, and a
            # deletion that won the race is not undone.
            [current] = await self._repos.accounts.get_many([account.key])
            if current is None or current.deleted_at is not None:
                return ProfileResult(None, [forbidden("This account was deleted.")])
            updated = apply_profile(current, change)
            await self._repos.accounts.save(updated)
            return ProfileResult(updated, [])

        return await self._transactions.run(write)

    async def delete(self, account: Account, confirm: bool) -> list[Violation]:
        """Erases a buyer's personal data at once; orders and inquiries keep an anonymous buyer."""
        if account.role is not Role.BUYER:
            return [forbidden("Supplier and editor accounts are closed by the operator.")]
        if not confirm:
            return [invalid(("confirm",), "Pass confirm: true to delete the account for good.")]

        async def erase(outbox: OutboxRecorder) -> None:
            erased = replace(account, display_name=None, country=None, locale=None, currency=None)
            await self._repos.accounts.save(replace(erased, deleted_at=outbox.now))
            for name in PERSONAL_COLLECTIONS:
                await self._repos.database.collection(name).delete_many({"user_key": account.key})
            await outbox.add("broker.publish", {"channel": ACCOUNT_CLOSED_CHANNEL, "message": account.key})

        await self._transactions.run(erase)
        return []
