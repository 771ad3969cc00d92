"""The access matrix, generated from the schema: every field that takes an id is tried by strangers.

Someone else's orders, shipments, inquiries, messages, notifications, devices and drafts read as
absent (null, or NOT_FOUND in userErrors), and the attempts change nothing. A field that takes an id
and has no case here fails `test_every_field_taking_an_id_has_a_case`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from graphql import GraphQLInputObjectType, GraphQLSchema, get_named_type
from graphql.type import GraphQLArgument, GraphQLInputField

from app.resolvers.root import build_schema
from tests.api.access_world import World, build_world, owner_view
from tests.api.harness import Api
from tests.api.ws_client import receive, subscribe, ws_session

Case = Callable[[Api, World], Awaitable[None]]

# Ids of public things (catalog, verticals, published content) or of things only editors write.
PUBLIC = {
    "Query.product": "products are public",
    "Query.supplier": "suppliers are public",
    "Query.feed": "a vertical id",
    "Query.trending": "a vertical id",
    "Query.articles": "a vertical id",
    "Query.searchArticles": "a vertical id",
    "Query.searchProducts": "a vertical id in the filter",
    "Mutation.saveProduct": "products are public",
    "Mutation.unsaveProduct": "products are public",
    "Mutation.followSupplier": "suppliers are public",
    "Mutation.unfollowSupplier": "suppliers are public",
    "Mutation.placeOrder": "a product id",
    "Mutation.sendInquiry": "a product id",
    "Mutation.trackEvents": "public subjects (products, articles, suppliers)",
    "Mutation.createArticle": "a vertical and product ids, editors only",
}


def id_taking_fields(schema: GraphQLSchema) -> set[str]:
    found: set[str] = set()
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        if root is None:
            continue
        for name, field in root.fields.items():
            if any(_takes_id(argument, set()) for argument in field.args.values()):
                found.add(f"{root.name}.{name}")
    return found


def _takes_id(value: GraphQLArgument | GraphQLInputField, seen: set[str]) -> bool:
    named = get_named_type(value.type)
    if named.name == "ID":
        return True
    if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
        seen.add(named.name)
        return any(_takes_id(field, seen) for field in named.fields.values())
    return False


def codes(payload: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def mutate(api: Api, token: str, text: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = await api.post(text, variables, token=token)
    data: dict[str, Any] = body.json()["data"]
    return next(iter(data.values()))  # type: ignore[no-any-return]


def mutation(field: str, declared: str, passed: str, selection: str) -> str:
    """`mutation M(<declared>) { <field>(<passed>) { <selection> userErrors { code field } } }`."""
    return f"mutation M({declared}) {{ {field}({passed}) {{ {selection} userErrors {{ code field }} }} }}"


async def not_found(api: Api, token: str, text: str, variables: dict[str, Any], field: list[str]) -> None:
    payload = await mutate(api, token, text, variables)
    assert codes(payload) == [("NOT_FOUND", field)], payload


async def case_order(api: Api, world: World) -> None:
    for token in (world.stranger, world.stranger_supplier, world.editor):
        body = await api.gql("OrderTracking", {"id": world.order_id}, token=token)
        assert body["data"] == {"order": None} and "errors" not in body


async def case_inquiry(api: Api, world: World) -> None:
    for token in (world.stranger, world.stranger_supplier, world.editor):
        body = await api.gql("InquiryThread", {"id": world.inquiry_id, "first": 5}, token=token)
        assert body["data"] == {"inquiry": None} and "errors" not in body


async def case_node(api: Api, world: World) -> None:
    for token in (world.stranger, world.stranger_supplier):
        for type_name, node_id in world.private_node_ids().items():
            body = (
                await api.post("query N($id: ID!) { node(id: $id) { id } }", {"id": node_id}, token=token)
            ).json()
            assert body["data"] == {"node": None}, (type_name, body)


async def case_nodes(api: Api, world: World) -> None:
    ids = list(world.private_node_ids().values())
    body = (
        await api.post(
            "query N($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids}, token=world.stranger
        )
    ).json()
    assert body["data"] == {"nodes": [None] * len(ids)}


async def case_article(api: Api, world: World) -> None:
    for token in (world.stranger, world.stranger_supplier, None):
        by_id = await api.gql("ArticlePage", {"id": world.draft_id}, token=token)
        assert by_id["data"]["article"] is None
        by_slug = (
            await api.post(
                "query A($s: String) { article(slug: $s) { id } }", {"s": world.draft_slug}, token=token
            )
        ).json()
        assert by_slug["data"] == {"article": None}


async def case_cancel_order(api: Api, world: World) -> None:
    text = mutation("cancelOrder", "$i: CancelOrderInput!", "input: $i", "order { id }")
    await not_found(api, world.stranger, text, {"i": {"orderId": world.order_id}}, ["input", "orderId"])


async def case_confirm_receipt(api: Api, world: World) -> None:
    text = mutation("confirmReceipt", "$id: ID!", "orderId: $id", "order { id }")
    await not_found(api, world.stranger, text, {"id": world.order_id}, ["orderId"])


async def case_update_order_status(api: Api, world: World) -> None:
    text = mutation("updateOrderStatus", "$i: UpdateOrderStatusInput!", "input: $i", "order { id }")
    variables = {"i": {"orderId": world.order_id, "status": "CANCELLED"}}
    await not_found(api, world.stranger_supplier, text, variables, ["input", "orderId"])


async def case_add_shipment(api: Api, world: World) -> None:
    text = mutation("addShipment", "$i: AddShipmentInput!", "input: $i", "order { id }")
    variables = {
        "i": {
            "orderId": world.order_id,
            "carrier": "UPS",
            "trackingNumber": "1Z999",
            "idempotencyKey": "stranger-key-1",
        }
    }
    await not_found(api, world.stranger_supplier, text, variables, ["input", "orderId"])


async def case_reply(api: Api, world: World) -> None:
    text = mutation("replyToInquiry", "$i: ReplyToInquiryInput!", "input: $i", "message { id }")
    for token in (world.stranger, world.stranger_supplier):
        variables = {
            "i": {"inquiryId": world.inquiry_id, "body": "hello", "idempotencyKey": "stranger-reply-1"}
        }
        await not_found(api, token, text, variables, ["input", "inquiryId"])


def inquiry_case(field: str, extra: str = "") -> Case:
    async def run(api: Api, world: World) -> None:
        text = mutation(field, "$id: ID!", f"id: $id{extra}", "inquiry { id }")
        for token in (world.stranger, world.stranger_supplier):
            await not_found(api, token, text, {"id": world.inquiry_id}, ["id"])

    return run


async def case_report_inquiry(api: Api, world: World) -> None:
    text = mutation("reportInquiry", "$i: ReportInquiryInput!", "input: $i", "inquiry { id }")
    variables = {"i": {"inquiryId": world.inquiry_id, "reason": "SPAM", "block": True}}
    await not_found(api, world.stranger, text, variables, ["input", "inquiryId"])


async def case_mark_notifications_read(api: Api, world: World) -> None:
    text = mutation("markNotificationsRead", "$ids: [ID!]", "ids: $ids", "unreadCount")
    payload = await mutate(api, world.stranger, text, {"ids": [world.notification_id]})
    assert payload["userErrors"] == []


def editor_only(field: str, arguments: tuple[str, str], variables: Callable[[World], dict[str, Any]]) -> Case:
    async def run(api: Api, world: World) -> None:
        text = mutation(field, arguments[0], arguments[1], "article { id }")
        for token in (world.stranger, world.stranger_supplier):
            payload = await mutate(api, token, text, variables(world))
            assert codes(payload) == [("FORBIDDEN", None)], payload

    return run


ARTICLE = {"title": "Stranger", "summary": "s", "locale": "en", "blocks": [{"paragraph": "x"}]}

CASES: dict[str, Case] = {
    "Query.node": case_node,
    "Query.nodes": case_nodes,
    "Query.order": case_order,
    "Query.inquiry": case_inquiry,
    "Query.article": case_article,
    "Mutation.cancelOrder": case_cancel_order,
    "Mutation.confirmReceipt": case_confirm_receipt,
    "Mutation.updateOrderStatus": case_update_order_status,
    "Mutation.addShipment": case_add_shipment,
    "Mutation.replyToInquiry": case_reply,
    "Mutation.markInquiryRead": inquiry_case("markInquiryRead"),
    "Mutation.muteInquiry": inquiry_case("muteInquiry", ", muted: true"),
    "Mutation.closeInquiry": inquiry_case("closeInquiry"),
    "Mutation.reportInquiry": case_report_inquiry,
    "Mutation.markNotificationsRead": case_mark_notifications_read,
    "Mutation.updateArticle": editor_only(
        "updateArticle",
        ("$id: ID!, $a: ArticleInput!", "id: $id, input: $a, expectedRevision: 1"),
        lambda w: {"id": w.draft_id, "a": ARTICLE},
    ),
    "Mutation.translateArticle": editor_only(
        "translateArticle",
        ("$id: ID!, $a: ArticleInput!", "id: $id, input: $a"),
        lambda w: {"id": w.draft_id, "a": ARTICLE},
    ),
    "Mutation.publishArticle": editor_only(
        "publishArticle", ("$id: ID!", "id: $id"), lambda w: {"id": w.draft_id}
    ),
    "Mutation.unpublishArticle": editor_only(
        "unpublishArticle", ("$id: ID!", "id: $id"), lambda w: {"id": w.draft_id}
    ),
    "Subscription.orderUpdated": lambda api, world: subscription_not_found(
        api, world, "subscription S($id: ID!) { orderUpdated(id: $id) { id } }", world.order_id
    ),
    "Subscription.inquiryMessageAdded": lambda api, world: subscription_not_found(
        api,
        world,
        "subscription S($id: ID!) { inquiryMessageAdded(inquiryId: $id) { id } }",
        world.inquiry_id,
    ),
}


async def subscription_not_found(api: Api, world: World, text: str, target: str) -> None:
    async with ws_session(api.ws_url, world.stranger) as socket:
        await subscribe(socket, "1", text, {"id": target})
        message = await receive(socket)
    assert message["type"] == "error"
    assert [e["extensions"]["code"] for e in message["payload"]] == ["NOT_FOUND"]


def test_every_field_taking_an_id_has_a_case() -> None:
    fields = id_taking_fields(build_schema()._schema)
    uncovered = fields - set(CASES) - set(PUBLIC)
    assert uncovered == set(), f"fields taking ids without an access case: {sorted(uncovered)}"
    assert set(CASES) | set(PUBLIC) <= fields | {"Query.article"}


@pytest.fixture(scope="module")
async def world(api_server: Api) -> AsyncIterator[World]:
    api_server.__post_init__()
    built = await build_world(api_server)
    await api_server.client.aclose()
    yield built


@pytest.mark.parametrize("name", sorted(CASES))
async def test_strangers_find_nothing_and_change_nothing(api: Api, world: World, name: str) -> None:
    # given
    before = await owner_view(api, world)
    # when
    await CASES[name](api, world)
    # then
    assert await owner_view(api, world) == before


async def test_a_stranger_cannot_unregister_someone_elses_device(api: Api, world: World) -> None:
    text = (
        "mutation M($t: String!) { unregisterDevice(token: $t) { device { id } userErrors { code field } } }"
    )
    payload = await mutate(api, world.stranger, text, {"t": world.device_token})
    assert codes(payload) == [("NOT_FOUND", ["token"])]
    assert len((await owner_view(api, world))["devices"]) == 1
