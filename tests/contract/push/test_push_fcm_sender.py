"""The FCM push sender against a fake FCM HTTP v1 endpoint, through firebase-admin's real
`messaging.send_each_async` path: message bodies, batching, error mapping, Retry-After."""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import socket
import time
from typing import Any

import pytest
from firebase_admin import messaging

from push import fcm_sender as fcm_sender_module
from push.fcm_errors import parse_retry_after
from push.fcm_sender import FcmPushSender, endpoint_kind, open_fcm_sender
from push.port import PushMessage, SendOutcome, open_push_sender
from tests.servers.fcm import (
    INTERNAL,
    INVALID_PAYLOAD,
    INVALID_TOKEN,
    INVALID_TOKEN_FIELD,
    SENDER_ID_MISMATCH,
    THIRD_PARTY_AUTH_ERROR,
    UNREGISTERED,
    FakeFcm,
    FcmError,
    quota_exceeded,
    unavailable,
)

PROJECT_ID = "demo-buyer"


def token(n: int | str) -> str:
    """A token-shaped address (FCM registration tokens are ~150 characters)."""
    return f"tok{n}:APA91b" + "x" * 140 + f"-{n}"


def message(
    n: int | str,
    *,
    address: str | None = None,
    address_kind: str = "token",
    title: str = "New quote",
    body: str = "Supplier sent a quote",
    data: dict[str, Any] | None = None,
    group: str = "rfq-7",
    badge: int | None = None,
    platform: str = "ANDROID",
) -> PushMessage:
    return PushMessage(
        delivery_key=f"n1:{n}",
        address=address if address is not None else token(n),
        address_kind=address_kind,  # type: ignore[arg-type]
        title=title,
        body=body,
        data=data if data is not None else {"kind": "quote", "notificationId": "n1", "targetId": "rfq-7"},
        group=group,
        badge=badge,
        platform=platform,  # type: ignore[arg-type]
    )


# -- message bodies ------------------------------------------------------------------------


async def test_token_message_body(sender: FcmPushSender, fcm: FakeFcm) -> None:
    [result] = await sender.send([message(1, badge=3, platform="IOS")])

    assert result.outcome is SendOutcome.SENT
    [received] = fcm.messages
    assert received.project == PROJECT_ID
    assert result.provider_message_id == received.message_id
    assert received.message_id.startswith(f"projects/{PROJECT_ID}/messages/")
    body = received.message
    assert body["token"] == token(1)
    assert "fid" not in body
    assert body["data"] == {"kind": "quote", "notificationId": "n1", "targetId": "rfq-7"}
    assert body["notification"] == {"title": "New quote", "body": "Supplier sent a quote"}
    assert body["android"] == {"notification": {"tag": "rfq-7"}}
    assert "collapse_key" not in body["android"]
    assert body["apns"] == {
        "payload": {
            "aps": {
                "alert": {"title": "New quote", "body": "Supplier sent a quote"},
                "badge": 3,
                "thread-id": "rfq-7",
            }
        }
    }
    assert "validate_only" not in fcm.requests[0].body


async def test_fid_message_body(sender: FcmPushSender, fcm: FakeFcm) -> None:
    [result] = await sender.send([message(1, address="fid-cXy7-installation", address_kind="fid")])

    assert result.outcome is SendOutcome.SENT
    [received] = fcm.messages
    assert received.message["fid"] == "fid-cXy7-installation"
    assert "token" not in received.message


async def test_no_group_and_no_badge_are_left_out(sender: FcmPushSender, fcm: FakeFcm) -> None:
    await sender.send([message(1, group="", badge=None), message(2, group="", badge=0)])

    first, second = sorted(fcm.messages, key=lambda m: m.message["token"])
    assert "android" not in first.message  # no tag: nothing Android-specific to say
    assert first.message["apns"]["payload"]["aps"] == {
        "alert": {"title": "New quote", "body": "Supplier sent a quote"}
    }
    assert second.message["apns"]["payload"]["aps"]["badge"] == 0  # 0 clears the badge


async def test_web_platform_gets_webpush_tag(sender: FcmPushSender, fcm: FakeFcm) -> None:
    await sender.send([message(1, platform="WEB")])

    [received] = fcm.messages
    assert received.message["webpush"] == {"notification": {"tag": "rfq-7"}}


async def test_loopback_endpoint_gets_no_credentials(sender: FcmPushSender, fcm: FakeFcm) -> None:
    await sender.send([message(1)])

    [request] = fcm.requests
    assert "authorization" not in request.headers
    assert request.path == f"/v1/projects/{PROJECT_ID}/messages:send"
    assert sender.anonymous


