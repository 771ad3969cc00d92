"""Automatic persisted queries and trusted documents (CONTRACT.md section 4)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.edge.documents import build_manifest
from tests.api.harness import OPERATIONS, Api, serve

VERTICALS = "query Verticals { verticals { id slug } }"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(hash_: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": hash_}}


async def test_unknown_hash_answers_persisted_query_not_found_with_200(api: Api) -> None:
    # given
    query = VERTICALS + " # " + sha("unknown-1")
    # when
    response = await api.client.post("/graphql", json={"extensions": persisted(sha(query))})
    # then
    assert response.status_code == 200
    error = response.json()["errors"][0]
    assert error["message"] == "PersistedQueryNotFound"
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_hash_registered_with_its_text_then_runs_alone_over_post_and_get(api: Api) -> None:
    # given
    query = VERTICALS + " # registered"
    await api.client.post("/graphql", json={"query": query, "extensions": persisted(sha(query))})
    # when
    by_post = await api.client.post("/graphql", json={"extensions": persisted(sha(query))})
    by_get = await api.client.get("/graphql", params={"extensions": json.dumps(persisted(sha(query)))})
    # then
    assert len(by_post.json()["data"]["verticals"]) >= 15
    assert by_get.json()["data"] == by_post.json()["data"]
    assert by_get.headers["cache-control"] == "public, max-age=60"


async def test_hash_that_does_not_match_its_text_is_bad_user_input(api: Api) -> None:
    response = await api.client.post(
        "/graphql", json={"query": VERTICALS, "extensions": persisted(sha("something else"))}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    folder: Path = tmp_path_factory.mktemp("production")
    shipped = folder / "app-build"
    shipped.mkdir()
    for name in ("Verticals", "Viewer"):
        (shipped / f"{name}.graphql").write_text(contract_text(name))
    manifest = folder / "manifest.json"
    manifest.write_text(json.dumps(build_manifest(shipped)))
    with serve(
        folder, products=0, app_env="production", trusted_documents=str(manifest), query_stats=False
    ) as api:
        yield api


@pytest.fixture
async def prod(production: Api) -> AsyncIterator[Api]:
    production.__post_init__()
    yield production
    await production.client.aclose()


def contract_text(name: str) -> str:
    return next(OPERATIONS.rglob(f"{name}.graphql")).read_text()


async def test_every_contract_operation_loads_as_a_trusted_document() -> None:
    from app.edge.documents import DocumentCache
    from app.resolvers.root import build_schema

    # given
    cache = DocumentCache(build_schema()._schema, production=True)
    folder = OPERATIONS
    # when
    manifest = build_manifest(folder)
    # then
    assert len(manifest["operations"]) == len(list(folder.rglob("*.graphql")))  # type: ignore[arg-type]
    assert load_trusted_from(cache, manifest) == len(manifest["operations"])  # type: ignore[arg-type]


def load_trusted_from(cache: Any, manifest: dict[str, Any]) -> int:
    import tempfile

    from app.edge.documents import load_trusted

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(manifest, file)
    return load_trusted(cache, [file.name])


async def test_production_runs_trusted_documents_by_id_by_hash_and_by_full_text(prod: Api) -> None:
    text = contract_text("Verticals")
    by_id = await prod.client.post("/graphql", json={"documentId": sha(text)})
    by_hash = await prod.client.post("/graphql", json={"extensions": persisted(sha(text))})
    by_text = await prod.client.post("/graphql", json={"query": text})
    for response in (by_id, by_hash, by_text):
        assert response.status_code == 200, response.text
        assert len(response.json()["data"]["verticals"]) >= 15


async def test_production_refuses_any_other_document(prod: Api) -> None:
    untrusted = await prod.client.post("/graphql", json={"query": VERTICALS})
    unknown_hash = await prod.client.post(
        "/graphql", json={"query": VERTICALS, "extensions": persisted(sha(VERTICALS))}
    )
    for response in (untrusted, unknown_hash):
        assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
        assert "data" not in response.json()


async def test_production_answers_no_introspection_and_no_suggestions(prod: Api) -> None:
    introspection = await prod.client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
    assert introspection.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
    assert "Did you mean" not in introspection.text


async def test_production_metrics_need_the_token(prod: Api) -> None:
    response = await prod.client.get("/metrics")
    assert response.status_code == 404
