"""POST /webhooks/tracking: carriers' tracking events, signed, checked, then handed to the tracking service.

Order of checks (CONTRACT.md section 7): the signature first, in constant time, against every
active secret (several during a rotation), with the timestamp at most 300 s away: else 401 and
nothing stored, whatever the body. Then a malformed body or unknown status is 400; a carrier and
tracking number no shipment has is 404.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.domain.shipments import (
    MAX_CARRIER,
    MAX_TRACKING_NUMBER,
    ShipmentStatus,
    TrackingDelivery,
    TrackingEvent,
)
from app.schema.scalars import parse_datetime

if TYPE_CHECKING:
    from app.edge.runner import Runner
    from app.wiring import Engines

MAX_SKEW_SECONDS = 300
MAX_BODY_BYTES = 1_000_000
MAX_EVENTS = 500
MAX_TEXT = 1000


class RunningApp(Protocol):
    """What the route needs of the app's state (filled in by the lifespan)."""

    @property
    def engines(self) -> Engines | None: ...

    @property
    def runner(self) -> Runner | None: ...


class BadBody(ValueError):
    """The body is not a tracking delivery we understand (400)."""


def signature_ok(
    secrets: Sequence[str], timestamp: str | None, signature: str | None, body: bytes, now: float
) -> bool:
    if not timestamp or not signature or not timestamp.isdigit() or not signature.startswith("sha256="):
        return False
    given = signature[len("sha256=") :].lower().encode()
    signed = timestamp.encode() + b"." + body
    matched = False
    for secret in secrets:
        expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest().encode()
        # Every secret is compared, so timing tells nothing about which one (or whether any) matched.
        matched |= hmac.compare_digest(expected, given)
    return matched and abs(now - int(timestamp)) <= MAX_SKEW_SECONDS


def _text(value: Any, name: str, limit: int, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise BadBody(f"`{name}` must be a non-empty string of at most {limit} characters")
    return value.strip()


def _moment(value: Any, name: str) -> int:
    try:
        return parse_datetime(value)
    except ValueError:
        raise BadBody(f"`{name}` must be an ISO 8601 date-time with an offset") from None


def _event(raw: Any, index: int) -> TrackingEvent:
    if not isinstance(raw, dict):
        raise BadBody(f"events[{index}] must be an object")
    try:
        status = ShipmentStatus(str(raw.get("status")))
    except ValueError:
        raise BadBody(f"events[{index}].status is not a ShipmentStatus") from None
    description = raw.get("description")
    if not isinstance(description, str) or len(description) > MAX_TEXT:
        raise BadBody(f"events[{index}].description must be a string of at most {MAX_TEXT} characters")
    location = _text(raw.get("location"), f"events[{index}].location", MAX_TEXT, optional=True)
    occurred_at = _moment(raw.get("occurredAt"), f"events[{index}].occurredAt")
    return TrackingEvent(status, description.strip(), location, occurred_at)


def parse_delivery(body: bytes) -> TrackingDelivery:
    try:
        raw = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise BadBody("the body is not JSON") from None
    if not isinstance(raw, dict):
        raise BadBody("the body must be a JSON object")
    events = raw.get("events")
    if not isinstance(events, list) or len(events) > MAX_EVENTS:
        raise BadBody(f"`events` must be a list of at most {MAX_EVENTS} events")
    eta = raw.get("estimatedDelivery")
    return TrackingDelivery(
        carrier=_text(raw.get("carrier"), "carrier", MAX_CARRIER) or "",
        tracking_number=_text(raw.get("trackingNumber"), "trackingNumber", MAX_TRACKING_NUMBER) or "",
        estimated_delivery=_moment(eta, "estimatedDelivery") if eta is not None else None,
        events=[_event(e, i) for i, e in enumerate(events)],
    )


def _problem(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers={"Cache-Control": "no-store"})


def tracking_webhook(state: RunningApp) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        assert state.engines is not None and state.runner is not None
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return _problem(413, "The body is larger than 1 MB.")
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _problem(413, "The body is larger than 1 MB.")
        headers = request.headers
        secrets = state.engines.secrets.webhook
        if not signature_ok(
            secrets, headers.get("x-timestamp"), headers.get("x-signature"), body, time.time()
        ):
            return _problem(401, "Missing or invalid signature, or a timestamp more than 300 seconds away.")
        try:
            delivery = parse_delivery(body)
        except BadBody as problem:
            return _problem(400, str(problem))
        result = await state.runner.services.tracking.ingest(delivery, body.decode("utf-8", "replace"))
        if not result.matched:
            return _problem(404, "No shipment has this carrier and tracking number.")
        return JSONResponse({"shipments": result.matched, "eventsAdded": result.added})

    return endpoint
