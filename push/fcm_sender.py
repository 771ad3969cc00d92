"""FCM push sender: Firebase Cloud Messaging HTTP v1 through firebase-admin's real messaging path
(`firebase_admin.messaging.send_each_async`).

`open_fcm_sender(project_id, endpoint)`:

- `endpoint=None`: requests go to https://fcm.googleapis.com with application default
  credentials.
- `endpoint` set (FCM_ENDPOINT, e.g. http://127.0.0.1:PORT): requests go to
  `{endpoint}/v1/projects/{project_id}/messages:send` instead. Google credentials are sent only to
  an https Google host (`*.googleapis.com`); a loopback endpoint, or any other host, gets
  anonymous credentials (no Authorization header), so no Google token ever leaves for a
  non-Google host.

Each sender owns a uniquely named firebase `App`, so several senders can live in one process.

How firebase-admin is bent (7.x; pinned by tests/contract/push): the messaging service of our App
is a small subclass of firebase-admin's `_MessagingService`, registered on the App before the
first send, that (1) points the send URL at the endpoint, (2) replaces the async HTTP client
with one that does not retry by itself (firebase-admin's default retries 500/503 four times with
backoff and ignores Retry-After; retrying is the caller's business, driven by our RETRY outcome
and its `retry_after_seconds`), and (3) closes its clients asynchronously (firebase-admin's own
close() calls asyncio.run(), which fails inside a running loop).

Addresses: `token=` for address_kind "token", `fid=` (FCM's Firebase Installation ID target,
supported by firebase-admin >= 7.7) for "fid".
"""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
import logging
import urllib.parse
import uuid
import warnings
from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal

import firebase_admin
import google.auth.credentials
from firebase_admin import _http_client, _utils, credentials, messaging
from firebase_admin._retry import HttpxRetry

from push.fcm_errors import classify
from push.port import MAX_BATCH, PushMessage, SendOutcome, SendResult, redact

logger = logging.getLogger("push.fcm")

DEFAULT_TIMEOUT_SECONDS = 30.0
_GOOGLE_FCM_BASE = "https://fcm.googleapis.com"

EndpointKind = Literal["google", "loopback", "other"]


