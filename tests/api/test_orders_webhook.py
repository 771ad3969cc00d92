"""POST /webhooks/tracking at the door: signature, timestamp, rotation, 400 and 404, and the audit copy."""

from __future__ import annotations

import json
import time

from tests.api.harness import Api, _on_server, unique
from tests.api.test_orders_support import ago, event, shipped_order, signature, tracking, webhook


async def audit_copies(api: Api, number: str) -> list[dict[str, object]]:
    log = api.state.engines.ports.repos.database.collection("tracking_deliveries")  # type: ignore[union-attr]

    async def read() -> list[dict[str, object]]:
        return [d async for d in log.find({"tracking_number": number})]

    found: list[dict[str, object]] = await _on_server(api, read())
    return found


async def test_a_signed_delivery_is_accepted_and_its_raw_body_kept_for_audit(api: Api) -> None:
    _, buyer, _, order_id, number = await shipped_order(api)
    status = await webhook(api, "DHL", number, [event("IN_TRANSIT", ago(hours=1))])
    assert status == 200
    [copy] = await audit_copies(api, number)
    assert json.loads(str(copy["body"]))["trackingNumber"] == number
    assert (await tracking(api, buyer, order_id))["shipments"][0]["status"] == "IN_TRANSIT"


async def test_a_wrong_or_missing_signature_is_401_and_stores_nothing(api: Api) -> None:
    # given
    _, buyer, _, order_id, number = await shipped_order(api)
    body = json.dumps(
        {"carrier": "DHL", "trackingNumber": number, "events": [event("IN_TRANSIT", ago(hours=1))]}
    ).encode()
    now = str(int(time.time()))
    attempts = [
        {},
        {"X-Timestamp": now},
        {"X-Timestamp": now, "X-Signature": signature("not-the-secret", now, body)},
        {"X-Timestamp": now, "X-Signature": signature(api.settings.webhook_secrets[0], now, body + b" ")},
        {"X-Timestamp": now, "X-Signature": "md5=abc"},
    ]
    # when / then
    for headers in attempts:
        response = await api.client.post("/webhooks/tracking", content=body, headers=headers)
        assert response.status_code == 401, headers
    assert await audit_copies(api, number) == []
    assert (await tracking(api, buyer, order_id))["shipments"][0]["status"] == "INFO_RECEIVED"


async def test_a_timestamp_more_than_300_seconds_away_is_401(api: Api) -> None:
    _, _, _, _, number = await shipped_order(api)
    events = [event("IN_TRANSIT", ago(hours=1))]
    assert await webhook(api, "DHL", number, events, skew=-301) == 401
    assert await webhook(api, "DHL", number, events, skew=301) == 401
    assert await webhook(api, "DHL", number, events, skew=-290) == 200


async def test_the_signature_is_checked_before_the_body(api: Api) -> None:
    assert await webhook(api, "DHL", "x", [], raw=b"not json", secret="wrong-secret") == 401
    assert await webhook(api, "DHL", unique("TRK"), [], secret="wrong-secret") == 401


async def test_every_active_secret_is_accepted_during_a_rotation(api: Api) -> None:
    _, _, _, _, number = await shipped_order(api)
    secrets = api.state.engines.secrets.webhook  # type: ignore[union-attr]
    secrets.append("the-next-secret")
    try:
        assert (
            await webhook(api, "DHL", number, [event("IN_TRANSIT", ago(hours=2))], secret="the-next-secret")
            == 200
        )
        assert await webhook(api, "DHL", number, [event("CUSTOMS", ago(hours=1))], secret=secrets[0]) == 200
    finally:
        secrets.remove("the-next-secret")
    assert (
        await webhook(api, "DHL", number, [event("CUSTOMS", ago(hours=1))], secret="the-next-secret") == 401
    )


async def test_a_malformed_body_or_an_unknown_status_is_400(api: Api) -> None:
    _, _, _, _, number = await shipped_order(api)
    assert await webhook(api, "DHL", number, [], raw=b"{not json") == 400
    assert await webhook(api, "DHL", number, [], raw=b"[]") == 400
    assert await webhook(api, "DHL", number, [event("TELEPORTED", ago(hours=1))]) == 400
    assert (
        await webhook(
            api, "DHL", number, [{"status": "IN_TRANSIT", "description": "x", "occurredAt": "yesterday"}]
        )
        == 400
    )
    assert await webhook(api, "DHL", number, [{"status": "IN_TRANSIT", "occurredAt": ago(hours=1)}]) == 400
    assert await webhook(api, "", number, [event("IN_TRANSIT", ago(hours=1))]) == 400
    assert await audit_copies(api, number) == []


async def test_an_unknown_tracking_number_is_404_and_the_carrier_matches_case_insensitively(api: Api) -> None:
    _, _, _, _, number = await shipped_order(api)
    assert await webhook(api, "DHL", unique("TRK"), [event("IN_TRANSIT", ago(hours=1))]) == 404
    assert await webhook(api, "UPS", number, [event("IN_TRANSIT", ago(hours=1))]) == 404
    assert await webhook(api, "dhl", number, [event("IN_TRANSIT", ago(hours=1))]) == 200
