"""Health, readiness and metrics routes for operators."""

from __future__ import annotations

import asyncio
import hmac

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from app.edge.metrics import render
from app.ports import Ports
from app.settings import Settings

PING_TIMEOUT_SECONDS = 2.0


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _ping(name: str, ping: object) -> str | None:
    try:
        answered = await asyncio.wait_for(ping(), PING_TIMEOUT_SECONDS)  # type: ignore[operator]
    except Exception as error:
        return f"{name} unreachable: {type(error).__name__}"
    # Some pings report a refused connection as False rather than raising (the search engine's does).
    if answered is False:
        return f"{name} unreachable: ping failed"
    return None


def readyz(ports: Ports) -> object:
    async def route(request: Request) -> Response:
        store, search, broker = await asyncio.gather(
            _ping("store", ports.repos.database.ping),
            _ping("search", ports.search.ping),
            _ping("broker", ports.broker.ping),
        )
        problems = {k: v for k, v in (("store", store), ("search", search), ("broker", broker)) if v}
        status = 503 if store else 200
        return JSONResponse({"ready": status == 200, "problems": problems}, status_code=status)

    return route


def metrics(settings: Settings) -> object:
    async def route(request: Request) -> Response:
        if settings.production:
            token = settings.metrics_token
            given = request.headers.get("authorization", "")
            if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return Response(status_code=404)
        return PlainTextResponse(render().decode(), media_type="text/plain; version=0.0.4")

    return route
