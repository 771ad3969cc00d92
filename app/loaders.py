"""DataLoaders of one request: every list of references is loaded in one batch per kind."""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader

from app.domain.accounts import Account
from app.domain.articles import Article
from app.domain.inquiries import Inquiry, ReaderState
from app.domain.inquiries import Message as InquiryMessage
from app.domain.notifications_rules import Notification
from app.domain.orders import Order
from app.domain.products import Product
from app.domain.shipments import Shipment
from app.domain.suppliers import Supplier
from app.domain.verticals import Vertical
from app.store.articles import ArticleEvents
from app.store.repositories import Repositories


class Loaders:
    """Built per request, so nothing cached outlives the request or crosses viewers."""

    def __init__(self, repos: Repositories) -> None:
        self._repos = repos

    @cached_property
    def vertical_by_key(self) -> DataLoader[str, Vertical | None]:
        return DataLoader(load_fn=self._repos.verticals.get_many)

    @cached_property
    def account_by_key(self) -> DataLoader[str, Account | None]:
        return DataLoader(load_fn=self._repos.accounts.get_many)

    @cached_property
    def product_by_key(self) -> DataLoader[str, Product | None]:
        return DataLoader(load_fn=self._repos.products.get_many)

    @cached_property
    def supplier_by_key(self) -> DataLoader[str, Supplier | None]:
        return DataLoader(load_fn=self._repos.suppliers.get_many)

    @cached_property
    def saved_by_user_product(self) -> DataLoader[tuple[str, str], bool]:
        """Whether (user key, product key) is saved: one batch for every product on a page."""
        return DataLoader(load_fn=self._repos.saved.kept_pairs)

    @cached_property
    def followed_by_user_supplier(self) -> DataLoader[tuple[str, str], bool]:
        return DataLoader(load_fn=self._repos.follows.kept_pairs)

    @cached_property
    def article_by_key(self) -> DataLoader[str, Article | None]:
        return DataLoader(load_fn=self._repos.articles.get_many)

    @cached_property
    def article_events_by_key(self) -> DataLoader[str, ArticleEvents]:
        return DataLoader(load_fn=self._repos.articles.events_of)

    @cached_property
    def order_by_key(self) -> DataLoader[str, Order | None]:
        return DataLoader(load_fn=self._repos.orders.get_many)

    @cached_property
    def shipments_by_order_key(self) -> DataLoader[str, list[Shipment]]:
        return DataLoader(load_fn=self._repos.shipments.of_orders)

    @cached_property
    def transit_times_by_lane(self) -> DataLoader[str, list[int]]:
        """Recent transit times (ms) of each lane, for delivery estimates without a carrier's."""
        return DataLoader(load_fn=self._repos.lanes.get_many)

    @cached_property
    def inquiry_by_key(self) -> DataLoader[str, Inquiry | None]:
        return DataLoader(load_fn=self._repos.inquiries.get_many)

    @cached_property
    def inquiry_message_by_key(self) -> DataLoader[str, InquiryMessage | None]:
        return DataLoader(load_fn=self._repos.inquiries.messages_many)

    @cached_property
    def inquiry_reader_by_pair(self) -> DataLoader[tuple[str, str], ReaderState]:
        """Each (inquiry key, user key)'s unread count, read time and mute: one batch per page."""
        return DataLoader(load_fn=self._repos.inquiries.readers_many)

    @cached_property
    def notification_by_key(self) -> DataLoader[str, Notification | None]:
        return DataLoader(load_fn=self._repos.notifications.get_many)
