"""One case's requests sent one after another on one kept-alive connection, asking no compression as
`wrk` asks none, and the server CPU they cost: what one request costs, before any queueing."""

from __future__ import annotations

from types import TracebackType

import httpx

from bench.cases import Case
from bench.client import headers
from bench.serving import Process


class Sequential:
    def __init__(self, url: str, case: Case) -> None:
        sent = {**headers(case.token), "Accept-Encoding": "identity"}
        self._session = httpx.Client(base_url=url, headers=sent, timeout=60)
        self._body = case.body

    def __enter__(self) -> Sequential:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._session.close()

    def send(self, times: int) -> None:
        for _ in range(times):
            self._session.post("/graphql", content=self._body).raise_for_status()

    def cpu_ms(self, service: Process, times: int) -> float:
        """The server's CPU milliseconds per request, over `times` requests."""
        before = service.cpu_seconds()
        self.send(times)
        return (service.cpu_seconds() - before) * 1000 / times
