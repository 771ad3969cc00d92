"""Engines for the search contract suite: tantivy always, OpenSearch via osmem-server, Elasticsearch when
ELASTICSEARCH_URL is set; each parameter is skipped with the reason when its server is missing."""

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import ExitStack

import pytest

from search.es_engine import EsEngine
from search.open import open_search
from search.port import SearchEngine
from tests.contract.search.catalog import build_articles, build_products, build_suppliers
from tests.servers.opensearch import OpenSearchUnavailable, opensearch_server

ENGINES = ("tantivy", "opensearch", "elasticsearch")
EngineFactory = Callable[[], Awaitable[SearchEngine]]


@pytest.fixture(scope="session")
def opensearch_url() -> Iterator[str]:
    with ExitStack() as stack:
        try:
            url = stack.enter_context(opensearch_server())
        except OpenSearchUnavailable as error:
            pytest.skip(f"OpenSearch engine skipped: {error}")
        yield url


@pytest.fixture(scope="session", params=ENGINES)
def engine_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture(scope="session")
def engine_url(engine_kind: str, request: pytest.FixtureRequest) -> Callable[[], str]:
    """A new, empty engine location per call."""
    if engine_kind == "tantivy":
        root = tempfile.TemporaryDirectory(prefix="search-contract-")
        request.addfinalizer(root.cleanup)
        return lambda: f"tantivy://{root.name}/{uuid.uuid4().hex[:8]}"
    if engine_kind == "opensearch":
        base = request.getfixturevalue("opensearch_url").replace("http://", "opensearch://")
    else:
        es = os.environ.get("ELASTICSEARCH_URL")
        if not es:
            pytest.skip("Elasticsearch engine skipped: ELASTICSEARCH_URL is not set")
        base = es.rstrip("/")
    return lambda: f"{base}/contract-{uuid.uuid4().hex[:8]}"


async def _dispose(engine: SearchEngine) -> None:
    if isinstance(engine, EsEngine):
        await engine.drop()
    await engine.close()


@pytest.fixture
async def new_engine(engine_url: Callable[[], str]) -> AsyncIterator[EngineFactory]:
    """Fresh empty engines for tests that write; closed (and dropped) afterwards."""
    opened: list[SearchEngine] = []

    async def make() -> SearchEngine:
        engine = await open_search(engine_url())
        opened.append(engine)
        return engine

    yield make
    for engine in opened:
        await _dispose(engine)


@pytest.fixture(scope="session")
async def catalog(engine_url: Callable[[], str]) -> AsyncIterator[SearchEngine]:
    """The generated catalog, indexed once per engine; tests only read it."""
    engine = await open_search(engine_url())
    engine.set_vertical_names(
        {"v-machinery": {"en": "Machinery", "zh": "机械"}, "v-apparel": {"en": "Apparel"}}
    )
    await engine.index_products(build_products())
    await engine.index_articles(build_articles())
    await engine.index_suppliers(build_suppliers())
    await engine.refresh()
    yield engine
    await _dispose(engine)