async def test_results_are_in_input_order(sender: FcmPushSender, fcm: FakeFcm) -> None:
    fcm.fail(token(3), UNREGISTERED)
    messages = [message(i) for i in range(8)]

    results = await sender.send(messages)

    assert [r.delivery_key for r in results] == [m.delivery_key for m in messages]
    assert [r.outcome for r in results] == [SendOutcome.SENT] * 3 + [SendOutcome.DROP_ADDRESS] + [
        SendOutcome.SENT
    ] * 4
    by_token = {m.message["token"]: m.message_id for m in fcm.messages}
    for m, r in zip(messages, results, strict=True):
        if r.outcome is SendOutcome.SENT:
            assert r.provider_message_id == by_token[m.address]


async def test_empty_send(sender: FcmPushSender, fcm: FakeFcm) -> None:
    assert await sender.send([]) == []
    assert fcm.requests == []


# -- batching ------------------------------------------------------------------------------


async def test_1200_messages_go_in_calls_of_at_most_500(
    sender: FcmPushSender, fcm: FakeFcm, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = messaging.send_each_async

    async def spy(messages: list[Any], dry_run: bool = False, app: Any = None) -> Any:
        calls.append(len(messages))
        return await real(messages, dry_run=dry_run, app=app)

    monkeypatch.setattr(messaging, "send_each_async", spy)
    fcm.fail(token(777), UNREGISTERED)
    messages = [message(i) for i in range(1200)]

    results = await sender.send(messages)

    assert calls == [500, 500, 200]
    assert len(results) == 1200
    assert [r.delivery_key for r in results] == [m.delivery_key for m in messages]
    assert sum(r.outcome is SendOutcome.SENT for r in results) == 1199
    assert results[777].outcome is SendOutcome.DROP_ADDRESS
    received = {m.message["token"] for m in fcm.messages}
    assert len(fcm.messages) == 1199
    assert received == {token(i) for i in range(1200)} - {token(777)}


# -- error mapping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "outcome", "code", "retry_after"),
    [
        pytest.param(UNREGISTERED, SendOutcome.DROP_ADDRESS, "UNREGISTERED", None, id="unregistered-404"),
        pytest.param(
            SENDER_ID_MISMATCH, SendOutcome.DROP_ADDRESS, "SENDER_ID_MISMATCH", None, id="sender-id-403"
        ),
        pytest.param(
            INVALID_TOKEN, SendOutcome.DROP_ADDRESS, "INVALID_ARGUMENT", None, id="invalid-token-message"
        ),
        pytest.param(
            INVALID_TOKEN_FIELD, SendOutcome.DROP_ADDRESS, "INVALID_ARGUMENT", None, id="invalid-token-field"
        ),
        pytest.param(INVALID_PAYLOAD, SendOutcome.FAILED, "INVALID_ARGUMENT", None, id="invalid-payload"),
        pytest.param(
            FcmError(400, "Request contains an invalid argument.", "INVALID_ARGUMENT"),
            SendOutcome.FAILED,
            "INVALID_ARGUMENT",
            None,
            id="invalid-argument-unnamed",
        ),
        pytest.param(quota_exceeded("30"), SendOutcome.RETRY, "QUOTA_EXCEEDED", 30.0, id="quota-429"),
        pytest.param(
            FcmError(429, "Too many requests", retry_after="2"),
            SendOutcome.RETRY,
            "RESOURCE_EXHAUSTED",
            2.0,
            id="429-no-fcm-code",
        ),
        pytest.param(unavailable("7"), SendOutcome.RETRY, "UNAVAILABLE", 7.0, id="unavailable-503"),
        pytest.param(unavailable(), SendOutcome.RETRY, "UNAVAILABLE", None, id="unavailable-no-retry-after"),
        pytest.param(INTERNAL, SendOutcome.RETRY, "INTERNAL", None, id="internal-500"),
        pytest.param(
            FcmError(502, "bad gateway", raw_body=b"<html>Bad Gateway</html>"),
            SendOutcome.RETRY,
            "UNKNOWN",
            None,
            id="502-html",
        ),
        pytest.param(
            THIRD_PARTY_AUTH_ERROR, SendOutcome.FAILED, "THIRD_PARTY_AUTH_ERROR", None, id="apns-auth-401"
        ),
        pytest.param(
            FcmError(404, "Requested entity was not found."),
            SendOutcome.FAILED,
            "NOT_FOUND",
            None,
            id="404-without-fcm-code",
        ),
        pytest.param(
            FcmError(403, "The caller does not have permission"),
            SendOutcome.FAILED,
            "PERMISSION_DENIED",
            None,
            id="403-permission",
        ),
    ],
)
async def test_error_mapping(
    sender: FcmPushSender,
    fcm: FakeFcm,
    error: FcmError,
    outcome: SendOutcome,
    code: str,
    retry_after: float | None,
) -> None:
    fcm.fail(token("bad"), error)

    bad, good = await sender.send([message("bad"), message("good")])

    assert bad.outcome is outcome
    assert bad.error_code == code
    assert bad.retry_after_seconds == retry_after
    assert bad.provider_message_id is None
    assert bad.detail
    assert good.outcome is SendOutcome.SENT  # one failure does not touch its neighbours
    assert [m.message["token"] for m in fcm.messages] == [token("good")]


