"""Services: every use case, built once at start over the repositories and the ports."""

from __future__ import annotations

from dataclasses import dataclass

from app.ports import Ports
from app.services.accounts import AccountService
from app.services.articles import ArticleService
from app.services.catalog import CatalogService
from app.services.devices import DeviceService
from app.services.events import EventService
from app.services.feeds import FeedService
from app.services.indexing import IndexingService
from app.services.inquiries import InquiryService
from app.services.interests import InterestService
from app.services.notifications import NotificationService
from app.services.orders import OrderService
from app.services.shipments import ShipmentService
from app.services.tracking import TrackingService
from app.services.transactions import TransactionRunner
from app.services.trending import TrendingService


@dataclass(frozen=True)
class Services:
    accounts: AccountService
    interests: InterestService
    catalog: CatalogService
    indexing: IndexingService
    articles: ArticleService
    orders: OrderService
    shipments: ShipmentService
    tracking: TrackingService
    inquiries: InquiryService
    devices: DeviceService
    notifications: NotificationService
    events: EventService
    feeds: FeedService
    trending: TrendingService

    @classmethod
    def build(cls, ports: Ports) -> Services:
        transactions = TransactionRunner(ports.repos, ports.wake_dispatcher)
        return cls(
            accounts=AccountService(ports.repos, transactions),
            interests=InterestService(ports.repos.database),
            # InterestService holds no state of its own: a second instance over the same database is the same.
            catalog=CatalogService(
                ports.repos, transactions, InterestService(ports.repos.database), ports.search
            ),
            indexing=IndexingService(ports.repos, ports.search),
            articles=ArticleService(ports.repos, transactions),
            orders=OrderService(ports.repos, transactions),
            shipments=ShipmentService(ports.repos, transactions),
            tracking=TrackingService(ports.repos, transactions),
            inquiries=InquiryService(ports.repos, transactions, InterestService(ports.repos.database)),
            devices=DeviceService(ports.repos, transactions),
            notifications=NotificationService(ports.repos, transactions, ports.broker),
            events=EventService(ports.repos, transactions, InterestService(ports.repos.database)),
            feeds=FeedService(ports.repos, ports.search, InterestService(ports.repos.database)),
            trending=TrendingService(ports.repos),
        )
