"""Error shaping: stable codes out, exception text and traces never (logged with the request id)."""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError

from app.store.port import StoreUnavailable
from search.port import SearchUnavailable

log = logging.getLogger("buyer_api.errors")

PUBLIC_CODES = frozenset(
    {
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "UNAUTHENTICATED",
        "FORBIDDEN",
        "NOT_FOUND",
        "BAD_USER_INPUT",
        "QUERY_TOO_COMPLEX",
        "PERSISTED_QUERY_NOT_FOUND",
        "PERSISTED_QUERY_NOT_ALLOWED",
        "RATE_LIMITED",
        "SERVICE_UNAVAILABLE",
        "INTERNAL_SERVER_ERROR",
    }
)


def error_body(code: str, message: str, **extensions: Any) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code, **extensions}}


def format_execution_error(error: GraphQLError, request_id: str) -> dict[str, Any]:
    """An error raised while resolving: ours keep their code; anything else is masked and logged."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        source = original if isinstance(original, GraphQLError) else error
        code = (source.extensions or {}).get("code")
        if code in PUBLIC_CODES:
            return _located(error, source.message, dict(source.extensions or {}))
        return _located(error, error.message, {"code": "BAD_USER_INPUT"})
    engine = engine_of(original)
    if engine is not None:
        log.warning("%s unavailable (request %s): %s", engine, request_id, original)
        message = f"The {engine} is unavailable; try again shortly."
        return _located(error, message, {"code": "SERVICE_UNAVAILABLE"})
    log.error("unexpected error (request %s)", request_id, exc_info=original)
    return _located(
        error, "Internal server error.", {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    )


def engine_of(error: BaseException) -> str | None:
    if isinstance(error, StoreUnavailable):
        return "store"
    if isinstance(error, SearchUnavailable):
        return "search engine"
    return None


def _located(error: GraphQLError, message: str, extensions: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message}
    if error.locations:
        body["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        body["path"] = list(error.path)
    body["extensions"] = extensions
    return body


def format_request_error(error: GraphQLError, code: str) -> dict[str, Any]:
    body: dict[str, Any] = {"message": error.message}
    if error.locations:
        body["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    body["extensions"] = {"code": code}
    return body