def endpoint_kind(endpoint: str) -> EndpointKind:
    """Which kind of host: "google" (https on *.googleapis.com: credentials allowed),
    "loopback", or "other"."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"FCM endpoint must be an http(s) URL with a host: {endpoint!r}")
    host = parts.hostname.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return "loopback"
    try:
        if ipaddress.ip_address(host).is_loopback:
            return "loopback"
    except ValueError:
        pass
    if parts.scheme == "https" and (host == "googleapis.com" or host.endswith(".googleapis.com")):
        return "google"
    return "other"


class _AnonymousCredential(credentials.Base):  # type: ignore[misc]
    """A firebase credential that adds no Authorization header."""

    def __init__(self) -> None:
        self._credential = google.auth.credentials.AnonymousCredentials()  # type: ignore[no-untyped-call]

    def get_credential(self) -> google.auth.credentials.Credentials:
        return self._credential


class _SenderMessagingService(messaging._MessagingService):  # type: ignore[misc]
    _async_client: Any
    _credential: Any

    def __init__(self, app: firebase_admin.App, *, fcm_url: str, anonymous: bool, timeout: float) -> None:
        super().__init__(app)
        self._fcm_url = fcm_url
        self._firebase_async_client: Any = self._async_client
        self._async_client = _http_client.HttpxAsyncClient(
            credential=None if anonymous else self._credential,
            timeout=timeout,
            retry_config=HttpxRetry(max_retries=0, status_forcelist=[]),
        )

    @property
    def fcm_url(self) -> str:
        return str(self._fcm_url)

    def close(self) -> None:  # called by firebase_admin.delete_app(): sync parts only
        self._client.close()

    async def aclose(self) -> None:
        await self._async_client.aclose()
        await self._firebase_async_client.aclose()


_app_serial = itertools.count(1)


def _to_firebase(message: PushMessage) -> Any:
    group = message.group or None
    android = messaging.AndroidConfig(notification=messaging.AndroidNotification(tag=group))
    apns = messaging.APNSConfig(
        payload=messaging.APNSPayload(
            aps=messaging.Aps(
                alert=messaging.ApsAlert(title=message.title, body=message.body),
                badge=message.badge,
                thread_id=group,
            )
        )
    )
    webpush = (
        messaging.WebpushConfig(notification=messaging.WebpushNotification(tag=group))
        if message.platform == "WEB" and group
        else None
    )
    common: dict[str, Any] = {
        "data": dict(message.data),
        "notification": messaging.Notification(title=message.title, body=message.body),
        "android": android,
        "apns": apns,
        "webpush": webpush,
    }
    if message.address_kind == "token":
        # firebase-admin 7.7 deprecates Message.token in favour of fid; tokens are still what
        # the FCM client SDKs hand out, so we keep sending them as "token".
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            fb_message = messaging.Message(token=message.address, **common)
    elif message.address_kind == "fid":
        fb_message = messaging.Message(fid=message.address, **common)
    else:
        raise ValueError(f"unknown address_kind {message.address_kind!r}")
    # Encode now, so that one bad message fails alone instead of failing its whole batch.
    messaging._MessagingService.encode_message(fb_message)
    return fb_message


class FcmPushSender:
    def __init__(
        self, project_id: str, endpoint: str | None = None, *, timeout: float = DEFAULT_TIMEOUT_SECONDS
    ):
        if not project_id:
            raise ValueError("FCM project id is required")
        self.project_id = project_id
        self.endpoint = endpoint.rstrip("/") if endpoint else None
        kind: EndpointKind = endpoint_kind(self.endpoint) if self.endpoint else "google"
        self.anonymous = kind != "google"
        if kind == "other":
            logger.warning(
                "FCM endpoint %s is neither loopback nor a Google host: sending without credentials",
                self.endpoint,
            )
        base = self.endpoint or _GOOGLE_FCM_BASE
        fcm_url = f"{base}/v1/projects/{urllib.parse.quote(project_id, safe='')}/messages:send"
        credential = _AnonymousCredential() if self.anonymous else credentials.ApplicationDefault()
        self.app_name = f"push-fcm-{next(_app_serial)}-{uuid.uuid4().hex[:8]}"
        self._app = firebase_admin.initialize_app(
            credential, {"projectId": project_id, "httpTimeout": timeout}, name=self.app_name
        )
        try:
            service = _utils.get_app_service(
                self._app,
                messaging._MESSAGING_ATTRIBUTE,
                lambda app: _SenderMessagingService(
                    app, fcm_url=fcm_url, anonymous=self.anonymous, timeout=timeout
                ),
            )
            if not isinstance(service, _SenderMessagingService):
                raise RuntimeError("firebase-admin messaging service could not be customised")
        except BaseException:
            firebase_admin.delete_app(self._app)
            raise
        self._service: _SenderMessagingService = service
        self._closed = False

    @property
    def fcm_url(self) -> str:
        return self._service.fcm_url

    async def send(self, messages: Sequence[PushMessage]) -> list[SendResult]:
        if self._closed:
            raise RuntimeError("FcmPushSender is closed")
        results: list[SendResult] = []
        for start in range(0, len(messages), MAX_BATCH):
            results.extend(await self._send_batch(messages[start : start + MAX_BATCH]))
        return results

    async def _send_batch(self, batch: Sequence[PushMessage]) -> list[SendResult]:
        slots: list[SendResult | None] = [None] * len(batch)
        to_send: list[tuple[int, Any]] = []
        for i, message in enumerate(batch):
            try:
                to_send.append((i, _to_firebase(message)))
            except (ValueError, TypeError) as exc:
                logger.error(
                    "push %s to %s not sent: invalid message: %s",
                    message.delivery_key,
                    redact(message.address),
                    str(exc).replace(message.address, redact(message.address)),
                )
                slots[i] = SendResult(
                    message.delivery_key, SendOutcome.FAILED, error_code="INVALID_MESSAGE", detail=str(exc)
                )
        if to_send:
            try:
                response = await messaging.send_each_async([m for _, m in to_send], app=self._app)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # The batch as a whole failed (e.g. credentials could not be refreshed): nothing
                # was sent, so every message may be tried again.
                logger.warning("FCM batch of %d failed as a whole: %r", len(to_send), exc)
                for i, _ in to_send:
                    slots[i] = SendResult(
                        batch[i].delivery_key,
                        SendOutcome.RETRY,
                        error_code=type(exc).__name__,
                        detail=str(exc),
                    )
            else:
                for (i, _), resp in zip(to_send, response.responses, strict=True):
                    slots[i] = self._result(batch[i], resp)
        results = [r for r in slots if r is not None]
        assert len(results) == len(batch)
        counts = Counter(r.outcome.value for r in results)
        logger.info("FCM batch of %d: %s", len(batch), dict(counts))
        return results

    def _result(self, message: PushMessage, resp: Any) -> SendResult:
        if resp.success:
            return SendResult(message.delivery_key, SendOutcome.SENT, provider_message_id=resp.message_id)
        exc = resp.exception
        if exc is None:  # no error, yet no message id: treat as a provider fault
            return SendResult(
                message.delivery_key, SendOutcome.RETRY, error_code="NO_MESSAGE_ID", detail="no message id"
            )
        c = classify(exc, message.address)
        level = logging.INFO if c.outcome is SendOutcome.RETRY else logging.WARNING
        logger.log(
            level,
            "push %s to %s %s: %s %s%s: %s",
            message.delivery_key,
            message.address_kind,
            redact(message.address),
            c.outcome.value,
            c.error_code,
            f" (retry after {c.retry_after_seconds:g}s)" if c.retry_after_seconds is not None else "",
            c.detail,
        )
        return SendResult(
            message.delivery_key,
            c.outcome,
            retry_after_seconds=c.retry_after_seconds,
            error_code=c.error_code,
            detail=c.detail,
        )

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            await self._service.aclose()
        finally:
            firebase_admin.delete_app(self._app)


def open_fcm_sender(
    project_id: str, endpoint: str | None = None, *, timeout: float = DEFAULT_TIMEOUT_SECONDS
) -> FcmPushSender:
    """An FCM sender for `project_id`; `endpoint` (FCM_ENDPOINT) overrides the FCM base URL."""
    return FcmPushSender(project_id, endpoint or None, timeout=timeout)
