"""InquiryRepository: threads, their messages, and each reader's state (unread, read time, mute)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from app.domain.inquiries import Inquiry, InquiryStatus, Message, ReaderState, Side
from app.store.port import Collection, Database, Document


def inquiry_from_doc(doc: Document) -> Inquiry:
    return Inquiry(
        key=doc["_id"],
        buyer_key=doc["buyer_key"],
        supplier_key=doc["supplier_key"],
        product_key=doc.get("product_key"),
        subjects=doc.get("subjects") or {},
        status=InquiryStatus(doc["status"]),
        requested_quantity=doc.get("requested_quantity"),
        created_at=doc["created_at"],
        last_message_at=doc["last_message_at"],
        last_message_key=doc.get("last_message_key"),
        buyer_read_at=doc.get("buyer_read_at"),
        supplier_read_at=doc.get("supplier_read_at"),
        first_reply_at=doc.get("first_reply_at"),
        vertical_key=doc.get("vertical_key"),
    )


def inquiry_to_doc(inquiry: Inquiry) -> Document:
    doc = asdict(inquiry)
    doc["_id"] = doc.pop("key")
    doc["status"] = inquiry.status.value
    # Open threads carry their product, so "the open inquiry about this product" is one lookup.
    doc["open"] = inquiry.status is not InquiryStatus.CLOSED
    return doc


def message_from_doc(doc: Document) -> Message:
    return Message(
        doc["_id"],
        doc["inquiry_key"],
        doc["body"],
        Side(doc["sender_side"]),
        doc["sender_key"],
        doc["sent_at"],
    )


def message_to_doc(message: Message) -> Document:
    return {
        "_id": message.key,
        "inquiry_key": message.inquiry_key,
        "body": message.body,
        "sender_side": message.sender_side.value,
        "sender_key": message.sender_key,
        "sent_at": message.sent_at,
    }


def _reader_id(inquiry_key: str, user_key: str) -> str:
    return f"{inquiry_key}:{user_key}"


def reader_from_doc(doc: Document) -> ReaderState:
    return ReaderState(
        doc["inquiry_key"], doc["user_key"], doc.get("unread", 0), doc.get("read_at"), doc.get("muted", False)
    )


class InquiryRepository:
    def __init__(self, database: Database) -> None:
        self._inquiries: Collection = database.collection("inquiries")
        self._messages: Collection = database.collection("inquiry_messages")
        self._readers: Collection = database.collection("inquiry_readers")

    async def ensure_indexes(self) -> None:
        await self._inquiries.create_index([("buyer_key", 1), ("last_message_at", -1), ("_id", -1)])
        await self._inquiries.create_index([("supplier_key", 1), ("last_message_at", -1), ("_id", -1)])
        await self._inquiries.create_index([("buyer_key", 1), ("created_at", -1)])
        await self._inquiries.create_index([("buyer_key", 1), ("product_key", 1), ("open", 1)])
        await self._inquiries.create_index([("supplier_key", 1), ("created_at", -1)])
        await self._messages.create_index([("inquiry_key", 1), ("sent_at", -1), ("_id", -1)])
        await self._readers.create_index([("user_key", 1), ("unread", 1)])

    async def get_many(self, keys: Sequence[str]) -> list[Inquiry | None]:
        found = {d["_id"]: d async for d in self._inquiries.find({"_id": {"$in": list(keys)}})}
        return [inquiry_from_doc(found[k]) if k in found else None for k in keys]

    async def get(self, key: str) -> Inquiry | None:
        doc = await self._inquiries.find_one({"_id": key})
        return inquiry_from_doc(doc) if doc else None

    async def open_about(self, buyer_key: str, product_key: str) -> Inquiry | None:
        doc = await self._inquiries.find_one(
            {"buyer_key": buyer_key, "product_key": product_key, "open": True}
        )
        return inquiry_from_doc(doc) if doc else None

    async def count_opened_since(self, buyer_key: str, since: int) -> int:
        return await self._inquiries.count_documents({"buyer_key": buyer_key, "created_at": {"$gte": since}})

    async def save(self, inquiry: Inquiry) -> None:
        doc = inquiry_to_doc(inquiry)
        await self._inquiries.update_one(
            {"_id": inquiry.key}, {"$set": {k: v for k, v in doc.items() if k != "_id"}}, upsert=True
        )

    async def page_for(self, side: Side, owner_key: str, after: Any | None, limit: int) -> list[Inquiry]:
        """Newest `last_message_at` first; `owner_key` is the buyer's user key or the supplier key."""
        owner = {"buyer_key" if side is Side.BUYER else "supplier_key": owner_key}
        query: dict[str, Any] = dict(owner)
        if after is not None:
            at, key = after
            query = {
                "$and": [
                    owner,
                    {"$or": [{"last_message_at": {"$lt": at}}, {"last_message_at": at, "_id": {"$lt": key}}]},
                ]
            }
        found = self._inquiries.find(query, sort=[("last_message_at", -1), ("_id", -1)], limit=limit)
        return [inquiry_from_doc(d) async for d in found]

    async def opened_by_supplier_since(self, supplier_key: str, since: int) -> list[tuple[int, int | None]]:
        found = self._inquiries.find({"supplier_key": supplier_key, "created_at": {"$gte": since}})
        return [(d["created_at"], d.get("first_reply_at")) async for d in found]

    async def insert_many(self, inquiries: Sequence[Inquiry], messages: Sequence[Message]) -> None:
        """Bulk load (demo data): threads and their messages as they are, no read states."""
        if inquiries:
            await self._inquiries.insert_many([inquiry_to_doc(i) for i in inquiries])
        if messages:
            await self._messages.insert_many([message_to_doc(m) for m in messages])

    async def add_message(self, message: Message) -> None:
        await self._messages.insert_one(message_to_doc(message))

    async def messages_many(self, keys: Sequence[str]) -> list[Message | None]:
        found = {d["_id"]: d async for d in self._messages.find({"_id": {"$in": list(keys)}})}
        return [message_from_doc(found[k]) if k in found else None for k in keys]

    async def messages_page(self, inquiry_key: str, after: Any | None, limit: int) -> list[Message]:
        """Newest first; `after` pages toward older messages."""
        query: dict[str, Any] = {"inquiry_key": inquiry_key}
        if after is not None:
            at, key = after
            query = {
                "$and": [query, {"$or": [{"sent_at": {"$lt": at}}, {"sent_at": at, "_id": {"$lt": key}}]}]
            }
        found = self._messages.find(query, sort=[("sent_at", -1), ("_id", -1)], limit=limit)
        return [message_from_doc(d) async for d in found]

    async def readers_many(self, pairs: Sequence[tuple[str, str]]) -> list[ReaderState]:
        """Each (inquiry, user)'s state; a user who never touched a thread gets the blank state."""
        ids = [_reader_id(i, u) for i, u in pairs]
        found = {d["_id"]: d async for d in self._readers.find({"_id": {"$in": ids}})}
        return [
            reader_from_doc(found[r]) if r in found else ReaderState(i, u)
            for r, (i, u) in zip(ids, pairs, strict=True)
        ]

    async def count_unread(self, inquiry_key: str, user_keys: Sequence[str]) -> None:
        """One more unread message for each of these users in this thread."""
        for user_key in user_keys:
            await self._readers.update_one(
                {"_id": _reader_id(inquiry_key, user_key)},
                {
                    "$inc": {"unread": 1},
                    "$setOnInsert": {"inquiry_key": inquiry_key, "user_key": user_key, "muted": False},
                },
                upsert=True,
            )

    async def mark_read(self, inquiry_key: str, user_key: str, now: int) -> None:
        await self._readers.update_one(
            {"_id": _reader_id(inquiry_key, user_key)},
            {
                "$set": {"unread": 0, "read_at": now},
                "$setOnInsert": {"inquiry_key": inquiry_key, "user_key": user_key, "muted": False},
            },
            upsert=True,
        )

    async def set_muted(self, inquiry_key: str, user_key: str, muted: bool) -> None:
        await self._readers.update_one(
            {"_id": _reader_id(inquiry_key, user_key)},
            {
                "$set": {"muted": muted},
                "$setOnInsert": {"inquiry_key": inquiry_key, "user_key": user_key, "unread": 0},
            },
            upsert=True,
        )

    async def threads_with_unread(self, user_key: str) -> int:
        return await self._readers.count_documents({"user_key": user_key, "unread": {"$gt": 0}})
