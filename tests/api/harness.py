"""The app served over real HTTP and WebSocket on a loopback port, for the API suites."""

from __future__ import annotations

import asyncio
import itertools
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from app.auth.local import issue_local_token
from app.domain.accounts import Role
from app.main import AppState, create_app
from app.seed.runner import seed_demo
from app.settings import Settings
from tests.servers.ports import free_port

OPERATIONS = Path(__file__).resolve().parent.parent / "operations"
_counter = itertools.count()


def operation(name: str) -> str:
    """The text of a contract operation by name (tests/operations holds the contract's copy)."""
    found = list(OPERATIONS.rglob(f"{name}.graphql"))
    if len(found) != 1:
        raise LookupError(f"no single operation named {name}")
    return found[0].read_text()


_seqs = itertools.count(1_900_000_000 + secrets.randbelow(10**5) * 1000)


def next_seq() -> int:
    """A search sequence number no seeded or other test document uses (seeds count up from 1)."""
    return next(_seqs)


def unique(prefix: str = "user") -> str:
    """An id no other test uses: tests never share users, keys or other ids."""
    return f"{prefix}-{next(_counter)}-{secrets.token_hex(3)}"


def embedded_settings(folder: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "store_url": f"sqlite:///{folder}/buyer.db",
        "search_url": f"tantivy://{folder}/search",
        "broker_url": "memory://",
        "push_url": "log://",
        "auth_mode": "local",
        "auth_secret": "test-secret-" + "x" * 40,
        "webhook_secret": "webhook-test-secret",
        "var_dir": str(folder),
        "query_stats": True,
        "rate_limit": "100000:10000",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class ServerThread:
    """uvicorn in a thread of its own, with its own event loop."""

    def __init__(self, settings: Settings, port: int) -> None:
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", ws="websockets-sansio"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the API server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class Api:
    """A running app and a client for it: `await api.gql("Viewer", token=...)`."""

    url: str
    settings: Settings
    state: AppState
    client: httpx.AsyncClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.AsyncClient(base_url=self.url, timeout=30)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/graphql"

    def token(
        self, subject: str | None = None, role: str = "buyer", supplier: str | None = None, **claims: Any
    ) -> str:
        assert self.settings.auth_secret is not None
        return issue_local_token(
            self.settings.auth_secret, subject or unique(role), Role(role), supplier, **claims
        )

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        operation_name: str | None = None,
    ) -> httpx.Response:
        sent = {"Accept": "application/graphql-response+json", **(headers or {})}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        body: dict[str, Any] = {"query": query, "variables": variables or {}}
        if operation_name is not None:
            body["operationName"] = operation_name
        return await self.client.post("/graphql", json=body, headers=sent)

    async def gql(
        self,
        name: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Sends a contract operation by name; returns the whole JSON body."""
        response = await self.post(
            operation(name), variables, token=token, headers=headers, operation_name=name
        )
        body: dict[str, Any] = response.json()
        return body

    async def drain_outbox(self) -> None:
        """Waits until the in-process dispatcher has done everything due now."""
        entries = self.state.engines.ports.repos.database.collection("outbox")  # type: ignore[union-attr]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            # One count for both states, so an entry going from leased back to pending is not missed;
            # entries scheduled for later (an order's completion in 14 days, a deferred push) are not due.
            busy = {
                "$or": [
                    {"status": "leased"},
                    {"status": "pending", "available_at": {"$lte": int(time.time() * 1000)}},
                ]
            }
            if await _on_server(self, entries.count_documents(busy)) == 0:
                return
            await asyncio.sleep(0.05)
        raise TimeoutError("the outbox did not drain")


async def _on_server(api: Api, coroutine: Any) -> Any:
    """Runs a coroutine on the server's event loop (its engines belong to that loop)."""
    loop = api.server_loop  # type: ignore[attr-defined]
    return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, loop))


@contextmanager
def serve(folder: Path, *, products: int = 400, seed: bool = True, **overrides: Any) -> Iterator[Api]:
    """Seeds (unless told not to: a second instance on the same engines) and serves the app."""
    settings = embedded_settings(folder, **overrides)
    if seed:
        asyncio.run(seed_demo(settings, products=products, seed=7))
    port = free_port()
    server = ServerThread(settings, port)
    server.start()
    api = Api(f"http://127.0.0.1:{port}", settings, server.app.state.buyer)
    api.server_loop = _loop_of(server)  # type: ignore[attr-defined]
    try:
        yield api
    finally:
        server.stop()


def _loop_of(server: ServerThread) -> asyncio.AbstractEventLoop:
    """The loop uvicorn runs on, read from the lifespan's dispatcher task."""
    state: AppState = server.app.state.buyer
    task = state.tasks[0]
    return task.get_loop()
