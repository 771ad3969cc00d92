"""GraphQL over HTTP: POST and GET on /graphql, with the spec's media types and status codes."""

from __future__ import annotations

import asyncio
import gzip
import logging
import secrets
import time
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from app.edge.errors import error_body, format_execution_error
from app.edge.metrics import LATENCY, REQUESTS
from app.edge.outcomes import Refusal
from app.edge.params import Params, params_from_body, params_from_query_string
from app.edge.response_cache import TTL_SECONDS, EdgeCache
from app.edge.runner import Meta, Ready, Runner
from app.stats import RequestStats, current_stats, start_request_stats

log = logging.getLogger("buyer_api.http")

MAX_BODY_BYTES = 1024 * 1024
GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
PUBLIC_VARY = "Accept, Accept-Language, X-Currency, Accept-Encoding"
# Compressed here rather than by middleware, so that Vary is written once and whole.
GZIP_MINIMUM = 1024


def wants_graphql_response(accept: str | None) -> bool | None:
    """True for the GraphQL response type, False for JSON, None when neither is acceptable."""
    if not accept:
        return False
    types = {part.split(";")[0].strip().lower(): part for part in accept.split(",")}
    for media, part in types.items():
        if media == GRAPHQL_RESPONSE and "q=0" not in part.replace(" ", ""):
            return True
    if any(media in (JSON, "*/*", "application/*") for media in types):
        return False
    return None


class GraphQLHttp:
    def __init__(self, runner: Runner, cache: EdgeCache | None = None) -> None:
        self._runner = runner
        self._cache = cache

    async def __call__(self, request: Request) -> Response:
        started = time.perf_counter()
        graphql_response = wants_graphql_response(request.headers.get("accept"))
        if graphql_response is None:
            return Response(
                status_code=406, content=b"Accept application/graphql-response+json or application/json"
            )
        meta = _meta(request, self._runner.settings.trusted_proxy_list)
        operation = "-"
        try:
            params = await _params(request)
            operation = params.operation_name or "-"
            body, status, headers = await self._run(params, request.method, meta)
        except Refusal as refusal:
            body = {"errors": refusal.errors}
            stats = current_stats()
            if stats is not None:
                body["extensions"] = {"stats": _stats(stats)}
            status = refusal.status_for(graphql_response)
            headers = dict(refusal.headers)
        headers["Content-Type"] = f"{GRAPHQL_RESPONSE if graphql_response else JSON}; charset=utf-8"
        headers["X-Request-Id"] = meta.request_id
        headers.setdefault("Cache-Control", "private, no-store" if meta.authorization else "no-store")
        outcome = "ok" if "errors" not in body else "error"
        REQUESTS.labels(operation, outcome).inc()
        LATENCY.labels(operation).observe(time.perf_counter() - started)
        content = orjson.dumps(body)
        if len(content) >= GZIP_MINIMUM and "gzip" in request.headers.get("accept-encoding", ""):
            content = gzip.compress(content, compresslevel=5)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = headers.get("Vary", "Accept-Encoding")
        return Response(content, status_code=status, headers=headers)

    async def _run(
        self, params: Params, method: str, meta: Meta
    ) -> tuple[dict[str, Any], int, dict[str, str]]:
        runner = self._runner
        stats = (
            start_request_stats() if runner.settings.query_stats and not runner.settings.production else None
        )
        identity = await runner.identify(meta.authorization)
        ready = await runner.prepare(params, method=method)
        # Before the cache: a hit spends the caller's bucket like any other answer.
        await runner.throttle(ready, identity, meta.client_ip)
        lookup = await self._cache.lookup(ready, meta) if self._cache is not None else None
        if lookup is not None and lookup.data is not None:
            return _answer(orjson.Fragment(lookup.data), lookup.actual_cost, [], ready, method, meta, stats)
        account = await runner.sign_in(identity)
        context = await runner.context(account, meta, stats)
        try:
            result = await asyncio.wait_for(
                runner.execute(ready, context), runner.settings.request_timeout_seconds
            )
        except TimeoutError:
            log.warning("request %s passed its deadline", meta.request_id)
            raise Refusal(
                503, [error_body("SERVICE_UNAVAILABLE", "The request took too long and was stopped.")]
            ) from None
        errors = [format_execution_error(e, meta.request_id) for e in result.errors or []]
        actual_cost = ready.actual_cost(result.data)
        data: Any = result.data
        if lookup is not None and self._cache is not None and not errors:
            # Serialized once, stored and spliced into this body as is: a hit's `data` is the same bytes.
            data_json = orjson.dumps(result.data)
            await self._cache.store(lookup, ready, result.data, data_json, actual_cost)
            data = orjson.Fragment(data_json)
        return _answer(data, actual_cost, errors, ready, method, meta, stats)