async def test_fid_invalid_argument_naming_the_installation_is_dropped(
    sender: FcmPushSender, fcm: FakeFcm
) -> None:
    fcm.fail(
        "fid-1",
        FcmError(
            400, "Request contains an invalid argument.", "INVALID_ARGUMENT", field_violation="message.fid"
        ),
    )
    fcm.fail("fid-2", FcmError(400, "The Firebase Installation ID is not valid", "INVALID_ARGUMENT"))

    results = await sender.send(
        [message(1, address="fid-1", address_kind="fid"), message(2, address="fid-2", address_kind="fid")]
    )

    assert [r.outcome for r in results] == [SendOutcome.DROP_ADDRESS, SendOutcome.DROP_ADDRESS]


async def test_retry_after_http_date(sender: FcmPushSender, fcm: FakeFcm) -> None:
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    fcm.fail(token(1), quota_exceeded(when))

    [result] = await sender.send([message(1)])

    assert result.outcome is SendOutcome.RETRY
    assert result.retry_after_seconds is not None
    assert 100 <= result.retry_after_seconds <= 121


async def test_once_then_accepted_and_no_hidden_retries(sender: FcmPushSender, fcm: FakeFcm) -> None:
    """firebase-admin's own client would retry 503 four times; ours tries once and says RETRY."""
    fcm.fail(token(1), unavailable("1"), times=1)
    fcm.fail(token(2), INTERNAL, times=1)

    first = await sender.send([message(1), message(2)])
    assert [r.outcome for r in first] == [SendOutcome.RETRY, SendOutcome.RETRY]
    assert len(fcm.requests) == 2
    assert fcm.messages == []

    second = await sender.send([message(1), message(2)])
    assert [r.outcome for r in second] == [SendOutcome.SENT, SendOutcome.SENT]
    assert len(fcm.messages) == 2


async def test_always_fails_until_unscripted(sender: FcmPushSender, fcm: FakeFcm) -> None:
    fcm.fail(token(1), UNREGISTERED)

    for _ in range(3):
        [result] = await sender.send([message(1)])
        assert result.outcome is SendOutcome.DROP_ADDRESS


async def test_network_error_is_retry(fcm: FakeFcm) -> None:
    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sender = open_fcm_sender(PROJECT_ID, f"http://127.0.0.1:{port}", timeout=5)
    try:
        results = await sender.send([message(1), message(2)])
    finally:
        await sender.close()

    assert [r.outcome for r in results] == [SendOutcome.RETRY, SendOutcome.RETRY]
    assert all(r.retry_after_seconds is None for r in results)


async def test_timeout_is_retry(fcm: FakeFcm) -> None:
    fcm.set_delay(0.6)
    sender = open_fcm_sender(PROJECT_ID, fcm.url, timeout=0.1)
    try:
        [result] = await sender.send([message(1)])
    finally:
        await sender.close()
        fcm.reset()

    assert result.outcome is SendOutcome.RETRY
    # The request the client gave up on must not turn up later (in the next test's records).
    await asyncio.sleep(0.8)
    assert fcm.messages == []
    assert fcm.requests == []


async def test_invalid_message_fails_alone(sender: FcmPushSender, fcm: FakeFcm) -> None:
    bad_data = message(1, data={"count": 3})  # FCM data values must be strings: our bug
    empty_address = message(2, address="")

    results = await sender.send([bad_data, message(3), empty_address])

    assert [r.outcome for r in results] == [SendOutcome.FAILED, SendOutcome.SENT, SendOutcome.FAILED]
    assert results[0].error_code == "INVALID_MESSAGE"
    assert [m.message["token"] for m in fcm.messages] == [token(3)]


