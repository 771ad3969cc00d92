"""Fixtures of the API suites: one seeded app on the embedded default per session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.api.harness import Api, serve
from tests.api.shapes import engine_overrides


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The app on the shape BUYER_SHAPE names (embedded by default; see tests/api/shapes.py)."""
    folder: Path = tmp_path_factory.mktemp("api")
    with ExitStack() as stack:
        api = stack.enter_context(serve(folder, **engine_overrides(stack)))
        yield api


@pytest.fixture
async def api(api_server: Api) -> AsyncIterator[Api]:
    """The session's app with a client made on the test's event loop."""
    api_server.__post_init__()
    yield api_server
    await api_server.client.aclose()
