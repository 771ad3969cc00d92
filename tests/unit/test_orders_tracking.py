"""Pure tracking rules: merging events, the ETA and 30-day rules, lane estimates, the webhook door."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

import pytest

from app.domain.shipments import (
    STALE_EVENT_MS,
    Shipment,
    ShipmentStatus,
    TrackingDelivery,
    TrackingEvent,
    all_delivered,
    lane_estimate,
    lane_of,
    merge,
    order_estimate,
    shipment_estimate,
)
from app.edge.webhooks import BadBody, parse_delivery, signature_ok

T = ShipmentStatus
HOUR = 3600 * 1000
ADDED = 1_000 * HOUR


def a_shipment(*events: TrackingEvent, eta: int | None = None) -> Shipment:
    return Shipment(
        "s1",
        "o1",
        "DHL",
        "JD1",
        events[0].status if events else T.INFO_RECEIVED,
        ADDED,
        "CN|ES|dhl",
        eta,
        events,
    )


def ev(status: ShipmentStatus, at: int) -> TrackingEvent:
    return TrackingEvent(status, status.value.title(), None, at)


def delivery(*events: TrackingEvent, eta: int | None = None) -> TrackingDelivery:
    return TrackingDelivery("dhl", "JD1", eta, events)


def test_events_merge_newest_first_without_duplicates() -> None:
    first = merge(a_shipment(), delivery(ev(T.IN_TRANSIT, ADDED + 1), ev(T.IN_TRANSIT, ADDED + 1)))
    assert first.added == 1 and first.status_changed
    second = merge(first.shipment, delivery(ev(T.CUSTOMS, ADDED + 5), ev(T.IN_TRANSIT, ADDED + 1)))
    assert second.added == 1
    late = merge(second.shipment, delivery(ev(T.INFO_RECEIVED, ADDED - HOUR)))
    assert [e.status for e in late.shipment.events] == [T.CUSTOMS, T.IN_TRANSIT, T.INFO_RECEIVED]
    assert late.shipment.status is T.CUSTOMS and not late.status_changed


def test_a_redelivery_changes_nothing() -> None:
    shipment = merge(a_shipment(), delivery(ev(T.IN_TRANSIT, ADDED + 1), eta=ADDED + 50 * HOUR)).shipment
    again = merge(shipment, delivery(ev(T.IN_TRANSIT, ADDED + 1), eta=ADDED + 50 * HOUR))
    assert (again.added, again.status_changed, again.eta_changed) == (0, False, False)
    assert again.shipment == shipment


def test_the_eta_comes_only_from_a_delivery_at_least_as_new_as_the_newest_event() -> None:
    shipment = a_shipment(ev(T.IN_TRANSIT, ADDED + 10))
    assert (
        merge(shipment, delivery(ev(T.INFO_RECEIVED, ADDED + 9), eta=7)).shipment.estimated_delivery is None
    )
    assert merge(shipment, delivery(ev(T.IN_TRANSIT, ADDED + 10), eta=7)).shipment.estimated_delivery == 7
    assert merge(shipment, delivery(eta=7)).shipment.estimated_delivery is None
    assert merge(a_shipment(), delivery(eta=7)).shipment.estimated_delivery == 7


def test_events_older_than_30_days_before_the_shipment_are_ignored() -> None:
    stale = merge(a_shipment(), delivery(ev(T.DELIVERED, ADDED - STALE_EVENT_MS - 1), eta=5))
    assert stale.added == 0 and stale.shipment.status is T.INFO_RECEIVED
    assert stale.shipment.estimated_delivery is None
    label = merge(a_shipment(), delivery(ev(T.INFO_RECEIVED, ADDED - 3 * HOUR)))
    assert label.added == 1


def test_delivered_marks_the_shipment_and_the_order_needs_all_of_them() -> None:
    delivered = merge(a_shipment(), delivery(ev(T.DELIVERED, ADDED + 2 * HOUR))).shipment
    assert delivered.delivered_at == ADDED + 2 * HOUR
    assert all_delivered([delivered])
    assert not all_delivered([delivered, a_shipment()])
    assert not all_delivered([])


def test_estimates_prefer_the_carrier_then_the_lane_median() -> None:
    assert lane_estimate(100, []) is None
    assert lane_estimate(100, [5, 1, 9]) == 105
    assert lane_estimate(100, [4, 8]) == 106
    assert shipment_estimate(a_shipment(eta=900), [5]) == 900
    assert shipment_estimate(a_shipment(), [5]) == ADDED + 5
    assert order_estimate([None, 4, 9]) == 9
    assert order_estimate([None]) is None
    assert lane_of("CN", "ES", " DHL ") == lane_of("CN", "ES", "dhl")


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def test_the_signature_is_checked_against_every_active_secret_and_the_clock() -> None:
    body = b'{"a":1}'
    assert signature_ok(["old", "new"], "1000", sign("new", "1000", body), body, 1000.0)
    assert signature_ok(
        ["old", "new"], "1000", sign("old", "1000", body).upper().replace("SHA256=", "sha256="), body, 1000.0
    )
    assert not signature_ok(["old"], "1000", sign("new", "1000", body), body, 1000.0)
    assert not signature_ok(["old"], "1000", sign("old", "1000", body), body, 1301.0)
    assert signature_ok(["old"], "1000", sign("old", "1000", body), body, 1300.0)
    assert not signature_ok(["old"], None, sign("old", "1000", body), body, 1000.0)
    assert not signature_ok(["old"], "-5", sign("old", "-5", body), body, 1000.0)


def test_a_tracking_body_parses_into_a_delivery() -> None:
    body = (
        b'{"carrier":"DHL","trackingNumber":"JD1","estimatedDelivery":"2026-12-01T10:00:00+01:00",'
        b'"events":[{"status":"CUSTOMS","description":"Held","location":null,"occurredAt":"2026-11-26T10:00:00Z"}]}'
    )
    parsed = parse_delivery(body)
    assert parsed.carrier == "DHL" and parsed.tracking_number == "JD1"
    assert parsed.estimated_delivery == ms(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    assert parsed.events == [
        TrackingEvent(T.CUSTOMS, "Held", None, ms(datetime(2026, 11, 26, 10, 0, tzinfo=UTC)))
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"nope",
        b"[]",
        b'{"carrier":"DHL","trackingNumber":"JD1"}',
        b'{"carrier":"DHL","trackingNumber":"JD1","events":[{"status":"LOST","description":"x","occurredAt":"2026-11-26T10:00:00Z"}]}',
        b'{"carrier":"DHL","trackingNumber":"JD1","events":[{"status":"CUSTOMS","description":"x","occurredAt":"2026-11-26T10:00:00"}]}',
        b'{"carrier":1,"trackingNumber":"JD1","events":[]}',
    ],
)
def test_malformed_tracking_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(BadBody):
        parse_delivery(body)
