"""Maps a firebase-admin send error to a `SendOutcome`.

| error                                                        | outcome       |
| ------------------------------------------------------------ | ------------- |
| UNREGISTERED (404), SENDER_ID_MISMATCH (403)                 | DROP_ADDRESS  |
| INVALID_ARGUMENT naming the registration token / fid         | DROP_ADDRESS  |
| any other INVALID_ARGUMENT (our payload is wrong)            | FAILED        |
| 429 (QUOTA_EXCEEDED / RESOURCE_EXHAUSTED), 5xx, timeouts,    | RETRY (with   |
| connection errors                                            | Retry-After)  |
| anything else (401/403 auth, THIRD_PARTY_AUTH_ERROR, 404...) | FAILED        |

"Naming the token": FCM answers a malformed or foreign token with 400 INVALID_ARGUMENT and the
message "The registration token is not a valid FCM registration token", or with a
`google.rpc.BadRequest` detail whose field violation is `message.token` (`message.fid`).
"""

from __future__ import annotations

import email.utils
import re
import time
from dataclasses import dataclass
from typing import Any

import httpx
from firebase_admin import exceptions as fb_exceptions
from firebase_admin import messaging

from push.port import SendOutcome, redact

FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"

# Words in an INVALID_ARGUMENT message that mean "the address is bad", not "the payload is bad".
_ADDRESS_WORDS = re.compile(
    r"registration[ _-]?token|installation[ _-]?id|\bfid\b|invalid[ _-]?registration",
    re.IGNORECASE,
)
_ADDRESS_FIELDS = {"message.token", "message.fid", "token", "fid"}


@dataclass(frozen=True)
class Classified:
    outcome: SendOutcome
    error_code: str
    retry_after_seconds: float | None
    detail: str


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds ("30", "1.5") or an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - (time.time() if now is None else now)
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN / inf
        return None
    return max(0.0, seconds)


def _error_body(response: Any) -> dict[str, Any]:
    if response is None:
        return {}
    try:
        body = response.json()
    except Exception:
        return {}
    if not isinstance(body, dict):
        return {}
    error = body.get("error")
    return error if isinstance(error, dict) else {}


def _fcm_error_code(error: dict[str, Any]) -> str | None:
    for detail in error.get("details") or []:
        if isinstance(detail, dict) and detail.get("@type") == FCM_ERROR_TYPE:
            code = detail.get("errorCode")
            if isinstance(code, str) and code:
                return code
    return None


def _names_address(error: dict[str, Any], message: str) -> bool:
    if _ADDRESS_WORDS.search(message) or _ADDRESS_WORDS.search(str(error.get("message") or "")):
        return True
    for detail in error.get("details") or []:
        if isinstance(detail, dict) and detail.get("@type") == BAD_REQUEST_TYPE:
            for violation in detail.get("fieldViolations") or []:
                if isinstance(violation, dict) and str(violation.get("field", "")) in _ADDRESS_FIELDS:
                    return True
    return False


def _scrub(text: str, address: str) -> str:
    return text.replace(address, redact(address)) if address else text


def classify(exc: BaseException, address: str) -> Classified:
    """The outcome of one failed send of a message to `address`."""
    response = getattr(exc, "http_response", None)
    status: int | None = getattr(response, "status_code", None)
    error = _error_body(response)
    message = str(exc)
    detail = _scrub(message, address)
    retry_after = parse_retry_after(response.headers.get("Retry-After")) if response is not None else None
    code = (
        _fcm_error_code(error)
        or (exc.code if isinstance(exc, fb_exceptions.FirebaseError) else None)
        or type(exc).__name__
    )

    def result(outcome: SendOutcome) -> Classified:
        return Classified(outcome, code, retry_after if outcome is SendOutcome.RETRY else None, detail)

    if isinstance(exc, messaging.UnregisteredError | messaging.SenderIdMismatchError) or code in (
        "UNREGISTERED",
        "SENDER_ID_MISMATCH",
    ):
        return result(SendOutcome.DROP_ADDRESS)
    if isinstance(exc, fb_exceptions.InvalidArgumentError) or code == "INVALID_ARGUMENT":
        return result(SendOutcome.DROP_ADDRESS if _names_address(error, message) else SendOutcome.FAILED)
    if isinstance(
        exc,
        fb_exceptions.ResourceExhaustedError
        | fb_exceptions.UnavailableError
        | fb_exceptions.InternalError
        | fb_exceptions.DeadlineExceededError,
    ):
        return result(SendOutcome.RETRY)
    if status is not None:
        return result(SendOutcome.RETRY if status == 429 or status >= 500 else SendOutcome.FAILED)
    # No HTTP response at all: a network-level failure (reset, protocol error, timeout).
    cause = getattr(exc, "cause", None) or exc.__cause__
    if isinstance(cause, httpx.TransportError) or isinstance(exc, httpx.TransportError | OSError):
        return result(SendOutcome.RETRY)
    if isinstance(exc, fb_exceptions.UnknownError):
        return result(SendOutcome.RETRY)
    return result(SendOutcome.FAILED)
