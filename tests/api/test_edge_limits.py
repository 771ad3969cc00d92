"""Abusive documents are refused before execution, naming the limit and the figure (CONTRACT.md section 4)."""

from __future__ import annotations

from typing import Any

from tests.api.harness import Api


def assert_refused_before_any_call(body: dict[str, Any], limit: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = body["errors"][0]
    assert "data" not in body
    assert body["extensions"]["stats"] == {"storeCalls": 0, "searchCalls": 0}
    if limit is not None:
        assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
        assert error["extensions"]["limit"] == limit
    return error


def of_type_chain(levels: int) -> str:
    """Introspection's __Type.ofType nests as deep as asked: four fields, then `levels` more."""
    return (
        "{ __schema { types { fields { type " + "{ ofType " * levels + "{ name }" + " }" * levels + " } } } }"
    )


async def test_a_document_of_depth_15_runs_and_one_deeper_is_refused_naming_depth(api: Api) -> None:
    # given
    at_limit = of_type_chain(10)
    too_deep = of_type_chain(11)
    # when
    allowed = await api.post(at_limit)
    refused = await api.post(too_deep)
    # then
    assert allowed.status_code == 200
    assert refused.status_code == 400
    error = assert_refused_before_any_call(refused.json(), "depth")
    assert error["extensions"]["figure"] == 16


async def test_more_than_30_aliases_are_refused_naming_the_figure(api: Api) -> None:
    fields = " ".join(f"a{i}: verticals {{ id }}" for i in range(31))
    response = await api.post(f"query Aliases {{ {fields} }}")
    error = assert_refused_before_any_call(response.json(), "aliases")
    assert error["extensions"]["figure"] == 31
    assert "31" in error["message"] and "30" in error["message"]


async def test_field_duplication_over_the_cost_limit_is_refused(api: Api) -> None:
    ids = ", ".join(f'"id{i}"' for i in range(99))
    nodes = f"nodes(ids: [{ids}]) {{ ... on Vertical {{ coverImage {{ width }} }} }}"
    fields = " ".join(f"n{i}: {nodes}" for i in range(12))
    response = await api.post(f"query Costly {{ {fields} }}")
    error = assert_refused_before_any_call(response.json(), "cost")
    assert error["extensions"]["figure"] > 1000


async def test_fragment_cycles_are_refused_by_validation(api: Api) -> None:
    query = "query C { viewer { ...A } } fragment A on Viewer { ...B } fragment B on Viewer { ...A }"
    error = assert_refused_before_any_call((await api.post(query)).json())
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_directive_overloading_is_refused(api: Api) -> None:
    directives = " ".join("@include(if: true)" for _ in range(50))
    error = assert_refused_before_any_call(
        (await api.post(f"query O {{ verticals {directives} {{ id }} }}")).json()
    )
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_a_document_with_too_many_tokens_is_refused(api: Api) -> None:
    fields = " ".join("id" for _ in range(6000))
    response = await api.post(f"query Long {{ verticals {{ {fields} }} }}")
    assert_refused_before_any_call(response.json(), "tokens")


async def test_more_than_100_node_ids_is_bad_user_input(api: Api) -> None:
    ids = ", ".join(f'"id{i}"' for i in range(101))
    body = (await api.post(f"query Many {{ nodes(ids: [{ids}]) {{ id }} }}")).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_first_given_as_a_variable_is_costed(api: Api) -> None:
    query = "query T($n: Int) { trending(first: $n) { score } }"
    body = (await api.post(query, {"n": 40}, token=api.token())).json()
    assert body["extensions"]["cost"]["requestedQueryCost"] == 2


async def test_nested_fragments_on_abstract_types_are_costed_without_blowing_up(api: Api) -> None:
    # given: each level offers every Node type a fragment; a naive walk is exponential in the depth
    inner = "id"
    for _ in range(13):
        others = "... on Inquiry { muted } ... on Article { slug }"
        inner = f"target {{ ... on Notification {{ readAt {inner} }} {others} }}"
    query = f'query Nested {{ node(id: "x") {{ ... on Notification {{ {inner} }} }} }}'
    # when
    response = await api.post(query)
    # then
    assert response.status_code in (200, 400)
    assert (
        "errors" not in response.json()
        or response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    )
