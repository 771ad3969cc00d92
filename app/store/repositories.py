"""Repositories: every repository of one database, built once at start."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.store.accounts import AccountRepository
from app.store.articles import ArticleRepository
from app.store.devices import DeviceRepository
from app.store.engagement import EngagementRepository
from app.store.events import EventRepository
from app.store.feed_snapshots import FeedSnapshotRepository
from app.store.follows import FollowRepository
from app.store.idempotency import IdempotencyRepository
from app.store.inquiries import InquiryRepository
from app.store.interests import InterestRepository
from app.store.notification_settings import NotificationSettingsRepository
from app.store.notifications import NotificationRepository
from app.store.orders import LaneRepository, OrderRepository, ShipmentRepository, TrackingLog
from app.store.outbox import OutboxRepository
from app.store.port import Database
from app.store.products import ProductRepository
from app.store.rates import RateRepository
from app.store.reports import ReportRepository
from app.store.saved import SavedRepository
from app.store.suppliers import SupplierRepository
from app.store.verticals import VerticalRepository


class Indexed(Protocol):
    async def ensure_indexes(self) -> None: ...


@dataclass(frozen=True)
class Repositories:
    database: Database
    accounts: AccountRepository
    verticals: VerticalRepository
    outbox: OutboxRepository
    rates: RateRepository
    interests: InterestRepository
    notifications: NotificationRepository
    products: ProductRepository
    suppliers: SupplierRepository
    saved: SavedRepository
    follows: FollowRepository
    inquiries: InquiryRepository
    devices: DeviceRepository
    notification_settings: NotificationSettingsRepository
    reports: ReportRepository
    articles: ArticleRepository
    orders: OrderRepository
    shipments: ShipmentRepository
    lanes: LaneRepository
    tracking_log: TrackingLog
    idempotency: IdempotencyRepository
    events: EventRepository
    engagement: EngagementRepository
    feed_snapshots: FeedSnapshotRepository

    @classmethod
    def over(cls, database: Database) -> Repositories:
        return cls(
            database=database,
            accounts=AccountRepository(database),
            verticals=VerticalRepository(database),
            outbox=OutboxRepository(database),
            rates=RateRepository(database),
            interests=InterestRepository(database),
            notifications=NotificationRepository(database),
            products=ProductRepository(database),
            suppliers=SupplierRepository(database),
            saved=SavedRepository(database),
            follows=FollowRepository(database),
            inquiries=InquiryRepository(database),
            devices=DeviceRepository(database),
            notification_settings=NotificationSettingsRepository(database),
            reports=ReportRepository(database),
            articles=ArticleRepository(database),
            orders=OrderRepository(database),
            shipments=ShipmentRepository(database),
            lanes=LaneRepository(database),
            tracking_log=TrackingLog(database),
            idempotency=IdempotencyRepository(database),
            events=EventRepository(database),
            engagement=EngagementRepository(database),
            feed_snapshots=FeedSnapshotRepository(database),
        )

    async def ensure_indexes(self) -> None:
        for repository in self.all():
            await repository.ensure_indexes()

    def all(self) -> list[Indexed]:
        return [value for value in self.__dict__.values() if hasattr(value, "ensure_indexes")]
