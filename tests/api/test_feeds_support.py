"""Helpers of the feed suites: event inputs, feed pages, and looks at the server's store."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from app.domain.ids import key_of
from app.ports import Ports
from tests.api.harness import Api, _on_server

T = TypeVar("T")


def at(seconds_ago: float = 0.0) -> str:
    return (datetime.now(UTC) - timedelta(seconds=seconds_ago)).isoformat()


def event(subject_id: str, kind: str = "VIEW", **fields: Any) -> dict[str, Any]:
    return {"kind": kind, "subjectId": subject_id, "occurredAt": at(), **fields}


async def track(api: Api, events: list[dict[str, Any]], token: str | None = None) -> dict[str, Any]:
    body = await api.gql("TrackEvents", {"events": events}, token=token)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["trackEvents"]
    return payload


async def feed(api: Api, token: str | None = None, **variables: Any) -> dict[str, Any]:
    body = await api.gql("Feed", {"first": 20, **variables}, token=token)
    assert "errors" not in body, body
    connection: dict[str, Any] = body["data"]["feed"]
    return connection


async def verticals(api: Api) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await api.gql("Verticals"))["data"]["verticals"]
    return found


def node_verticals(node: dict[str, Any]) -> set[str]:
    """The verticals a feed node belongs to: a product's, an article's, or those a supplier sells in."""
    if node["__typename"] == "Product":
        return {node["vertical"]["id"]}
    if node["__typename"] == "Article":
        return {node["articleVertical"]["id"]} if node["articleVertical"] else set()
    return {v["id"] for v in node["supplierVerticals"]}


def node_supplier(node: dict[str, Any]) -> str | None:
    if node["__typename"] == "Product":
        supplier: str = node["supplier"]["id"]
        return supplier
    if node["__typename"] == "Supplier":
        own: str = node["id"]
        return own
    return None


async def products_of(api: Api, vertical_id: str, count: int) -> list[dict[str, Any]]:
    """Products of one vertical, from different suppliers where possible, read off its feed."""
    found: list[dict[str, Any]] = []
    after = None
    while len(found) < count:
        page = await feed(api, vertical=vertical_id, first=50, after=after)
        found += [e["node"] for e in page["edges"] if e["node"]["__typename"] == "Product"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return found[:count]


async def viewer_key(api: Api, token: str) -> str:
    viewer_id = (await api.gql("Viewer", token=token))["data"]["viewer"]["id"]
    key = key_of(viewer_id, "Viewer")
    assert key is not None
    return key


def ports(api: Api) -> Ports:
    engines_ports: Ports = api.state.engines.ports  # type: ignore[union-attr]
    return engines_ports


async def on_server(api: Api, coroutine: Awaitable[T]) -> T:
    result: T = await _on_server(api, coroutine)
    return result


async def broad_verticals(api: Api, count: int) -> list[str]:
    """The verticals whose products come from the most suppliers (a thin one cannot fill 40% of a
    page when no supplier may fill more than a quarter of it)."""
    spread: list[tuple[int, str]] = []
    for vertical in await verticals(api):
        products = await products_of(api, vertical["id"], 50)
        spread.append((len({p["supplier"]["id"] for p in products}), vertical["id"]))
    return [vertical for _, vertical in sorted(spread, reverse=True)[:count]]
