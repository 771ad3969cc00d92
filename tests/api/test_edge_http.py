"""GraphQL over HTTP to the letter: media types, methods, status codes, caching (CONTRACT.md 2 and 4)."""

from __future__ import annotations

from tests.api.harness import Api

VERTICALS = "query Verticals { verticals { id slug name } }"


async def test_graphql_response_media_type_when_accepted(api: Api) -> None:
    response = await api.post(VERTICALS)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphql-response+json")


async def test_plain_json_when_only_json_is_accepted(api: Api) -> None:
    response = await api.post(VERTICALS, headers={"Accept": "application/json"})
    assert response.headers["content-type"].startswith("application/json")


async def test_unacceptable_media_type_is_406(api: Api) -> None:
    response = await api.post(VERTICALS, headers={"Accept": "text/html"})
    assert response.status_code == 406


async def test_parse_error_is_400_without_data(api: Api) -> None:
    response = await api.post("query { verticals { id ")
    body = response.json()
    assert response.status_code == 400
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_validation_error_is_400_and_200_for_legacy_json(api: Api) -> None:
    modern = await api.post("query { verticals { nope } }")
    legacy = await api.post("query { verticals { nope } }", headers={"Accept": "application/json"})
    assert modern.status_code == 400
    assert modern.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert legacy.status_code == 200
    assert "data" not in legacy.json()


async def test_bad_variables_are_400(api: Api) -> None:
    response = await api.post("query Q($n: Int!) { node(id: $n) { id } }", {"n": "x"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] in {
        "BAD_USER_INPUT",
        "GRAPHQL_VALIDATION_FAILED",
    }


async def test_get_runs_queries_and_public_answers_are_cacheable(api: Api) -> None:
    response = await api.client.get(
        "/graphql", params={"query": VERTICALS}, headers={"Accept": "application/json"}
    )
    body = response.json()
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=60"
    assert response.headers["vary"] == "Accept, Accept-Language, X-Currency, Accept-Encoding"
    assert "throttleStatus" not in body["extensions"]["cost"]


async def test_mutation_over_get_is_405_with_allow_post(api: Api) -> None:
    mutation = "mutation { deleteAccount(confirm: false) { deleted } }"
    response = await api.client.get("/graphql", params={"query": mutation})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_signed_in_answers_are_private_and_errors_are_not_cached(api: Api) -> None:
    signed_in = await api.post(VERTICALS, token=api.token())
    failing = await api.client.get("/graphql", params={"query": "{ nodes(ids: []) { id } nope }"})
    assert signed_in.headers["cache-control"] == "private, no-store"
    assert "throttleStatus" in signed_in.json()["extensions"]["cost"]
    assert failing.headers["cache-control"] == "no-store"


async def test_wrong_content_type_is_415(api: Api) -> None:
    response = await api.client.post("/graphql", content=VERTICALS, headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


async def test_body_over_one_megabyte_is_413(api: Api) -> None:
    padding = " " * (1024 * 1024 + 10)
    response = await api.post(VERTICALS + padding)
    assert response.status_code == 413


async def test_batched_requests_are_refused(api: Api) -> None:
    response = await api.client.post("/graphql", json=[{"query": VERTICALS}, {"query": VERTICALS}])
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_every_response_reports_cost(api: Api) -> None:
    body = (await api.post(VERTICALS, token=api.token())).json()
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 1
    assert cost["actualQueryCost"] >= 0
    assert set(cost["throttleStatus"]) == {"maximumAvailable", "currentlyAvailable", "restoreRate"}


async def test_large_responses_are_gzipped(api: Api) -> None:
    response = await api.client.post(
        "/graphql",
        json={"query": "query V { verticals { id slug name hsHeadings coverImage { url } } }"},
        headers={"Accept-Encoding": "gzip"},
    )
    assert response.headers.get("content-encoding") == "gzip"
    assert len(response.json()["data"]["verticals"]) >= 15


async def test_malformed_node_ids_read_as_null(api: Api) -> None:
    response = await api.post('query { nodes(ids: ["x"]) { id } }')
    assert response.status_code == 200
    assert response.json()["data"] == {"nodes": [None]}


async def test_actual_cost_counts_what_the_response_holds(api: Api) -> None:
    body = (await api.post("query V { verticals { id coverImage { width } } }", token=api.token())).json()
    cost = body["extensions"]["cost"]
    verticals = len(body["data"]["verticals"])
    assert cost["actualQueryCost"] == verticals
    assert cost["requestedQueryCost"] == 1


async def test_actual_cost_counts_a_field_selected_twice_once(api: Api) -> None:
    query = (
        "query V { verticals { coverImage { width } ...Cover } } "
        "fragment Cover on Vertical { coverImage { height } }"
    )
    body = (await api.post(query, token=api.token())).json()
    assert body["extensions"]["cost"]["actualQueryCost"] == len(body["data"]["verticals"])
