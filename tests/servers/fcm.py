"""A small FCM-compatible HTTP v1 endpoint for tests (stdlib http.server, in a background thread).

It speaks what firebase-admin's `messaging.send_each_async` sends:
`POST {base}/v1/projects/{project}/messages:send` with `{"message": {...}}` (one message per
request), answered `{"name": "projects/P/messages/ID"}`; errors in Google's format, with a
`details` entry `{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
"errorCode": ...}` as FCM does.

    with FakeFcm.running() as fcm:            # or: fcm = FakeFcm(); fcm.start(); ...; fcm.stop()
        sender = open_fcm_sender("proj", fcm.url)
        fcm.fail("tok-1", UNREGISTERED)                    # always
        fcm.fail("tok-2", unavailable(retry_after="7"), times=1)   # once, then accepts
        ...
        fcm.messages        # accepted messages: ReceivedMessage(project, message, received_at, ...)
        fcm.requests        # every request, accepted or not

Errors are scripted per address (the message's `token`, `fid`, `topic` or `condition`).
Ready-made errors: UNREGISTERED (404), SENDER_ID_MISMATCH (403), INVALID_TOKEN (400
INVALID_ARGUMENT naming the registration token), INVALID_TOKEN_FIELD (400 INVALID_ARGUMENT with
a BadRequest field violation on message.token), INVALID_PAYLOAD (400 INVALID_ARGUMENT not about
the token), THIRD_PARTY_AUTH_ERROR (401), INTERNAL (500), and the functions `quota_exceeded()`
(429) and `unavailable()` (503), both with an optional Retry-After. `FcmError(...)` builds any
other answer.

It also checks a little of what real FCM checks: exactly one target; `data` values are strings
(else 400 INVALID_ARGUMENT, as FCM does).

Standalone: `python -m tests.servers.fcm --port P` serves until interrupted; control it over
HTTP: `POST /_fake/fail {"address": ..., "error": "UNREGISTERED", "times": 1}`,
`GET /_fake/messages`, `POST /_fake/reset`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


@dataclass(frozen=True)
class FcmError:
    """One scripted error answer."""

    http_status: int
    message: str
    error_code: str | None = None
    """FCM errorCode in the FcmError detail (None: no FcmError detail)."""
    status: str | None = None
    """Google status name; defaults from http_status."""
    retry_after: str | None = None
    """Retry-After header value, e.g. "30" or an HTTP date."""
    field_violation: str | None = None
    """Adds a google.rpc.BadRequest detail with this field, e.g. "message.token"."""
    raw_body: bytes | None = None
    """Sends exactly this body instead of Google's format."""

    def body(self) -> bytes:
        if self.raw_body is not None:
            return self.raw_body
        details: list[dict[str, Any]] = []
        if self.error_code:
            details.append({"@type": FCM_ERROR_TYPE, "errorCode": self.error_code})
        if self.field_violation:
            details.append(
                {
                    "@type": BAD_REQUEST_TYPE,
                    "fieldViolations": [{"field": self.field_violation, "description": self.message}],
                }
            )
        error: dict[str, Any] = {
            "code": self.http_status,
            "message": self.message,
            "status": self.status or _STATUS_NAMES.get(self.http_status, "UNKNOWN"),
        }
        if details:
            error["details"] = details
        return json.dumps({"error": error}).encode()

    def headers(self) -> dict[str, str]:
        return {"Retry-After": self.retry_after} if self.retry_after is not None else {}


UNREGISTERED = FcmError(404, "Requested entity was not found.", "UNREGISTERED")
SENDER_ID_MISMATCH = FcmError(403, "SenderId mismatch", "SENDER_ID_MISMATCH")
INVALID_TOKEN = FcmError(
    400, "The registration token is not a valid FCM registration token", "INVALID_ARGUMENT"
)
INVALID_TOKEN_FIELD = FcmError(
    400, "Request contains an invalid argument.", "INVALID_ARGUMENT", field_violation="message.token"
)
INVALID_PAYLOAD = FcmError(
    400,
    "Invalid value at 'message.android.notification.color' (TYPE_STRING), \"blue\"",
    "INVALID_ARGUMENT",
    field_violation="message.android.notification.color",
)
THIRD_PARTY_AUTH_ERROR = FcmError(401, "Auth error from APNS or Web Push Service", "THIRD_PARTY_AUTH_ERROR")
INTERNAL = FcmError(500, "Internal error encountered.", "INTERNAL")


def quota_exceeded(retry_after: str | None = None) -> FcmError:
    return FcmError(429, "Quota exceeded for quota metric", "QUOTA_EXCEEDED", retry_after=retry_after)


def unavailable(retry_after: str | None = None) -> FcmError:
    return FcmError(503, "The service is currently unavailable.", "UNAVAILABLE", retry_after=retry_after)


