"""Viewer and Verticals with AUTH_MODE=firebase: ID tokens from the Auth emulator, roles from claims."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from pathlib import Path

import firebase_admin
import httpx
import pytest
from google.auth.credentials import AnonymousCredentials

from app.domain.ids import to_global_id
from tests.api.harness import Api, serve
from tests.contract.auth.conftest import PROJECT_ID, EmulatorUsers
from tests.servers.firebase_emulator import EmulatorUnavailable, start_auth_emulator


@pytest.fixture(scope="module")
def firebase_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, str]]:
    with ExitStack() as stack, pytest.MonkeyPatch.context() as patch:
        try:
            host = stack.enter_context(start_auth_emulator(project_id=PROJECT_ID))
        except EmulatorUnavailable as error:
            if os.environ.get("REQUIRE_AUTH_EMULATOR") == "1":
                pytest.fail(f"Firebase Auth emulator unavailable: {error}")
            pytest.skip(f"Firebase Auth emulator unavailable: {error}")
        patch.setenv("FIREBASE_AUTH_EMULATOR_HOST", host)
        folder: Path = tmp_path_factory.mktemp("firebase")
        api = stack.enter_context(
            serve(folder, products=0, auth_mode="firebase", firebase_project_id=PROJECT_ID, auth_secret=None)
        )
        yield api, host


@pytest.fixture
async def users(firebase_api: tuple[Api, str]) -> AsyncIterator[tuple[Api, EmulatorUsers]]:
    api, host = firebase_api
    api.__post_init__()
    admin = firebase_admin.initialize_app(
        AnonymousCredentials(), {"projectId": PROJECT_ID}, name=f"api-admin-{uuid.uuid4().hex}"
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://{host}", trust_env=False) as http:
            yield api, EmulatorUsers(http=http, admin=admin)
    finally:
        firebase_admin.delete_app(admin)
        await api.client.aclose()


async def test_a_firebase_user_without_a_role_claim_is_a_buyer(users: tuple[Api, EmulatorUsers]) -> None:
    api, accounts = users
    uid, token = await accounts.user_with_claims()
    viewer = (await api.gql("Viewer", token=token))["data"]["viewer"]
    assert viewer["role"] == "BUYER"
    assert uid not in viewer["id"]


async def test_supplier_and_editor_claims_give_their_roles(users: tuple[Api, EmulatorUsers]) -> None:
    api, accounts = users
    supplier_id = to_global_id("Supplier", "unknown-supplier")
    _, supplier = await accounts.user_with_claims({"role": "supplier", "supplierId": supplier_id})
    _, editor = await accounts.user_with_claims({"role": "editor"})
    assert (await api.gql("Viewer", token=supplier))["data"]["viewer"]["role"] == "SUPPLIER"
    assert (await api.gql("Viewer", token=editor))["data"]["viewer"]["role"] == "EDITOR"


async def test_a_malformed_firebase_token_is_401(users: tuple[Api, EmulatorUsers]) -> None:
    api, _ = users
    response = await api.post("query Viewer { viewer { id } }", token="eyJ.not.a-token")
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_verticals_work_signed_in_with_firebase(users: tuple[Api, EmulatorUsers]) -> None:
    api, accounts = users
    _, token = await accounts.user_with_claims()
    body = await api.gql("Verticals", token=token)
    assert len(body["data"]["verticals"]) >= 15