async def test_tokens_are_never_logged_in_full(
    sender: FcmPushSender, fcm: FakeFcm, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fcm.fail(token(1), UNREGISTERED)
    fcm.fail(token(2), FcmError(400, f"The registration token {token(2)} is not valid", "INVALID_ARGUMENT"))
    fcm.fail(token(3), unavailable("5"))

    results = await sender.send([message(i) for i in range(1, 5)])

    assert [r.outcome for r in results] == [
        SendOutcome.DROP_ADDRESS,
        SendOutcome.DROP_ADDRESS,
        SendOutcome.RETRY,
        SendOutcome.SENT,
    ]
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "len=" in text  # the redacted form is there
    for i in range(1, 5):
        assert token(i) not in text
    assert all(token(2) not in (r.detail or "") for r in results)


# -- several senders, endpoints, lifecycle --------------------------------------------------


async def test_two_senders_in_one_process(fcm: FakeFcm) -> None:
    a = open_fcm_sender("project-a", fcm.url)
    b = open_fcm_sender("project-b", fcm.url)
    try:
        assert a.app_name != b.app_name
        await a.send([message(1)])
        await a.close()
        [result] = await b.send([message(2)])
        assert result.outcome is SendOutcome.SENT
    finally:
        await a.close()
        await b.close()

    assert sorted(m.project for m in fcm.messages) == ["project-a", "project-b"]


async def test_closed_sender_refuses(fcm: FakeFcm) -> None:
    s = open_fcm_sender(PROJECT_ID, fcm.url)
    await s.close()
    await s.close()  # idempotent
    with pytest.raises(RuntimeError):
        await s.send([message(1)])


async def test_endpoint_with_trailing_slash_and_path(fcm: FakeFcm) -> None:
    s = open_fcm_sender(PROJECT_ID, fcm.url + "/")
    try:
        assert s.fcm_url == f"{fcm.url}/v1/projects/{PROJECT_ID}/messages:send"
        [result] = await s.send([message(1)])
    finally:
        await s.close()
    assert result.outcome is SendOutcome.SENT


@pytest.mark.parametrize(
    ("endpoint", "kind"),
    [
        ("http://127.0.0.1:8080", "loopback"),
        ("http://127.8.9.10:1", "loopback"),
        ("http://localhost:9099", "loopback"),
        ("http://[::1]:8080", "loopback"),
        ("https://fcm.googleapis.com", "google"),
        ("https://FCM.googleapis.com.", "google"),
        ("http://fcm.googleapis.com", "other"),  # never a Google token over plain http
        ("https://fcm.googleapis.com.evil.example", "other"),
        ("https://googleapis.com.example.org", "other"),
        ("https://push.example.org", "other"),
        ("http://10.0.0.5:8080", "other"),
    ],
)
def test_endpoint_kind(endpoint: str, kind: str) -> None:
    assert endpoint_kind(endpoint) == kind


def test_bad_endpoint_is_refused() -> None:
    with pytest.raises(ValueError):
        endpoint_kind("fcm.googleapis.com")


async def test_non_google_endpoint_uses_anonymous_credentials() -> None:
    # Built, never sent to: construction makes no network call with anonymous credentials.
    s = open_fcm_sender(PROJECT_ID, "https://push.example.org")
    try:
        assert s.anonymous
        assert s.fcm_url == f"https://push.example.org/v1/projects/{PROJECT_ID}/messages:send"
    finally:
        await s.close()


async def test_open_push_sender_urls(fcm: FakeFcm) -> None:
    log = open_push_sender("log://")
    fcm_s = open_push_sender(f"fcm://{PROJECT_ID}", fcm_endpoint=fcm.url)
    try:
        assert type(log).__name__ == "LogPushSender"
        assert isinstance(fcm_s, FcmPushSender)
        [result] = await fcm_s.send([message(1)])
        assert result.outcome is SendOutcome.SENT
    finally:
        await log.close()
        await fcm_s.close()
    for bad in ("fcm://", "smtp://x", "nothing"):
        with pytest.raises(ValueError):
            open_push_sender(bad)


def test_firebase_admin_internals_we_rely_on() -> None:
    """Pins the firebase-admin 7.x internals the sender customises (fails loudly on upgrade)."""
    assert hasattr(messaging, "_MessagingService")
    assert messaging._MESSAGING_ATTRIBUTE == "_messaging"
    assert issubclass(fcm_sender_module._SenderMessagingService, messaging._MessagingService)
    assert "fid" in messaging.Message.__init__.__code__.co_varnames


# -- Retry-After parsing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30", 30.0),
        (" 5 ", 5.0),
        ("1.5", 1.5),
        ("0", 0.0),
        ("-3", 0.0),
        ("", None),
        (None, None),
        ("soon", None),
        ("nan", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_date() -> None:
    now = 1_700_000_000.0
    value = email.utils.formatdate(now + 90, usegmt=True)
    assert parse_retry_after(value, now=now) == pytest.approx(90, abs=1)


async def test_google_endpoint_uses_application_default_credentials(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an endpoint (or with a Google one) the sender loads application default
    credentials; built only, never sent (that would need Google)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    key_file = tmp_path / "sa.json"
    key_file.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": PROJECT_ID,
                "private_key_id": "k1",
                "private_key": pem,
                "client_email": f"push@{PROJECT_ID}.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )
    )
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    for endpoint in (None, "https://fcm.googleapis.com"):
        s = open_fcm_sender(PROJECT_ID, endpoint)
        try:
            assert not s.anonymous
            assert s.fcm_url == f"https://fcm.googleapis.com/v1/projects/{PROJECT_ID}/messages:send"
        finally:
            await s.close()
