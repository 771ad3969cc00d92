"""Order and Shipment types, their inputs and payload; references load through DataLoaders."""

from __future__ import annotations

import strawberry

from app.context import Info
from app.domain import orders as rules
from app.domain import shipments as tracking
from app.domain.accounts import Account, Role
from app.domain.ids import key_of, to_global_id
from app.domain.locales import pick_text
from app.domain.money import Money as DomainMoney
from app.domain.orders import OrderStatus as OrderStatus
from app.domain.shipments import ShipmentStatus
from app.schema.base import Money, Node, PageInfo, UserError
from app.schema.paging import build_page, page_request
from app.schema.products import Product, load_products
from app.schema.scalars import DateTime, Decimal
from app.schema.suppliers import Supplier, load_supplier
from app.services.orders import PlaceCommand
from app.services.shipments import ShipmentCommand

# The domain enums are the GraphQL enums (same names and values); registering them is all it takes.
strawberry.enum(OrderStatus, name="OrderStatus")
strawberry.enum(ShipmentStatus, name="ShipmentStatus")


@strawberry.type
class Address:
    name: str
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str | None
    country: str
    phone: str | None

    @classmethod
    def from_domain(cls, address: rules.Address) -> Address:
        return cls(**{name: getattr(address, name) for name in address.__dataclass_fields__})


@strawberry.input
class AddressInput:
    name: str
    line1: str
    line2: str | None = None
    city: str
    region: str | None = None
    postal_code: str | None = None
    country: str
    phone: str | None = None

    def to_domain(self) -> rules.Address:
        return rules.Address(
            name=self.name.strip(),
            line1=self.line1.strip(),
            line2=self.line2,
            city=self.city.strip(),
            region=self.region,
            postal_code=self.postal_code,
            country=self.country.strip().upper(),
            phone=self.phone,
        )


@strawberry.type
class OrderLine:
    title: str
    quantity: int
    unit_price: Money
    product_key: strawberry.Private[str]

    @strawberry.field
    async def product(self, info: Info) -> Product | None:
        return (await load_products(info, [self.product_key]))[0]


@strawberry.type
class OrderTimelineEntry:
    status: OrderStatus
    at: DateTime
    note: str | None


@strawberry.type
class TrackingEvent:
    status: ShipmentStatus
    description: str
    location: str | None
    occurred_at: DateTime

    @classmethod
    def from_domain(cls, event: tracking.TrackingEvent) -> TrackingEvent:
        return cls(
            status=event.status,
            description=event.description,
            location=event.location,
            occurred_at=DateTime(event.occurred_at),
        )


@strawberry.type
class Shipment(Node):
    id: strawberry.ID
    carrier: str
    tracking_number: str
    status: ShipmentStatus
    estimated_delivery: DateTime | None
    events: list[TrackingEvent]
    last_event: TrackingEvent | None

    @classmethod
    def from_domain(cls, shipment: tracking.Shipment) -> Shipment:
        events = [TrackingEvent.from_domain(e) for e in shipment.events]
        eta = shipment.estimated_delivery
        return cls(
            id=strawberry.ID(to_global_id("Shipment", shipment.key)),
            carrier=shipment.carrier,
            tracking_number=shipment.tracking_number,
            status=shipment.status,
            estimated_delivery=DateTime(eta) if eta is not None else None,
            events=events,
            last_event=events[0] if events else None,
        )


@strawberry.type
class BuyerSummary:
    id: strawberry.ID
    display_name: str | None
    country: str | None


