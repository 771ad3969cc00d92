"""Inquiry types: threads, messages, their connections, inputs and payloads."""

from __future__ import annotations

from enum import Enum

import strawberry

from app.context import Info
from app.domain import inquiries as model
from app.domain.accounts import Account
from app.domain.accounts import Role as DomainRole
from app.domain.ids import key_of, to_global_id
from app.domain.locales import pick_text
from app.schema.base import Node, PageInfo, Role, UserError, user_errors
from app.schema.orders import BuyerSummary
from app.schema.paging import build_page, page_request
from app.schema.products import Product, load_products
from app.schema.scalars import DateTime
from app.schema.suppliers import Supplier, load_supplier
from app.services.inquiries import InquiryResult, ReplyCommand, ReportCommand, SendCommand


@strawberry.enum
class InquiryStatus(Enum):
    AWAITING_SUPPLIER = "AWAITING_SUPPLIER"
    AWAITING_BUYER = "AWAITING_BUYER"
    CLOSED = "CLOSED"


@strawberry.type
class InquiryMessage(Node):
    id: strawberry.ID
    body: str
    sent_at: DateTime
    sender_role: Role

    @classmethod
    def from_domain(cls, message: model.Message) -> InquiryMessage:
        role = DomainRole.BUYER if message.sender_side is model.Side.BUYER else DomainRole.SUPPLIER
        return cls(
            id=strawberry.ID(to_global_id("InquiryMessage", message.key)),
            body=message.body,
            sent_at=DateTime(message.sent_at),
            sender_role=Role.from_domain(role),
        )


@strawberry.type
class InquiryMessageEdge:
    cursor: str
    node: InquiryMessage


@strawberry.type
class InquiryMessageConnection:
    edges: list[InquiryMessageEdge]
    page_info: PageInfo


@strawberry.type
class Inquiry(Node):
    id: strawberry.ID
    subject: str
    status: InquiryStatus
    requested_quantity: int | None
    created_at: DateTime
    last_message_at: DateTime
    other_party_last_read_at: DateTime | None
    domain: strawberry.Private[model.Inquiry]
    viewer_key: strawberry.Private[str]

    @classmethod
    def of(cls, info: Info, inquiry: model.Inquiry, side: model.Side, viewer_key: str) -> Inquiry:
        other_read = inquiry.read_at_of(side.other)
        return cls(
            id=strawberry.ID(to_global_id("Inquiry", inquiry.key)),
            subject=pick_text(inquiry.subjects, info.context.locale) if inquiry.subjects else "",
            status=InquiryStatus[inquiry.status.name],
            requested_quantity=inquiry.requested_quantity,
            created_at=DateTime(inquiry.created_at),
            last_message_at=DateTime(inquiry.last_message_at),
            other_party_last_read_at=DateTime(other_read) if other_read is not None else None,
            domain=inquiry,
            viewer_key=viewer_key,
        )

    @strawberry.field
    async def product(self, info: Info) -> Product | None:
        if self.domain.product_key is None:
            return None
        [product] = await load_products(info, [self.domain.product_key])
        return product

    @strawberry.field
    async def supplier(self, info: Info) -> Supplier:
        supplier = await load_supplier(info, self.domain.supplier_key)
        if supplier is None:
            raise LookupError(f"inquiry {self.domain.key} names a missing supplier")
        return supplier

    @strawberry.field
    async def buyer(self, info: Info) -> BuyerSummary:
        account = await info.context.loaders.account_by_key.load(self.domain.buyer_key)
        # A deleted buyer keeps an id but shows no name or country.
        live = account is not None and account.deleted_at is None
        return BuyerSummary(
            id=strawberry.ID(to_global_id("Viewer", self.domain.buyer_key)),
            display_name=account.display_name if live and account is not None else None,
            country=account.country if live and account is not None else None,
        )

    @strawberry.field
    async def last_message(self, info: Info) -> InquiryMessage | None:
        if self.domain.last_message_key is None:
            return None
        message = await info.context.loaders.inquiry_message_by_key.load(self.domain.last_message_key)
        return InquiryMessage.from_domain(message) if message is not None else None

    @strawberry.field
    async def unread_count(self, info: Info) -> int:
        state = await info.context.loaders.inquiry_reader_by_pair.load((self.domain.key, self.viewer_key))
        return state.unread

    @strawberry.field
    async def muted(self, info: Info) -> bool:
        state = await info.context.loaders.inquiry_reader_by_pair.load((self.domain.key, self.viewer_key))
        return state.muted

    @strawberry.field
    async def messages(
        self, info: Info, first: int | None = 30, after: str | None = None
    ) -> InquiryMessageConnection:
        """Newest first; `after` pages toward older messages."""
        request = page_request(
            info, "Inquiry.messages", first, after, default=30, personal=True, args=[self.domain.key]
        )
        fetched = await info.context.ports.repos.inquiries.messages_page(
            self.domain.key, request.after, request.fetch
        )
        page = build_page(info, request, fetched, lambda m: [m.sent_at, m.key])
        edges = [
            InquiryMessageEdge(cursor=c, node=InquiryMessage.from_domain(m))
            for m, c in zip(page.items, page.cursors, strict=True)
        ]
        return InquiryMessageConnection(edges=edges, page_info=page.page_info)


