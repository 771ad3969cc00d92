"""Fixtures of the API suites: one seeded app on the embedded default per session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.api.harness import Api, serve


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    folder: Path = tmp_path_factory.mktemp("api")
    with serve(folder) as api:
        yield api


@pytest.fixture
async def api(api_server: Api) -> AsyncIterator[Api]:
    """The session's app with a client made on the test's event loop."""
    api_server.__post_init__()
    yield api_server
    await api_server.client.aclose()