def _answer(
    data: Any,
    actual_cost: int,
    errors: list[dict[str, Any]],
    ready: Ready,
    method: str,
    meta: Meta,
    stats: RequestStats | None,
) -> tuple[dict[str, Any], int, dict[str, str]]:
    public = meta.authorization is None and method == "GET" and not errors
    body = _body(data, actual_cost, errors, ready, stats, public=public)
    headers: dict[str, str] = {}
    if public:
        headers["Cache-Control"] = f"public, max-age={TTL_SECONDS}"
        headers["Vary"] = PUBLIC_VARY
    return body, 200, headers


def _body(
    data: Any,
    actual_cost: int,
    errors: list[dict[str, Any]],
    ready: Ready,
    stats: RequestStats | None,
    *,
    public: bool,
) -> dict[str, Any]:
    """`public` answers may be cached for everyone, so they carry no one's throttle status."""
    body: dict[str, Any] = {}
    if errors:
        body["errors"] = errors
    body["data"] = data
    cost: dict[str, Any] = {"requestedQueryCost": ready.cost, "actualQueryCost": actual_cost}
    throttle = ready.throttle
    if throttle is not None and not public:
        cost["throttleStatus"] = {
            "maximumAvailable": throttle.capacity,
            "currentlyAvailable": int(throttle.available),
            "restoreRate": throttle.restore_rate,
        }
    extensions: dict[str, Any] = {"cost": cost}
    if stats is not None:
        extensions["stats"] = _stats(stats)
    body["extensions"] = extensions
    return body


def _stats(stats: RequestStats) -> dict[str, int]:
    return {"storeCalls": stats.store_calls, "searchCalls": stats.search_calls}


async def _params(request: Request) -> Params:
    if request.method == "GET":
        return params_from_query_string(request.query_params)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != JSON:
        raise Refusal(415, [error_body("BAD_USER_INPUT", "Send the request as application/json.")])
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise Refusal(413, [error_body("BAD_USER_INPUT", "The request body is larger than 1 MB.")])
    raw = bytearray()
    async for chunk in request.stream():
        raw.extend(chunk)
        if len(raw) > MAX_BODY_BYTES:
            raise Refusal(413, [error_body("BAD_USER_INPUT", "The request body is larger than 1 MB.")])
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise Refusal(400, [error_body("BAD_USER_INPUT", "The body is not valid JSON.")]) from None
    return params_from_body(body)


def client_ip(request: Request, trusted_proxies: list[str]) -> str:
    """The peer's address; X-Forwarded-For is believed only from a trusted proxy."""
    peer = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for")
    if not forwarded or peer not in trusted_proxies:
        return peer
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted_proxies:
            return hop
    return peer


def _meta(request: Request, trusted_proxies: list[str]) -> Meta:
    return Meta(
        authorization=request.headers.get("authorization"),
        accept_language=request.headers.get("accept-language"),
        currency_header=request.headers.get("x-currency"),
        client_ip=client_ip(request, trusted_proxies),
        request_id=request.headers.get("x-request-id", "")[:64] or secrets.token_hex(8),
    )
