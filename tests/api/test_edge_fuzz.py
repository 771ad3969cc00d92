"""Schema-driven fuzzing of the served app: whatever is sent, no 5xx and no leaked internals."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from graphql import GraphQLSchema, build_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, mutations, queries
from hypothesis_graphql.strategies import Mode

from app.resolvers.root import build_schema as build_app_schema
from tests.api.harness import Api

EXAMPLES = 100
LEAKS = re.compile(r"Traceback|File \"|Error\(|Exception|sqlite3|pymongo|tantivy|/work/|\.py\b")
SCALARS: dict[str, st.SearchStrategy[Any]] = {}


def sdl_schema() -> GraphQLSchema:
    return build_schema(build_app_schema().as_str())


def check(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text[:500]
    text = response.text
    assert "INTERNAL_SERVER_ERROR" not in text, text[:500]
    assert not LEAKS.search(text), text[:500]


def custom_scalars() -> dict[str, st.SearchStrategy[Any]]:
    from hypothesis_graphql import nodes

    return {
        "DateTime": st.sampled_from(["2026-11-24T10:00:00+00:00", "2026-11-24T10:00:00Z", "not a date"]).map(
            nodes.String
        ),
        "Decimal": st.sampled_from(["12.50", "0", "-1", "1e400", "x"]).map(nodes.String),
    }


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return sdl_schema()


def run(api: Api, strategy: st.SearchStrategy[str], token: str | None) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(document=strategy)
    def fuzz(document: str) -> None:
        response = httpx.post(f"{api.url}/graphql", json={"query": document}, headers=headers, timeout=30)
        check(response)

    fuzz()


@pytest.mark.parametrize("role", [None, "buyer", "supplier", "editor"])
def test_fuzzed_queries_never_fail_the_server(
    api_server: Api, schema: GraphQLSchema, role: str | None
) -> None:
    token = api_server.token(role=role) if role else None
    run(api_server, queries(schema, custom_scalars=custom_scalars()), token)


@pytest.mark.parametrize("role", ["buyer", "supplier", "editor"])
def test_fuzzed_mutations_never_fail_the_server(api_server: Api, schema: GraphQLSchema, role: str) -> None:
    run(api_server, mutations(schema, custom_scalars=custom_scalars()), api_server.token(role=role))


def test_invalid_documents_never_fail_the_server(api_server: Api, schema: GraphQLSchema) -> None:
    strategy = from_schema(schema, mode=Mode.NEGATIVE, custom_scalars=custom_scalars())
    run(api_server, strategy, api_server.token())