@strawberry.type
class Order(Node):
    id: strawberry.ID
    number: str
    status: OrderStatus
    created_at: DateTime
    updated_at: DateTime
    total: Money
    trade_assurance: bool
    shipping_address: Address
    timeline: list[OrderTimelineEntry]
    domain: strawberry.Private[rules.Order]

    @classmethod
    def from_domain(cls, order: rules.Order) -> Order:
        return cls(
            id=strawberry.ID(to_global_id("Order", order.key)),
            number=order.number,
            status=order.status,
            created_at=DateTime(order.created_at),
            updated_at=DateTime(order.updated_at),
            total=Money.from_domain(DomainMoney(order.total, order.currency)),
            trade_assurance=order.trade_assurance,
            shipping_address=Address.from_domain(order.shipping_address),
            timeline=[
                OrderTimelineEntry(status=t.status, at=DateTime(t.at), note=t.note) for t in order.timeline
            ],
            domain=order,
        )

    @classmethod
    def maybe(cls, order: rules.Order | None) -> Order | None:
        return cls.from_domain(order) if order is not None else None

    @strawberry.field
    async def buyer(self, info: Info) -> BuyerSummary:
        """Read from the account, so a deleted buyer shows anonymized; the id is the buyer's Viewer id."""
        account = await info.context.loaders.account_by_key.load(self.domain.buyer_key)
        return BuyerSummary(
            id=strawberry.ID(to_global_id("Viewer", self.domain.buyer_key)),
            display_name=account.display_name if account is not None else None,
            country=account.country if account is not None else None,
        )

    @strawberry.field
    async def supplier(self, info: Info) -> Supplier:
        found = await load_supplier(info, self.domain.supplier_key)
        if found is None:
            raise LookupError(f"order {self.domain.key} names a missing supplier")
        return found

    @strawberry.field
    def lines(self, info: Info) -> list[OrderLine]:
        currency = self.domain.currency
        return [
            OrderLine(
                title=pick_text(dict(line.titles), info.context.locale),
                quantity=line.quantity,
                unit_price=Money.from_domain(DomainMoney(line.unit_price, currency)),
                product_key=line.product_key,
            )
            for line in self.domain.lines
        ]

    @strawberry.field
    async def shipments(self, info: Info) -> list[Shipment]:
        found = await info.context.loaders.shipments_by_order_key.load(self.domain.key)
        return [Shipment.from_domain(s) for s in found]

    @strawberry.field
    async def estimated_delivery(self, info: Info) -> DateTime | None:
        """The carrier's estimate when given, else the lane's median transit time, per open shipment."""
        found = await info.context.loaders.shipments_by_order_key.load(self.domain.key)
        open_ones = [s for s in found if s.status is not tracking.ShipmentStatus.DELIVERED]
        samples = await info.context.loaders.transit_times_by_lane.load_many([s.lane for s in open_ones])
        estimate = tracking.order_estimate(
            [tracking.shipment_estimate(s, times) for s, times in zip(open_ones, samples, strict=True)]
        )
        return DateTime(estimate) if estimate is not None else None


@strawberry.type
class OrderEdge:
    cursor: str
    node: Order


@strawberry.type
class OrderConnection:
    edges: list[OrderEdge]
    page_info: PageInfo


@strawberry.input
class PlaceOrderInput:
    product_id: strawberry.ID
    quantity: int
    expected_total: Decimal | None = None
    shipping_address: AddressInput
    idempotency_key: str
    note: str | None = None

    def to_command(self, currency: str) -> PlaceCommand:
        return PlaceCommand(
            product_key=key_of(self.product_id, "Product"),
            quantity=self.quantity,
            expected_total=self.expected_total,
            address=self.shipping_address.to_domain(),
            idempotency_key=self.idempotency_key,
            note=self.note,
            currency=currency,
        )


@strawberry.input
class UpdateOrderStatusInput:
    order_id: strawberry.ID
    status: OrderStatus
    note: str | None = None


@strawberry.input
class AddShipmentInput:
    order_id: strawberry.ID
    carrier: str
    tracking_number: str
    estimated_delivery: DateTime | None = None
    idempotency_key: str

    def to_command(self) -> ShipmentCommand:
        return ShipmentCommand(
            order_key=key_of(self.order_id, "Order"),
            carrier=self.carrier,
            tracking_number=self.tracking_number,
            estimated_delivery=self.estimated_delivery,
            idempotency_key=self.idempotency_key,
        )


@strawberry.input
class CancelOrderInput:
    order_id: strawberry.ID
    reason: str | None = None


@strawberry.type
class OrderPayload:
    order: Order | None
    user_errors: list[UserError]


async def orders_connection(
    info: Info, account: Account, first: int | None, after: str | None, status: OrderStatus | None
) -> OrderConnection:
    """A buyer's own orders, or a supplier user's supplier's orders; newest first, personal cursors."""
    request = page_request(info, "orders", first, after, default=20, personal=True, args=[status])
    owner: tuple[str, str] | None = None
    if account.role is Role.BUYER:
        owner = ("buyer_key", account.key)
    elif account.role is Role.SUPPLIER and account.supplier_key is not None:
        owner = ("supplier_key", account.supplier_key)
    fetched: list[rules.Order] = []
    if owner is not None and request.first > 0:
        status_filter = OrderStatus(status.value) if status is not None else None
        fetched = await info.context.ports.repos.orders.page(
            *owner, status_filter, request.after, request.fetch
        )
    page = build_page(info, request, fetched, lambda o: [o.created_at, o.key])
    edges = [
        OrderEdge(cursor=c, node=Order.from_domain(o)) for o, c in zip(page.items, page.cursors, strict=True)
    ]
    return OrderConnection(edges=edges, page_info=page.page_info)
