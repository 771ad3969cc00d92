"""Helpers of the article suites: inputs, an editor's drafts, and looks at the server's store and search."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from app.domain.ids import to_global_id
from app.ports import Ports
from tests.api.harness import Api, _on_server, unique

T = TypeVar("T")


def media(api: Api, path: str = "articles/x.jpg") -> str:
    return f"https://{api.settings.media_host_list[0]}/{path}"


def article_input(title: str | None = None, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": title or f"Trend report {unique('title')}",
        "summary": "What buyers ask for this season.",
        "locale": "en",
        "blocks": [{"paragraph": "Desk lamps with USB-C ports sell out fast."}],
    }
    values.update(fields)
    return values


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def in_seconds(seconds: float) -> str:
    return iso(datetime.now(UTC) + timedelta(seconds=seconds))


async def drain_after(api: Api, moment: str) -> None:
    """Waits until `moment` (ISO) has passed, then until the dispatcher has done everything due."""
    due = datetime.fromisoformat(moment)
    await asyncio.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + 0.05)
    await api.drain_outbox()


async def create(api: Api, token: str, **fields: Any) -> dict[str, Any]:
    body = await api.gql("CreateArticle", {"input": article_input(**fields)}, token=token)
    payload = body["data"]["createArticle"]
    assert payload["userErrors"] == [], payload
    article: dict[str, Any] = payload["article"]
    return article


async def published(api: Api, token: str, **fields: Any) -> dict[str, Any]:
    article = await create(api, token, **fields)
    body = await api.gql("PublishArticle", {"id": article["id"]}, token=token)
    assert body["data"]["publishArticle"]["userErrors"] == []
    return article


async def on_server(api: Api, work: Callable[[Ports], Awaitable[T]]) -> T:
    """Runs `work` with the server's ports on the server's event loop."""
    ports = api.state.engines.ports  # type: ignore[union-attr]
    result: T = await _on_server(api, work(ports))
    return result


async def product_ids(api: Api, count: int) -> list[str]:
    async def keys(ports: Ports) -> list[str]:
        return [d["_id"] async for d in ports.repos.database.collection("products").find({}, limit=count)]

    found = await on_server(api, keys)
    assert len(found) == count, "the demo catalog has too few products"
    return [to_global_id("Product", key) for key in found]
