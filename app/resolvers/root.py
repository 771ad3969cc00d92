"""The schema: root types merged from each domain's resolvers."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from app.resolvers.accounts import AccountMutation, AccountQuery
from app.resolvers.articles import ArticleMutation, ArticleQuery
from app.resolvers.devices import DeviceMutation
from app.resolvers.feeds import FeedMutation, FeedQuery
from app.resolvers.inquiries import InquiryMutation, InquiryQuery, InquirySubscription
from app.resolvers.nodes import NodeQuery
from app.resolvers.notifications import NotificationMutation, NotificationSubscription
from app.resolvers.orders import OrderMutation, OrderQuery, OrderSubscription
from app.resolvers.products import ProductMutation, ProductQuery
from app.resolvers.search import SearchQuery
from app.resolvers.suppliers import SupplierMutation, SupplierQuery
from app.resolvers.verticals import VerticalQuery
from app.schema.scalars import SCALARS


@strawberry.type
class Query(
    NodeQuery,
    AccountQuery,
    VerticalQuery,
    ArticleQuery,
    ProductQuery,
    SupplierQuery,
    OrderQuery,
    InquiryQuery,
    FeedQuery,
    SearchQuery,
):
    pass


@strawberry.type
class Mutation(
    AccountMutation,
    ArticleMutation,
    ProductMutation,
    SupplierMutation,
    OrderMutation,
    InquiryMutation,
    DeviceMutation,
    NotificationMutation,
    FeedMutation,
):
    pass


@strawberry.type
class Subscription(OrderSubscription, InquirySubscription, NotificationSubscription):
    pass


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=StrawberryConfig(scalar_map=SCALARS),
    )
