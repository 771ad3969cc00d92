"""Inquiry use cases: opening a thread, replying, reading, muting, closing, reporting and blocking."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

from app.domain.accounts import Account, Role
from app.domain.errors import Violation, forbidden, not_found
from app.domain.idempotency import Claim, Conflict, Replay, check_key, fingerprint
from app.domain.inquiries import (
    DAY_MS,
    RESPONSE_WINDOW_MS,
    Inquiry,
    InquiryStatus,
    Message,
    Side,
    after_message,
    blocked_violation,
    check_daily_quota,
    check_details,
    check_message,
    check_quantity,
    response_stats,
    side_of,
)
from app.domain.notifications import NOTIFY, NotificationKind, NotifyRequest
from app.domain.products import Product
from app.services.indexing import SEARCH_INDEX, index_entry
from app.services.interests import InterestService, Signal
from app.services.transactions import OutboxRecorder, TransactionRunner
from app.store.reports import Report
from app.store.repositories import Repositories

T = TypeVar("T")
MESSAGE_ADDED = "inquiry-messages:{key}"


def message_channel(inquiry_key: str) -> str:
    """The broker channel of `inquiryMessageAdded` for one thread."""
    return MESSAGE_ADDED.format(key=inquiry_key)


@dataclass(frozen=True)
class SendCommand:
    product_key: str | None
    message: str
    quantity: int | None
    idempotency_key: str


@dataclass(frozen=True)
class ReplyCommand:
    inquiry_key: str | None
    body: str
    idempotency_key: str


@dataclass(frozen=True)
class ReportCommand:
    inquiry_key: str | None
    reason: str
    details: str | None
    block: bool


@dataclass(frozen=True)
class InquiryResult:
    inquiry: Inquiry | None
    message: Message | None
    violations: list[Violation]


def _failed(*violations: Violation) -> InquiryResult:
    return InquiryResult(None, None, list(violations))


def _message_key(now: int) -> str:
    return f"{now:013d}{secrets.token_hex(5)}"


class InquiryService:
    def __init__(
        self, repos: Repositories, transactions: TransactionRunner, interests: InterestService
    ) -> None:
        self._repos = repos
        self._transactions = transactions
        self._interests = interests

    async def visible(self, account: Account | None, key: str | None) -> tuple[Inquiry, Side] | None:
        """The thread and the viewer's side, or None when it does not exist or is not theirs."""
        if account is None or key is None:
            return None
        inquiry = await self._repos.inquiries.get(key)
        if inquiry is None:
            return None
        side = side_of(account.role.value, account.key, account.supplier_key, inquiry)
        return (inquiry, side) if side is not None else None

    async def send(self, account: Account, command: SendCommand) -> InquiryResult:
        if account.role is not Role.BUYER:
            return _failed(forbidden("Only buyers open inquiries."))
        violations = [
            *check_key(command.idempotency_key),
            *check_message(command.message, ("input", "message")),
            *check_quantity(command.quantity),
        ]
        found = await self._repos.products.get_many([command.product_key]) if command.product_key else [None]
        product = found[0]
        if product is None:
            violations.insert(0, not_found(("input", "productId"), "That product"))
        if violations or product is None:
            return _failed(*violations)
        request = {"productId": product.key, "message": command.message, "quantity": command.quantity}
        return await self._once(
            account,
            "sendInquiry",
            command.idempotency_key,
            request,
            lambda c: self._open(account, product, command, c),
        )

    async def reply(self, account: Account, command: ReplyCommand) -> InquiryResult:
        if account.role is Role.EDITOR:
            return _failed(forbidden("Editors do not take part in inquiries."))
        violations = [*check_key(command.idempotency_key), *check_message(command.body, ("input", "body"))]
        seen = await self.visible(account, command.inquiry_key)
        if seen is None:
            return _failed(not_found(("input", "inquiryId"), "That inquiry"), *violations)
        if violations:
            return _failed(*violations)
        inquiry, side = seen
        request = {"inquiryId": inquiry.key, "body": command.body}
        return await self._once(
            account,
            "replyToInquiry",
            command.idempotency_key,
            request,
            lambda c: self._reply(account, inquiry, side, command, c),
        )

    async def _once(
        self,
        account: Account,
        scope: str,
        key: str,
        request: Mapping[str, object],
        work: Callable[[Claim], Awaitable[InquiryResult]],
    ) -> InquiryResult:
        """Runs `work` once per idempotency key: a replay answers the stored thread and message."""
        claim = await self._repos.idempotency.claim(account.key, scope, key, fingerprint(request))
        if isinstance(claim, Conflict):
            return _failed(claim.violation)
        if isinstance(claim, Replay):
            inquiry = await self._repos.inquiries.get(str(claim.result["inquiry"]))
            messages = await self._repos.inquiries.messages_many([str(claim.result["message"])])
            return InquiryResult(inquiry, messages[0], [])
        async with self._repos.idempotency.guarded(claim):
            return await work(claim)

    async def _open(
        self, account: Account, product: Product, command: SendCommand, claim: Claim
    ) -> InquiryResult:
        async def write(outbox: OutboxRecorder) -> InquiryResult:
            # Read inside the transaction, so that a retry finds the thread a concurrent send opened (two
            # sends at once both write the buyer's interests: one of them retries).
            if Side.SUPPLIER in await self._repos.reports.blocked_sides(account.key, product.supplier_key):
                return _failed(blocked_violation())
            existing = await self._repos.inquiries.open_about(account.key, product.key)
            if existing is None:
                opened = await self._repos.inquiries.count_opened_since(account.key, outbox.now - DAY_MS)
                if quota := check_daily_quota(opened):
                    return _failed(*quota)
            inquiry = existing or self._new_thread(account, product, command, outbox.now)
            if existing is not None and command.quantity is not None:
                inquiry = replace(inquiry, requested_quantity=command.quantity)
            kind = NotificationKind.NEW_INQUIRY if existing is None else NotificationKind.BUYER_REPLIED
            inquiry, message = await self._write(
                outbox, account, inquiry, Side.BUYER, command.message, kind, claim
            )
            await self._interests.record(
                account.key, [Signal("INQUIRE", product.vertical_key, product.supplier_key, outbox.now)]
            )
            return InquiryResult(inquiry, message, [])

        return await self._transactions.run(write)

    @staticmethod
    def _new_thread(account: Account, product: Product, command: SendCommand, now: int) -> Inquiry:
        return Inquiry(
            key=secrets.token_hex(8),
            buyer_key=account.key,
            supplier_key=product.supplier_key,
            product_key=product.key,
            subjects=dict(product.titles),
            status=InquiryStatus.AWAITING_SUPPLIER,
            requested_quantity=command.quantity,
            created_at=now,
            last_message_at=now,
            last_message_key=None,
            vertical_key=product.vertical_key,
        )

    async def _reply(
        self, account: Account, inquiry: Inquiry, side: Side, command: ReplyCommand, claim: Claim
    ) -> InquiryResult:
        kind = NotificationKind.SUPPLIER_REPLIED if side is Side.SUPPLIER else NotificationKind.BUYER_REPLIED

        async def write(outbox: OutboxRecorder, current: Inquiry) -> InquiryResult:
            # Read again inside the transaction: two replies at once must both land, in order, and a
            # block reported meanwhile is seen.
            if side.other in await self._repos.reports.blocked_sides(current.buyer_key, current.supplier_key):
                return _failed(blocked_violation())
            updated, message = await self._write(outbox, account, current, side, command.body, kind, claim)
            if side is Side.SUPPLIER and current.first_reply_at is None:
                await self._refresh_response_stats(outbox, current.supplier_key)
            return InquiryResult(updated, message, [])

        return await self._in_thread(inquiry, write)

    async def _write(
        self,
        outbox: OutboxRecorder,
        account: Account,
        inquiry: Inquiry,
        side: Side,
        body: str,
        kind: NotificationKind,
        claim: Claim,
    ) -> tuple[Inquiry, Message]:
        """Inside the caller's transaction: the message, the thread, read states, notify, live event."""
        message = Message(_message_key(outbox.now), inquiry.key, body, side, account.key, outbox.now)
        inquiry = after_message(inquiry, message)
        inquiry = inquiry.read_by(side, outbox.now)
        await self._repos.inquiries.save(inquiry)
        await self._repos.inquiries.add_message(message)
        recipients = await self._side_users(inquiry, side.other)
        await self._repos.inquiries.count_unread(inquiry.key, recipients)
        await self._repos.inquiries.mark_read(inquiry.key, account.key, outbox.now)
        await self._repos.idempotency.complete(
            claim, {"inquiry": inquiry.key, "message": message.key}, outbox.now
        )
        params = {"message": body, **await self._party_of(inquiry, side, account)}
        request = NotifyRequest(kind, recipients, "Inquiry", inquiry.key, f"inquiry:{inquiry.key}", params)
        await outbox.add(NOTIFY, request.to_payload())
        await outbox.add("broker.publish", {"channel": message_channel(inquiry.key), "message": message.key})
        return inquiry, message

    async def _side_users(self, inquiry: Inquiry, side: Side) -> list[str]:
        if side is Side.BUYER:
            return [inquiry.buyer_key]
        return await self._repos.accounts.supplier_user_keys(inquiry.supplier_key)

    async def _party_of(self, inquiry: Inquiry, sender: Side, account: Account) -> dict[str, str]:
        """How the recipient's push names the sender: the company, or the buyer's name or country."""
        if sender is Side.SUPPLIER:
            supplier = (await self._repos.suppliers.get_many([inquiry.supplier_key]))[0]
            return {"party": supplier.name} if supplier is not None else {}
        if account.display_name:
            return {"party": account.display_name}
        return {"party_country": account.country} if account.country else {}

    async def _refresh_response_stats(self, outbox: OutboxRecorder, supplier_key: str) -> None:
        opened = await self._repos.inquiries.opened_by_supplier_since(
            supplier_key, outbox.now - RESPONSE_WINDOW_MS
        )
        stats = response_stats(opened, outbox.now)
        if stats is None:
            return
        if await self._repos.suppliers.set_response_stats(
            supplier_key, stats.response_rate, stats.median_response_minutes
        ):
            await outbox.add(SEARCH_INDEX, index_entry("supplier", supplier_key))

    async def mark_read(self, account: Account, key: str | None) -> InquiryResult:
        """Reads the thread and every notification that points at it."""
        seen = await self._seen_or_error(account, key, ("id",))
        if isinstance(seen, InquiryResult):
            return seen
        inquiry, side = seen

        async def write(outbox: OutboxRecorder, current: Inquiry) -> Inquiry:
            read = current.read_by(side, outbox.now)
            await self._repos.inquiries.save(read)
            await self._repos.inquiries.mark_read(read.key, account.key, outbox.now)
            await self._repos.notifications.mark_read_for_target(account.key, "Inquiry", read.key, outbox.now)
            return read

        return InquiryResult(await self._in_thread(inquiry, write), None, [])

    async def mute(self, account: Account, key: str | None, muted: bool) -> InquiryResult:
        seen = await self._seen_or_error(account, key, ("id",))
        if isinstance(seen, InquiryResult):
            return seen
        # One upsert of the viewer's own read state: atomic on its own, nothing to re-read.
        await self._repos.inquiries.set_muted(seen[0].key, account.key, muted)
        return InquiryResult(seen[0], None, [])

    async def close(self, account: Account, key: str | None) -> InquiryResult:
        seen = await self._seen_or_error(account, key, ("id",))
        if isinstance(seen, InquiryResult):
            return seen

        async def write(_: OutboxRecorder, current: Inquiry) -> Inquiry:
            closed = replace(current, status=InquiryStatus.CLOSED)
            await self._repos.inquiries.save(closed)
            return closed

        return InquiryResult(await self._in_thread(seen[0], write), None, [])

    async def report(self, account: Account, command: ReportCommand) -> InquiryResult:
        """Records the report; with block the thread closes, mutes for the reporter, and the other
        side can no longer write to the reporter's side."""
        seen = await self._seen_or_error(account, command.inquiry_key, ("input", "inquiryId"))
        if isinstance(seen, InquiryResult):
            return seen
        if violations := check_details(command.details):
            return _failed(*violations)
        inquiry, side = seen

        async def write(outbox: OutboxRecorder, current: Inquiry) -> Inquiry:
            report = Report(
                secrets.token_hex(8),
                current.key,
                account.key,
                side,
                current.buyer_key,
                current.supplier_key,
                command.reason,
                command.details,
                command.block,
                outbox.now,
            )
            await self._repos.reports.add(report)
            if not command.block:
                return current
            closed = replace(current, status=InquiryStatus.CLOSED)
            await self._repos.inquiries.save(closed)
            await self._repos.inquiries.set_muted(closed.key, account.key, True)
            return closed

        return InquiryResult(await self._in_thread(inquiry, write), None, [])

    async def _in_thread(
        self, inquiry: Inquiry, write: Callable[[OutboxRecorder, Inquiry], Awaitable[T]]
    ) -> T:
        """`write` gets the thread as it is inside the transaction: a reply that lands meanwhile is kept."""

        async def body(outbox: OutboxRecorder) -> T:
            return await write(outbox, await self._repos.inquiries.get(inquiry.key) or inquiry)

        return await self._transactions.run(body)

    async def _seen_or_error(
        self, account: Account, key: str | None, field: tuple[str, ...]
    ) -> tuple[Inquiry, Side] | InquiryResult:
        if account.role is Role.EDITOR:
            return _failed(forbidden("Editors do not take part in inquiries."))
        seen = await self.visible(account, key)
        return seen if seen is not None else _failed(not_found(field, "That inquiry"))
