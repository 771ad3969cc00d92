"""Shipments: carrier tracking events merged into a shipment, and the delivery estimate of a lane."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

STALE_EVENT_MS = 30 * 24 * 3600 * 1000
"""Events this much older than the shipment belong to an earlier use of the tracking number."""
LANE_SAMPLES = 50
MAX_TRACKING_NUMBER = 64
MAX_CARRIER = 64


class ShipmentStatus(StrEnum):
    INFO_RECEIVED = "INFO_RECEIVED"
    IN_TRANSIT = "IN_TRANSIT"
    CUSTOMS = "CUSTOMS"
    OUT_FOR_DELIVERY = "OUT_FOR_DELIVERY"
    DELIVERED = "DELIVERED"
    EXCEPTION = "EXCEPTION"
    RETURNED = "RETURNED"


PUSHED_STATUSES = frozenset(
    {
        ShipmentStatus.CUSTOMS,
        ShipmentStatus.OUT_FOR_DELIVERY,
        ShipmentStatus.DELIVERED,
        ShipmentStatus.EXCEPTION,
    }
)
"""Shipment statuses worth a push to the buyer; the others only make an in-app notification."""


@dataclass(frozen=True)
class TrackingEvent:
    status: ShipmentStatus
    description: str
    location: str | None
    occurred_at: int


@dataclass(frozen=True)
class Shipment:
    key: str
    order_key: str
    carrier: str
    tracking_number: str
    status: ShipmentStatus
    created_at: int
    lane: str
    estimated_delivery: int | None = None
    events: Sequence[TrackingEvent] = field(default_factory=tuple)
    """Newest first."""
    delivered_at: int | None = None

    @property
    def last_event(self) -> TrackingEvent | None:
        return self.events[0] if self.events else None


@dataclass(frozen=True)
class TrackingDelivery:
    """One accepted webhook call, already checked: what the carrier says about one tracking number."""

    carrier: str
    tracking_number: str
    estimated_delivery: int | None
    events: Sequence[TrackingEvent]


@dataclass(frozen=True)
class Merge:
    shipment: Shipment
    added: int
    status_changed: bool
    eta_changed: bool


def carrier_key(carrier: str) -> str:
    """Carriers are matched case-insensitively (a webhook says "DHL", the supplier typed "dhl")."""
    return carrier.strip().casefold()


def lane_of(origin_country: str | None, destination_country: str, carrier: str) -> str:
    return f"{origin_country or '?'}|{destination_country}|{carrier_key(carrier)}"


def merge(shipment: Shipment, delivery: TrackingDelivery) -> Merge:
    """New events are added (deduplicated, newest first); status follows the newest event.

    The carrier's estimate is taken only from a delivery at least as new as the newest event
    already stored, so a late redelivery of an old call cannot bring back an outdated estimate.
    """
    known = {(e.status, e.occurred_at) for e in shipment.events}
    newest_before = shipment.events[0].occurred_at if shipment.events else None
    oldest_allowed = shipment.created_at - STALE_EVENT_MS
    fresh = [
        e
        for e in delivery.events
        if e.occurred_at >= oldest_allowed and (e.status, e.occurred_at) not in known
    ]
    unique = list({(e.status, e.occurred_at): e for e in fresh}.values())
    events = sorted([*shipment.events, *unique], key=lambda e: e.occurred_at, reverse=True)
    status = events[0].status if events else shipment.status
    eta = shipment.estimated_delivery
    if delivery.estimated_delivery is not None and _is_current(delivery, oldest_allowed, newest_before):
        eta = delivery.estimated_delivery
    delivered_at = shipment.delivered_at
    if status is ShipmentStatus.DELIVERED and delivered_at is None:
        delivered_at = events[0].occurred_at
    updated = replace(
        shipment, events=tuple(events), status=status, estimated_delivery=eta, delivered_at=delivered_at
    )
    return Merge(updated, len(unique), status is not shipment.status, eta != shipment.estimated_delivery)


def _is_current(delivery: TrackingDelivery, oldest_allowed: int, newest_stored: int | None) -> bool:
    if not delivery.events:
        return newest_stored is None
    newest = max(e.occurred_at for e in delivery.events)
    return newest >= oldest_allowed and (newest_stored is None or newest >= newest_stored)


def all_delivered(shipments: Sequence[Shipment]) -> bool:
    return bool(shipments) and all(s.status is ShipmentStatus.DELIVERED for s in shipments)


def lane_estimate(shipped_at: int, transit_samples: Sequence[int]) -> int | None:
    """Shipped time plus the median transit time of earlier deliveries on the lane, if any."""
    if not transit_samples:
        return None
    return shipped_at + int(statistics.median(transit_samples))


def shipment_estimate(shipment: Shipment, transit_samples: Sequence[int]) -> int | None:
    if shipment.status is ShipmentStatus.DELIVERED:
        return None
    if shipment.estimated_delivery is not None:
        return shipment.estimated_delivery
    return lane_estimate(shipment.created_at, transit_samples)


def order_estimate(estimates: Sequence[int | None]) -> int | None:
    """An order arrives with its last parcel: the latest estimate of its undelivered shipments."""
    known = [e for e in estimates if e is not None]
    return max(known) if known else None
