"""The private objects the access matrix attacks: one owner's order, shipment, inquiry, message,
notification, device and draft article, and strangers of every role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.api.harness import Api
from tests.api.test_articles_support import create
from tests.api.test_inquiries_support import buyer, new_shop, open_inquiry, register_device, reply
from tests.api.test_orders_support import listing, placed, set_status, ship, supplier_token, tracking


@dataclass
class World:
    owner: str
    owner_supplier: str
    editor: str
    stranger: str
    stranger_supplier: str
    order_id: str
    shipment_id: str
    inquiry_id: str
    message_id: str
    notification_id: str
    device_token: str
    draft_id: str
    draft_slug: str
    product_id: str

    def private_node_ids(self) -> dict[str, str]:
        return {
            "Order": self.order_id,
            "Shipment": self.shipment_id,
            "Inquiry": self.inquiry_id,
            "InquiryMessage": self.message_id,
            "Notification": self.notification_id,
            "Article": self.draft_id,
        }


async def build_world(api: Api) -> World:
    owner = await buyer(api, name="Owner", country="DE")
    item = await listing(api)
    seller = supplier_token(api, item)
    order_id = await placed(api, owner, item)
    assert (await set_status(api, seller, order_id, "CONFIRMED"))["userErrors"] == []
    assert (await ship(api, seller, order_id))["userErrors"] == []
    shipment_id = (await tracking(api, owner, order_id))["shipments"][0]["id"]
    shop = await new_shop(api)
    inquiry_id = await open_inquiry(api, owner, shop)
    answer = await reply(api, shop.token, inquiry_id, operation="SupplierReply")
    message_id = answer["message"]["id"]
    device = await register_device(api, owner)
    await api.drain_outbox()
    notifications = await api.gql("Notifications", {"first": 5}, token=owner)
    notification_id = notifications["data"]["viewer"]["notifications"]["edges"][0]["node"]["id"]
    editor = api.token(role="editor")
    draft = await create(api, editor)
    stranger_shop = await new_shop(api)
    return World(
        owner=owner,
        owner_supplier=seller,
        editor=editor,
        stranger=await buyer(api),
        stranger_supplier=stranger_shop.token,
        order_id=order_id,
        shipment_id=shipment_id,
        inquiry_id=inquiry_id,
        message_id=message_id,
        notification_id=notification_id,
        device_token=device,
        draft_id=draft["id"],
        draft_slug=draft["slug"],
        product_id=item.product_id,
    )


async def owner_view(api: Api, world: World) -> dict[str, Any]:
    """What the owner sees of their things: the matrix checks that strangers changed none of it."""
    order = await api.gql("OrderTracking", {"id": world.order_id}, token=world.owner)
    thread = await api.gql("InquiryThread", {"id": world.inquiry_id, "first": 10}, token=world.owner)
    settings = await api.gql("NotificationSettings", token=world.owner)
    notes = await api.gql("Notifications", {"first": 10}, token=world.owner)
    draft = await api.gql("EditorArticle", {"id": world.draft_id}, token=world.editor)
    return {
        "order": order["data"]["order"],
        "inquiry": thread["data"]["inquiry"],
        "devices": settings["data"]["viewer"]["devices"],
        "notifications": notes["data"]["viewer"],
        "draft": draft["data"]["article"],
    }