NAMED_ERRORS: dict[str, FcmError] = {
    "UNREGISTERED": UNREGISTERED,
    "SENDER_ID_MISMATCH": SENDER_ID_MISMATCH,
    "INVALID_TOKEN": INVALID_TOKEN,
    "INVALID_TOKEN_FIELD": INVALID_TOKEN_FIELD,
    "INVALID_PAYLOAD": INVALID_PAYLOAD,
    "THIRD_PARTY_AUTH_ERROR": THIRD_PARTY_AUTH_ERROR,
    "INTERNAL": INTERNAL,
    "QUOTA_EXCEEDED": quota_exceeded(),
    "UNAVAILABLE": unavailable(),
}


@dataclass(frozen=True)
class ReceivedMessage:
    project: str
    message: dict[str, Any]
    """The `message` object as sent."""
    received_at: float
    """time.time() when the request arrived."""
    message_id: str
    headers: dict[str, str]
    """Request headers, lower-cased names."""
    validate_only: bool = False

    @property
    def address(self) -> str | None:
        return _address(self.message)


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    body: Any
    received_at: float
    headers: dict[str, str]
    status: int
    """The status we answered."""


@dataclass
class _Script:
    error: FcmError
    remaining: int | None  # None: always


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    messages: list[ReceivedMessage] = field(default_factory=list)
    requests: list[ReceivedRequest] = field(default_factory=list)
    scripts: dict[str, list[_Script]] = field(default_factory=dict)
    default_error: _Script | None = None
    delay: float = 0.0
    in_flight: int = 0
    max_in_flight: int = 0
    generation: int = 0
    """Bumped by reset(): a request that arrived before a reset is not recorded after it."""


def _address(message: dict[str, Any]) -> str | None:
    for key in ("token", "fid", "topic", "condition"):
        value = message.get(key)
        if isinstance(value, str):
            return value
    return None


