"""The Starlette application: routes, middleware, and the lifespan that opens and closes engines."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from app.edge.apq import HashStore, MemoryHashStore, RedisHashStore
from app.edge.documents import DocumentCache, load_trusted
from app.edge.health import healthz, metrics, readyz
from app.edge.http import GraphQLHttp
from app.edge.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from app.edge.response_cache import EdgeCache
from app.edge.runner import Runner
from app.edge.webhooks import tracking_webhook
from app.edge.ws import GraphQLWebSocket, SocketRegistry
from app.outbox.dispatcher import Dispatcher
from app.outbox.handlers import build_handlers
from app.resolvers.root import build_schema
from app.services.container import Services
from app.settings import Settings
from app.wiring import Engines, open_engines

log = logging.getLogger("buyer_api.main")


@dataclass
class Waker:
    """Lets writers wake the in-process dispatcher, which exists only after the engines open."""

    dispatcher: Dispatcher | None = None

    def __call__(self) -> None:
        if self.dispatcher is not None:
            self.dispatcher.wake()


@dataclass
class AppState:
    settings: Settings
    engines: Engines | None = None
    runner: Runner | None = None
    cache: EdgeCache | None = None
    dispatcher: Dispatcher | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


def create_app(settings: Settings, *, run_dispatcher: bool | None = None) -> Starlette:
    state = AppState(settings)
    waker = Waker()
    schema = build_schema()
    sockets = SocketRegistry()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engines = await open_engines(settings, waker)
        services = Services.build(engines.ports)
        documents = DocumentCache(schema._schema, production=settings.production)
        trusted = load_trusted(documents, settings.trusted_document_paths)
        if trusted:
            log.info("loaded %d trusted documents", trusted)
        apq: HashStore = RedisHashStore(engines.redis) if engines.redis is not None else MemoryHashStore()
        limiter: RateLimiter = (
            RedisRateLimiter(engines.redis, settings.rate_capacity, settings.rate_restore)
            if engines.redis is not None
            else MemoryRateLimiter(settings.rate_capacity, settings.rate_restore)
        )
        state.engines = engines
        state.runner = Runner(
            schema._schema,
            settings,
            engines.ports,
            services,
            documents,
            apq,
            limiter,
            compiled=settings.compiled_plans,
        )
        handlers = build_handlers(engines.ports, services, engines.response_cache)
        dispatcher = Dispatcher(engines.ports.repos.outbox, handlers)
        state.dispatcher = dispatcher
        state.tasks.append(asyncio.create_task(sockets.follow_closures(engines.ports.broker)))
        if engines.response_cache is not None:
            state.cache = EdgeCache(engines.response_cache, state.runner)
            state.tasks.append(asyncio.create_task(engines.response_cache.follow()))
        if settings.worker_in_process if run_dispatcher is None else run_dispatcher:
            waker.dispatcher = dispatcher
            state.tasks.append(asyncio.create_task(dispatcher.run()))
        # What starting made (schema, plans, engines, caches) lives as long as the app: frozen out of
        # the collector's reach, a full collection stops walking it (about 80 ms at 1M products).
        # A request makes thousands of short-lived containers: collecting every 10,000 allocations
        # rather than 700 halves the collector's time per feed page (1.15 to 0.5 ms, measured).
        thresholds = gc.get_threshold()
        gc.collect()
        gc.freeze()
        gc.set_threshold(10_000, 10, 10)
        try:
            yield
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()
            for task in state.tasks:
                task.cancel()
            await asyncio.gather(*state.tasks, return_exceptions=True)
            await engines.close()

    async def graphql_http(request: Request) -> Response:
        assert state.runner is not None
        return await GraphQLHttp(state.runner, state.cache)(request)

    async def graphql_ws(websocket: WebSocket) -> None:
        assert state.runner is not None
        await GraphQLWebSocket(state.runner, sockets)(websocket)

    async def ready(request: Request) -> Response:
        assert state.engines is not None
        return await readyz(state.engines.ports)(request)  # type: ignore[operator,no-any-return]

    middleware = [Middleware(GZipMiddleware, minimum_size=1024)]
    if settings.cors_origin_list:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origin_list,
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "Accept-Language", "X-Currency"],
            )
        )
    app = Starlette(
        routes=[
            Route("/graphql", graphql_http, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql_ws),
            Route("/healthz", healthz),
            Route("/readyz", ready),
            Route("/metrics", metrics(settings)),  # type: ignore[arg-type]
            Route("/webhooks/tracking", tracking_webhook(state), methods=["POST"]),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.buyer = state
    return app
