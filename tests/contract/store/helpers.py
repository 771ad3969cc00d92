"""Small helpers of the store conformance suite."""

from __future__ import annotations

from collections.abc import AsyncIterator

from app.store.port import Document


def ids(documents: list[Document] | Document | None) -> list[str]:
    if documents is None:
        return []
    if isinstance(documents, dict):
        return [documents["_id"]]
    return [document["_id"] for document in documents]


async def collect(iterator: AsyncIterator[Document]) -> list[Document]:
    return [document async for document in iterator]
