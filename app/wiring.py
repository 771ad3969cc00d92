"""Wiring: the one place that reads URLs and picks an engine for each port."""

from __future__ import annotations

import hashlib
import hmac
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis

from app.auth.port import TokenVerifier
from app.auth.remembered import RememberedVerifier
from app.broker import open_broker
from app.broker.port import Broker
from app.cache.port import ResponseCache
from app.ports import Ports
from app.settings import Settings, SettingsError, development_secret
from app.stats import count_search_call
from app.store.counting import CountingDatabase
from app.store.port import Database
from app.store.repositories import Repositories
from push.port import PushSender
from search.counting import CountingSearch
from search.open import open_search
from search.port import SearchEngine

log = logging.getLogger("buyer_api.wiring")


@dataclass(frozen=True)
class Secrets:
    auth: str | None
    webhook: list[str]
    cursor: bytes


def resolve_secrets(settings: Settings) -> Secrets:
    """Development makes and keeps what is unset; production was checked at load time."""
    auth = settings.auth_secret
    if auth is None and settings.auth_mode == "local":
        auth, _ = development_secret(settings, "auth")
    webhook = settings.webhook_secrets
    if not webhook:
        generated, fresh = development_secret(settings, "webhook")
        if fresh:
            print(
                f"WEBHOOK_SECRET was unset: generated one for development in {settings.var_dir}",
                file=sys.stderr,
            )
        webhook = [generated]
    root = auth or webhook[0]
    cursor = hmac.new(root.encode(), b"buyer-api cursors", hashlib.sha256).digest()
    return Secrets(auth=auth, webhook=webhook, cursor=cursor)


async def open_store(url: str) -> Database:
    if url.startswith("sqlite:///"):
        from app.store.sqlite import open_sqlite

        return CountingDatabase(await open_sqlite(url[len("sqlite:///") :]))
    if url.startswith(("mongodb://", "mongodb+srv://")):
        from app.store.mongo import open_mongo

        return CountingDatabase(open_mongo(url))
    raise SettingsError(f"STORE_URL: unsupported engine in {url!r} (sqlite:///PATH or mongodb://…)")


def open_push(settings: Settings) -> PushSender:
    if settings.push_url == "log://":
        from push.log_sender import LogPushSender

        return LogPushSender()
    if settings.push_url.startswith("fcm://"):
        from push.fcm_sender import open_fcm_sender

        project = settings.push_url[len("fcm://") :].strip("/")
        if not project:
            raise SettingsError("PUSH_URL: fcm:// needs the Firebase project id, e.g. fcm://my-project")
        return open_fcm_sender(project, settings.fcm_endpoint)
    raise SettingsError(f"PUSH_URL: unsupported sender in {settings.push_url!r} (log:// or fcm://PROJECT)")


def open_verifier(settings: Settings, secrets: Secrets) -> TokenVerifier:
    return RememberedVerifier(_token_verifier(settings, secrets))


def _token_verifier(settings: Settings, secrets: Secrets) -> TokenVerifier:
    if settings.auth_mode == "local":
        from app.auth.local import LocalVerifier

        if secrets.auth is None:
            raise SettingsError("AUTH_SECRET must be set with AUTH_MODE=local")
        return LocalVerifier(secrets.auth)
    from app.auth.firebase import FirebaseVerifier

    project = settings.firebase_project_id or _project_of(settings.push_url)
    if not project:
        raise SettingsError("FIREBASE_PROJECT_ID must be set with AUTH_MODE=firebase")
    return FirebaseVerifier(project)


def _project_of(push_url: str) -> str | None:
    return push_url[len("fcm://") :].strip("/") or None if push_url.startswith("fcm://") else None


def open_redis(settings: Settings) -> Redis | None:
    """The Redis behind shared rate limits and persisted-query hashes, when the broker is Redis."""
    if not settings.broker_url.startswith(("redis://", "rediss://")):
        return None
    return Redis.from_url(settings.broker_url, socket_timeout=0.5, socket_connect_timeout=0.5)


def open_response_cache(settings: Settings, broker: Broker, redis: Redis | None) -> ResponseCache | None:
    """Redis when the broker is Redis (one delete reaches every instance), else in process."""
    if settings.response_cache == "off":
        return None
    if redis is not None and settings.response_cache == "on":
        from app.cache.redis import RedisResponseCache

        return RedisResponseCache(redis)
    from app.cache.memory import MemoryResponseCache

    return MemoryResponseCache(broker)


@dataclass
class Engines:
    ports: Ports
    secrets: Secrets
    redis: Redis | None
    response_cache: ResponseCache | None

    async def close(self) -> None:
        for close in (self.ports.push.close, self.ports.broker.close, self.ports.search.close):
            try:
                await close()
            except Exception:
                log.exception("closing an engine failed")
        if self.redis is not None:
            await self.redis.aclose()
        await self.ports.repos.database.close()


async def open_engines(settings: Settings, wake_dispatcher: Callable[[], None]) -> Engines:
    """Opens every port; an engine that cannot be reached fails the start with a clear line."""
    secrets = resolve_secrets(settings)
    database = await open_store(settings.store_url)
    repos = Repositories.over(database)
    await repos.ensure_indexes()
    search: SearchEngine = CountingSearch(await open_search(settings.search_url), count_search_call)
    # `suggest` completes vertical names, which live in the store (they are configuration, read at start).
    search.set_vertical_names({v.key: v.names for v in await repos.verticals.all()})
    broker: Broker = open_broker(settings.broker_url)
    ports = Ports(
        repos=repos,
        search=search,
        broker=broker,
        push=open_push(settings),
        verifier=open_verifier(settings, secrets),
        cursor_secret=secrets.cursor,
        wake_dispatcher=wake_dispatcher,
    )
    redis = open_redis(settings)
    cache = open_response_cache(settings, broker, redis)
    return Engines(ports=ports, secrets=secrets, redis=redis, response_cache=cache)