@strawberry.type
class InquiryEdge:
    cursor: str
    node: Inquiry


@strawberry.type
class InquiryConnection:
    edges: list[InquiryEdge]
    page_info: PageInfo


def viewer_side(account: Account) -> tuple[model.Side, str] | None:
    """Whose threads the viewer lists: a buyer's own, or their supplier's; None for anyone else."""
    if account.role is DomainRole.BUYER:
        return model.Side.BUYER, account.key
    if account.role is DomainRole.SUPPLIER and account.supplier_key is not None:
        return model.Side.SUPPLIER, account.supplier_key
    return None


async def inquiries_connection(
    info: Info, account: Account, first: int | None, after: str | None
) -> InquiryConnection:
    """Newest `lastMessageAt` first."""
    request = page_request(info, "Viewer.inquiries", first, after, default=20, personal=True)
    owner = viewer_side(account)
    fetched: list[model.Inquiry] = []
    if owner is not None:
        fetched = await info.context.ports.repos.inquiries.page_for(
            owner[0], owner[1], request.after, request.fetch
        )
    page = build_page(info, request, fetched, lambda i: [i.last_message_at, i.key])
    side = owner[0] if owner is not None else model.Side.BUYER
    edges = [
        InquiryEdge(cursor=c, node=Inquiry.of(info, i, side, account.key))
        for i, c in zip(page.items, page.cursors, strict=True)
    ]
    return InquiryConnection(edges=edges, page_info=page.page_info)


@strawberry.input
class SendInquiryInput:
    product_id: strawberry.ID
    message: str
    idempotency_key: str
    quantity: int | None = None

    def to_command(self) -> SendCommand:
        return SendCommand(
            key_of(self.product_id, "Product"), self.message, self.quantity, self.idempotency_key
        )


@strawberry.input
class ReplyToInquiryInput:
    inquiry_id: strawberry.ID
    body: str
    idempotency_key: str

    def to_command(self) -> ReplyCommand:
        return ReplyCommand(key_of(self.inquiry_id, "Inquiry"), self.body, self.idempotency_key)


@strawberry.enum
class ReportReason(Enum):
    SPAM = "SPAM"
    FRAUD = "FRAUD"
    ABUSE = "ABUSE"
    OTHER = "OTHER"


@strawberry.input
class ReportInquiryInput:
    inquiry_id: strawberry.ID
    reason: ReportReason
    details: str | None = None
    block: bool | None = False

    def to_command(self) -> ReportCommand:
        return ReportCommand(
            key_of(self.inquiry_id, "Inquiry"), self.reason.value, self.details, bool(self.block)
        )


@strawberry.type
class InquiryPayload:
    inquiry: Inquiry | None
    user_errors: list[UserError]


@strawberry.type
class InquiryMessagePayload:
    message: InquiryMessage | None
    inquiry: Inquiry | None
    user_errors: list[UserError]


def inquiry_of(info: Info, account: Account, result: InquiryResult) -> Inquiry | None:
    if result.inquiry is None:
        return None
    side = model.side_of(account.role.value, account.key, account.supplier_key, result.inquiry)
    return Inquiry.of(info, result.inquiry, side or model.Side.BUYER, account.key)


def inquiry_payload(info: Info, account: Account, result: InquiryResult) -> InquiryPayload:
    if result.violations:
        return InquiryPayload(inquiry=None, user_errors=user_errors(result.violations))
    return InquiryPayload(inquiry=inquiry_of(info, account, result), user_errors=[])


def message_payload(info: Info, account: Account, result: InquiryResult) -> InquiryMessagePayload:
    if result.violations:
        return InquiryMessagePayload(message=None, inquiry=None, user_errors=user_errors(result.violations))
    message = InquiryMessage.from_domain(result.message) if result.message is not None else None
    return InquiryMessagePayload(message=message, inquiry=inquiry_of(info, account, result), user_errors=[])