class FakeFcm:
    """The fake server; thread-safe; start() binds a free loopback port (port=0) or the one given."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._state = _State()
        self._ids = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle -----------------------------------------------------------------------------
    @classmethod
    @contextmanager
    def running(cls, host: str = "127.0.0.1", port: int = 0) -> Iterator[FakeFcm]:
        server = cls(host, port)
        server.start()
        try:
            yield server
        finally:
            server.stop()

    def start(self) -> None:
        if self._server is not None:
            raise RuntimeError("already started")
        fake = self

        class Handler(_Handler):
            owner = fake

        server = _Server((self._host, self._port), Handler, bind_and_activate=False)
        server.daemon_threads = True
        server.request_queue_size = 1024
        server.allow_reuse_address = True
        try:
            server.server_bind()
            server.server_activate()
        except BaseException:
            server.server_close()
            raise
        self._server = server
        self._port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-fcm", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)
        self._server = None
        self._thread = None

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        """The base URL to give the sender as its endpoint (FCM_ENDPOINT)."""
        return f"http://{self._host}:{self._port}"

    # scripting -----------------------------------------------------------------------------
    def fail(self, address: str, error: FcmError | str, *, times: int | None = None) -> None:
        """Answers `error` for messages to `address`: `times` times (then accepts), or always.

        Several scripts for one address are used in order (e.g. 503 once, then 404 always).
        """
        err = NAMED_ERRORS[error] if isinstance(error, str) else error
        with self._state.lock:
            self._state.scripts.setdefault(address, []).append(_Script(err, times))

    def fail_all(self, error: FcmError | str | None, *, times: int | None = None) -> None:
        """Answers `error` for every message with no script of its own (None: stop doing so)."""
        err = NAMED_ERRORS[error] if isinstance(error, str) else error
        with self._state.lock:
            self._state.default_error = None if err is None else _Script(err, times)

    def set_delay(self, seconds: float) -> None:
        """Waits this long before answering each send (latency)."""
        with self._state.lock:
            self._state.delay = seconds

    def reset(self) -> None:
        """Forgets messages, requests, scripts and delay. Requests still in flight (e.g. delayed
        past a client's timeout) are answered 503 and recorded nowhere, so they cannot leak into
        the next test."""
        with self._state.lock:
            self._state.generation += 1
            self._state.messages.clear()
            self._state.requests.clear()
            self._state.scripts.clear()
            self._state.default_error = None
            self._state.delay = 0.0
            self._state.max_in_flight = self._state.in_flight

    # observations --------------------------------------------------------------------------
    @property
    def messages(self) -> list[ReceivedMessage]:
        """Accepted messages, in arrival order (a copy)."""
        with self._state.lock:
            return list(self._state.messages)

    @property
    def requests(self) -> list[ReceivedRequest]:
        """Every request to the FCM API, accepted or not, in arrival order (a copy)."""
        with self._state.lock:
            return list(self._state.requests)

    @property
    def max_in_flight(self) -> int:
        with self._state.lock:
            return self._state.max_in_flight

    def messages_to(self, address: str) -> list[ReceivedMessage]:
        return [m for m in self.messages if m.address == address]

    # request handling (called from handler threads) ----------------------------------------
    def _take_error(self, address: str | None) -> FcmError | None:
        with self._state.lock:
            scripts = self._state.scripts.get(address or "", [])
            script = scripts[0] if scripts else self._state.default_error
            if script is None:
                return None
            if script.remaining is not None:
                script.remaining -= 1
                if script.remaining <= 0:
                    if scripts and scripts[0] is script:
                        scripts.pop(0)
                    else:
                        self._state.default_error = None
            return script.error

    def _handle_send(
        self, project: str, body: Any, headers: dict[str, str], path: str
    ) -> tuple[int, bytes, dict[str, str]]:
        now = time.time()
        with self._state.lock:
            generation = self._state.generation
            delay = self._state.delay
            self._state.in_flight += 1
            self._state.max_in_flight = max(self._state.max_in_flight, self._state.in_flight)
        try:
            if delay:
                time.sleep(delay)
            if self._stale(generation):
                err = unavailable()
                return err.http_status, err.body(), {}
            status, payload, extra = self._answer(project, body, headers, now, generation)
        finally:
            with self._state.lock:
                self._state.in_flight -= 1
        with self._state.lock:
            if self._state.generation == generation:
                self._state.requests.append(ReceivedRequest(path, body, now, headers, status))
        return status, payload, extra

    def _stale(self, generation: int) -> bool:
        with self._state.lock:
            return self._state.generation != generation

    def _answer(
        self, project: str, body: Any, headers: dict[str, str], now: float, generation: int
    ) -> tuple[int, bytes, dict[str, str]]:
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, dict):
            err = FcmError(400, "Request contains an invalid argument.", field_violation="message")
            return err.http_status, err.body(), {}
        targets = [k for k in ("token", "fid", "topic", "condition") if k in message]
        if len(targets) != 1:
            err = FcmError(
                400, "Exactly one of token, fid, topic or condition must be set.", "INVALID_ARGUMENT"
            )
            return err.http_status, err.body(), {}
        data = message.get("data", {})
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            err = FcmError(
                400,
                "Invalid value at 'message.data' (type.googleapis.com/google.protobuf.Struct)",
                "INVALID_ARGUMENT",
                field_violation="message.data",
            )
            return err.http_status, err.body(), {}
        scripted = self._take_error(_address(message))
        if scripted is not None:
            return scripted.http_status, scripted.body(), scripted.headers()
        message_id = f"projects/{project}/messages/{next(self._ids)}"
        received = ReceivedMessage(
            project, message, now, message_id, headers, bool(body.get("validate_only", False))
        )
        with self._state.lock:
            if self._state.generation != generation:
                err = unavailable()
                return err.http_status, err.body(), {}
            self._state.messages.append(received)
        return 200, json.dumps({"name": message_id}).encode(), {}

    def _handle_control(self, method: str, path: str, body: Any) -> tuple[int, bytes]:
        if method == "POST" and path == "/_fake/fail":
            error = body.get("error", "UNREGISTERED")
            if isinstance(error, dict):
                error = FcmError(**error)
            if body.get("address") is None:
                self.fail_all(error, times=body.get("times"))
            else:
                self.fail(body["address"], error, times=body.get("times"))
            return 200, b"{}"
        if method == "POST" and path == "/_fake/reset":
            self.reset()
            return 200, b"{}"
        if method == "POST" and path == "/_fake/delay":
            self.set_delay(float(body.get("seconds", 0)))
            return 200, b"{}"
        if method == "GET" and path == "/_fake/messages":
            out = [
                {
                    "project": m.project,
                    "message": m.message,
                    "received_at": m.received_at,
                    "name": m.message_id,
                }
                for m in self.messages
            ]
            return 200, json.dumps(out).encode()
        return 404, b'{"error": {"code": 404, "message": "no such control path", "status": "NOT_FOUND"}}'


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout test, closed sender) is not a server error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    owner: FakeFcm
    protocol_version = "HTTP/1.1"
    server_version = "FakeFCM/1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _read_body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return None

    def _reply(self, status: int, payload: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:
        body = self._read_body()
        path = self.path.split("?", 1)[0]
        if path.startswith("/_fake/"):
            self._reply(*self.owner._handle_control("POST", path, body or {}))
            return
        parts = path.strip("/").split("/")
        # v1 / projects / {project} / messages:send
        if len(parts) == 4 and parts[0] == "v1" and parts[1] == "projects" and parts[3] == "messages:send":
            headers = {k.lower(): v for k, v in self.headers.items()}
            self._reply(*self.owner._handle_send(parts[2], body, headers, path))
            return
        self._reply(404, b'{"error": {"code": 404, "message": "Not Found", "status": "NOT_FOUND"}}')

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.startswith("/_fake/"):
            self._reply(*self.owner._handle_control("GET", path, {}))
            return
        self._reply(404, b'{"error": {"code": 404, "message": "Not Found", "status": "NOT_FOUND"}}')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake FCM HTTP v1 endpoint for tests")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    fake = FakeFcm(args.host, args.port)
    fake.start()
    print(f"fake FCM listening on {fake.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
