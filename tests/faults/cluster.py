"""The distributed shape as separate processes: two API instances and two workers on shared engines.

Engines: SecantusDB on disk (`DiskMongo`, stop/start), osmem-server (`PausableOpenSearch`,
SIGSTOP/SIGCONT), a real redis-server (`RedisServer`, stop/start, empty after a start) and the
loopback FCM endpoint (`FakeFcm`) in the test process. The apps are `buyer-api serve --no-worker`
and `buyer-api worker` children configured only through the environment, as in production.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient
from pymongo.database import Database

from app.auth.local import issue_local_token
from app.domain.accounts import Role
from tests.api.harness import operation, unique
from tests.servers.fcm import FakeFcm
from tests.servers.ports import free_port
from tests.servers.processes import AppProcess, DiskMongo, PausableOpenSearch, wait_for_http
from tests.servers.redis import RedisServer

AUTH_SECRET = "faults-auth-secret-" + "x" * 40
SEED_PRODUCTS = 300
DATABASE = "buyer_faults"
START_TIMEOUT = 60.0


@dataclass
class Cluster:
    folder: Path
    mongo: DiskMongo
    search: PausableOpenSearch
    redis: RedisServer
    fcm: FakeFcm
    apis: list[AppProcess] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    workers: list[AppProcess] = field(default_factory=list)
    _store: MongoClient[dict[str, Any]] | None = None

    @property
    def env(self) -> dict[str, str]:
        return {
            "STORE_URL": f"{self.mongo.url}/{DATABASE}",
            "SEARCH_URL": self.search.url.replace("http://", "opensearch://", 1) + "/faults",
            "BROKER_URL": self.redis.url,
            "PUSH_URL": "fcm://faults",
            "FCM_ENDPOINT": self.fcm.url,
            "AUTH_SECRET": AUTH_SECRET,
            "WEBHOOK_SECRET": "faults-webhook-secret",
            "VAR_DIR": str(self.folder / "var"),
            # Big enough that no test is throttled by accident, small enough that a drop shows.
            "RATE_LIMIT": "50000:0.01",
        }

    def ws_url(self, instance: int) -> str:
        return self.urls[instance].replace("http://", "ws://") + "/graphql"

    def token(self, role: str = "buyer", supplier: str | None = None) -> str:
        return issue_local_token(AUTH_SECRET, unique(role), Role(role), supplier)

    @property
    def store(self) -> Database[dict[str, Any]]:
        """The store read directly (pymongo), to compare what the API says with what is there."""
        if self._store is None:
            self._store = MongoClient(self.mongo.url, serverSelectionTimeoutMS=5000)
        return self._store[DATABASE]

    async def post(
        self, instance: int, body: dict[str, Any], token: str | None = None, timeout: float = 30.0
    ) -> httpx.Response:
        headers = {"Accept": "application/graphql-response+json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        async with httpx.AsyncClient(base_url=self.urls[instance], timeout=timeout) as client:
            return await client.post("/graphql", json=body, headers=headers)

    async def gql(
        self, instance: int, name: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        body = {"query": operation(name), "variables": variables or {}, "operationName": name}
        answer: dict[str, Any] = (await self.post(instance, body, token)).json()
        return answer

    async def get(self, instance: int, path: str, timeout: float = 30.0) -> httpx.Response:
        async with httpx.AsyncClient(base_url=self.urls[instance], timeout=timeout) as client:
            return await client.get(path)

    def start_worker(self, index: int) -> None:
        self.workers[index].start()

    def _app(self, name: str, args: list[str]) -> AppProcess:
        return AppProcess(args, self.env, self.folder / f"{name}.log")


async def eventually(
    check: Callable[[], Awaitable[bool]], timeout: float, what: str, interval: float = 0.1
) -> float:
    """Polls `check` until true; returns the seconds it took; AssertionError naming `what` after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if await check():
            return time.monotonic() - started
        await asyncio.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout} s")


@contextmanager
def start_cluster(folder: Path) -> Iterator[Cluster]:
    """Engines, then a seeded store and index, then two API instances and two workers."""
    with ExitStack() as stack:
        (folder / "var").mkdir(parents=True, exist_ok=True)
        mongo = DiskMongo(folder / "mongo")
        search = PausableOpenSearch()
        redis = RedisServer()
        fcm = FakeFcm()
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(lambda start: start(), (mongo.start, search.start, redis.start)))
        stack.callback(mongo.stop)
        stack.callback(search.stop)
        stack.callback(redis.close)
        fcm.start()
        stack.callback(fcm.stop)
        cluster = Cluster(folder, mongo, search, redis, fcm)
        cluster._app("seed", ["seed", "--demo", "--products", str(SEED_PRODUCTS)]).run(START_TIMEOUT * 2)
        for index in range(2):
            port = free_port()
            api = cluster._app(f"api{index}", ["serve", "--no-worker", "--port", str(port)])
            cluster.apis.append(api)
            cluster.urls.append(f"http://127.0.0.1:{port}")
            cluster.workers.append(cluster._app(f"worker{index}", ["worker"]))
        for process in (*cluster.apis, *cluster.workers):
            process.start()
            stack.callback(process.stop)
        for api, url in zip(cluster.apis, cluster.urls, strict=True):
            wait_for_http(f"{url}/healthz", START_TIMEOUT, api.process)
        stack.callback(lambda: cluster._store.close() if cluster._store is not None else None)
        yield cluster
