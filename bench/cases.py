"""The measured operations: ids found through the served API, then one request body per operation.

An operation whose set-up fails (its capability not there yet) is kept with the reason, and is
reported as "n/a (reason)".
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from bench.client import Client, OperationFailed, request_body
from bench.environment import Shape
from bench.serving import token

# "ProductPage" is a signed-in buyer's, which the response cache never answers (the figure the target is
# judged on); "ProductPage (cache hit)" is the same page asked anonymously, answered from the cache.
OPERATIONS = [
    "ProductPage",
    "ProductPage (cache hit)",
    "Feed first page",
    "Feed deep page",
    "SearchProducts",
    "Suggest",
    "SupplierPage",
    "OrderTracking",
    "TrackEvents x20",
]
DEEP_PAGE = 10
ADDRESS = {
    "name": "Bench Buyer",
    "line1": "Calle Mayor 1",
    "city": "Madrid",
    "postalCode": "28013",
    "country": "ES",
}


@dataclass(frozen=True)
class Case:
    name: str
    body: bytes
    token: str | None


@dataclass(frozen=True)
class Listing:
    """One seeded product and what a run needs of it."""

    product_id: str
    supplier_id: str
    moq: int
    title: str
    vertical_id: str | None


@dataclass
class Prepared:
    cases: list[Case] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)
    listings: list[Listing] = field(default_factory=list)
    buyer: str = ""


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def prepare(client: Client, shape: Shape) -> Prepared:
    prepared = Prepared(buyer=token(shape, unique("bench-buyer"), "buyer"))
    try:
        prepared.listings = find_listings(client, prepared.buyer)
    except (OperationFailed, LookupError) as error:
        prepared.unavailable = {name: f"no product ids: {error}" for name in OPERATIONS}
        return prepared
    builders: dict[str, Callable[[Client, Shape, Prepared], Case]] = {
        "ProductPage": _product_page,
        "ProductPage (cache hit)": _product_page_cached,
        "Feed first page": _feed_first,
        "Feed deep page": _feed_deep,
        "SearchProducts": _search,
        "Suggest": _suggest,
        "SupplierPage": _supplier_page,
        "OrderTracking": _order_tracking,
        "TrackEvents x20": _track_events,
    }
    for name, build in builders.items():
        try:
            case = build(client, shape, prepared)
            client.send(case.body, case.token)
            prepared.cases.append(case)
        except (OperationFailed, LookupError, KeyError, TypeError) as error:
            prepared.unavailable[name] = str(error) or type(error).__name__
    return prepared


_LISTING = "id title moq { value } vertical { id } supplier { id }"


def find_listings(client: Client, buyer: str) -> list[Listing]:
    """Products from `searchProducts`, or from the feed while search is not there."""
    try:
        data = client.send(
            _raw(f"{{ searchProducts(first: 20) {{ edges {{ node {{ {_LISTING} }} }} }} }}"), buyer
        )
        nodes = [e["node"] for e in data["data"]["searchProducts"]["edges"]]
    except OperationFailed:
        query = (
            f"{{ feed(first: 50) {{ edges {{ node {{ __typename ... on Product {{ {_LISTING} }} }} }} }} }}"
        )
        data = client.send(_raw(query), buyer)
        nodes = [e["node"] for e in data["data"]["feed"]["edges"] if e["node"]["__typename"] == "Product"]
    if not nodes:
        raise LookupError("neither searchProducts nor feed returned products")
    return [
        Listing(
            n["id"], n["supplier"]["id"], n["moq"]["value"], n["title"], (n.get("vertical") or {}).get("id")
        )
        for n in nodes
    ]


def _raw(query: str) -> bytes:
    return orjson.dumps({"query": query})


def _product_page(client: Client, shape: Shape, prepared: Prepared) -> Case:
    return Case("ProductPage", _page_body(prepared), prepared.buyer)


def _product_page_cached(client: Client, shape: Shape, prepared: Prepared) -> Case:
    return Case("ProductPage (cache hit)", _page_body(prepared), None)


def _page_body(prepared: Prepared) -> bytes:
    return request_body("ProductPage", {"id": prepared.listings[0].product_id, "network": "WIFI"})


def _feed_first(client: Client, shape: Shape, prepared: Prepared) -> Case:
    return Case("Feed first page", request_body("Feed", {"first": 20}), prepared.buyer)


def _feed_deep(client: Client, shape: Shape, prepared: Prepared) -> Case:
    after = None
    for _ in range(DEEP_PAGE - 1):
        page = client.gql("Feed", {"first": 20, "after": after}, prepared.buyer)["feed"]
        if not page["pageInfo"]["hasNextPage"]:
            raise LookupError(f"the feed ends before page {DEEP_PAGE}")
        after = page["pageInfo"]["endCursor"]
    return Case("Feed deep page", request_body("Feed", {"first": 20, "after": after}), prepared.buyer)


def _word(listing: Listing) -> str:
    words = [w for w in listing.title.split() if len(w) >= 4 and w.isalpha()]
    if not words:
        raise LookupError(f"no search word in {listing.title!r}")
    return words[0].lower()


def _search(client: Client, shape: Shape, prepared: Prepared) -> Case:
    listing = prepared.listings[0]
    filters: dict[str, Any] = {"priceMax": "100000"}
    if listing.vertical_id:
        filters["vertical"] = listing.vertical_id
    variables = {"query": _word(listing), "filter": filters, "first": 20}
    return Case("SearchProducts", request_body("SearchProducts", variables), prepared.buyer)


def _suggest(client: Client, shape: Shape, prepared: Prepared) -> Case:
    return Case(
        "Suggest", request_body("Suggest", {"prefix": _word(prepared.listings[0])[:3]}), prepared.buyer
    )


def _supplier_page(client: Client, shape: Shape, prepared: Prepared) -> Case:
    variables = {"id": prepared.listings[0].supplier_id, "first": 20}
    return Case("SupplierPage", request_body("SupplierPage", variables), prepared.buyer)


def _order_tracking(client: Client, shape: Shape, prepared: Prepared) -> Case:
    listing = prepared.listings[0]
    supplier = token(shape, unique("bench-supplier"), "supplier", listing.supplier_id)
    order_id = place_order(client, prepared.buyer, listing)
    client.gql("UpdateOrderStatus", {"input": {"orderId": order_id, "status": "CONFIRMED"}}, supplier)
    shipment = {
        "orderId": order_id,
        "carrier": "DHL",
        "trackingNumber": unique("JD"),
        "idempotencyKey": unique("s"),
    }
    client.gql("AddShipment", {"input": shipment}, supplier)
    return Case("OrderTracking", request_body("OrderTracking", {"id": order_id}), prepared.buyer)


def _track_events(client: Client, shape: Shape, prepared: Prepared) -> Case:
    now = datetime.now(UTC).isoformat()
    events = [
        {
            "kind": "VIEW",
            "subjectId": prepared.listings[i % len(prepared.listings)].product_id,
            "occurredAt": now,
        }
        for i in range(20)
    ]
    return Case("TrackEvents x20", request_body("TrackEvents", {"events": events}), prepared.buyer)


def place_order(client: Client, buyer: str, listing: Listing) -> str:
    values = {
        "productId": listing.product_id,
        "quantity": max(listing.moq, 1),
        "shippingAddress": ADDRESS,
        "idempotencyKey": unique("order"),
    }
    order_id: str = client.gql("PlaceOrder", {"input": values}, buyer)["placeOrder"]["order"]["id"]
    return order_id
