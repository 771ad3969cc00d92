"""Inquiries: the thread by id, the six thread mutations, and the live message subscription."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from app.context import Info
from app.domain.accounts import Account
from app.domain.ids import key_of
from app.loaders import Loaders
from app.schema.errors import not_found_error, unauthenticated
from app.schema.inquiries import (
    Inquiry,
    InquiryMessage,
    InquiryMessagePayload,
    InquiryPayload,
    ReplyToInquiryInput,
    ReportInquiryInput,
    SendInquiryInput,
    inquiry_payload,
    message_payload,
)
from app.services.inquiries import message_channel


async def inquiry_node(info: Info, key: str) -> Inquiry | None:
    """Someone else's thread, or a missing one, reads as null."""
    account = info.context.viewer
    seen = await info.context.services.inquiries.visible(account, key)
    if seen is None or account is None:
        return None
    return Inquiry.of(info, seen[0], seen[1], account.key)


async def inquiry_message_node(info: Info, key: str) -> InquiryMessage | None:
    """A message is visible exactly when its thread is."""
    message = await info.context.loaders.inquiry_message_by_key.load(key)
    if message is None or await inquiry_node(info, message.inquiry_key) is None:
        return None
    return InquiryMessage.from_domain(message)


@strawberry.type
class InquiryQuery:
    @strawberry.field
    async def inquiry(self, info: Info, id: strawberry.ID) -> Inquiry | None:
        info.context.require_viewer()
        key = key_of(id, "Inquiry")
        return await inquiry_node(info, key) if key is not None else None


@strawberry.type
class InquiryMutation:
    @strawberry.mutation
    async def send_inquiry(self, info: Info, input: SendInquiryInput) -> InquiryPayload:
        account = info.context.require_viewer()
        result = await info.context.services.inquiries.send(account, input.to_command())
        return inquiry_payload(info, account, result)

    @strawberry.mutation
    async def reply_to_inquiry(self, info: Info, input: ReplyToInquiryInput) -> InquiryMessagePayload:
        account = info.context.require_viewer()
        result = await info.context.services.inquiries.reply(account, input.to_command())
        return message_payload(info, account, result)

    @strawberry.mutation
    async def mark_inquiry_read(self, info: Info, id: strawberry.ID) -> InquiryPayload:
        account = info.context.require_viewer()
        result = await info.context.services.inquiries.mark_read(account, key_of(id, "Inquiry"))
        return inquiry_payload(info, account, result)

    @strawberry.mutation
    async def mute_inquiry(self, info: Info, id: strawberry.ID, muted: bool) -> InquiryPayload:
        account = info.context.require_viewer()
        result = await info.context.services.inquiries.mute(account, key_of(id, "Inquiry"), muted)
        return inquiry_payload(info, account, result)

    @strawberry.mutation
    async def close_inquiry(self, info: Info, id: strawberry.ID) -> InquiryPayload:
        account = info.context.require_viewer()
        result = await info.context.services.inquiries.close(account, key_of(id, "Inquiry"))
        return inquiry_payload(info, account, result)

    @strawberry.mutation
    async def report_inquiry(self, info: Info, input: ReportInquiryInput) -> InquiryPayload:
        account = info.context.require_viewer()
        result = await info.context.services.inquiries.report(account, input.to_command())
        return inquiry_payload(info, account, result)


@strawberry.type
class InquirySubscription:
    @strawberry.subscription
    async def inquiry_message_added(
        self, info: Info, inquiry_id: strawberry.ID
    ) -> AsyncGenerator[InquiryMessage, None]:
        """Checked before anything is yielded: a thread the viewer cannot read is NOT_FOUND."""
        account = info.context.viewer
        if account is None:
            raise unauthenticated()
        seen = await info.context.services.inquiries.visible(account, key_of(inquiry_id, "Inquiry"))
        if seen is None:
            raise not_found_error("No such inquiry.")
        return follow_messages(info, account, seen[0].key)


async def follow_messages(info: Info, account: Account, key: str) -> AsyncGenerator[InquiryMessage, None]:
    async with info.context.ports.broker.subscribe(message_channel(key)) as events:
        async for event in events:
            # Fresh loaders per event: the subscription's context lives as long as the socket.
            info.context.loaders = Loaders(info.context.ports.repos)
            [message] = await info.context.ports.repos.inquiries.messages_many([event.decode()])
            if message is not None:
                yield InquiryMessage.from_domain(message)
