"""Fixtures for the auth port's contract tests: a real Firebase Auth emulator, its users, verifiers.

The emulator starts once per session (about 7 s); its tests skip with the reason when it cannot
start (firebase-tools not installed: `bash .ci/install-firebase-tools.sh`), or fail instead
when REQUIRE_AUTH_EMULATOR=1 (for CI, so a missing install cannot pass unnoticed).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import firebase_admin
import httpx
import pytest
from firebase_admin import App, auth
from google.auth.credentials import AnonymousCredentials

from app.auth.firebase import FirebaseVerifier
from tests.servers.firebase_emulator import EmulatorUnavailable, start_auth_emulator

PROJECT_ID = "demo-buyer"
EMULATOR_ENV = "FIREBASE_AUTH_EMULATOR_HOST"


@pytest.fixture(scope="session")
def auth_emulator_host() -> Iterator[str]:
    with ExitStack() as stack:
        try:
            host = stack.enter_context(start_auth_emulator(project_id=PROJECT_ID))
        except EmulatorUnavailable as error:
            if os.environ.get("REQUIRE_AUTH_EMULATOR") == "1":
                pytest.fail(f"Firebase Auth emulator unavailable: {error}")
            pytest.skip(f"Firebase Auth emulator unavailable: {error}")
        yield host


@pytest.fixture
def emulator_host(auth_emulator_host: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The emulator, with FIREBASE_AUTH_EMULATOR_HOST set for this test only."""
    monkeypatch.setenv(EMULATOR_ENV, auth_emulator_host)
    return auth_emulator_host


@pytest.fixture
def no_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(EMULATOR_ENV, raising=False)


@dataclass
class EmulatorUsers:
    """Makes users the way the app's clients and admin tools would: REST sign-up, admin claims."""

    http: httpx.AsyncClient
    admin: App
    password: str = "correct-horse-battery"

    async def sign_up(self, display_name: str | None = None) -> tuple[str, str]:
        """A new email/password user: (uid, email)."""
        email = f"user-{uuid.uuid4().hex[:12]}@example.com"
        body: dict[str, object] = {"email": email, "password": self.password, "returnSecureToken": True}
        if display_name:
            body["displayName"] = display_name
        data = await self._post("accounts:signUp", body)
        return str(data["localId"]), email

    def set_claims(self, uid: str, claims: dict[str, object]) -> None:
        auth.set_custom_user_claims(uid, claims, app=self.admin)

    async def id_token(self, email: str) -> str:
        """Signs in again, so the ID token carries the user's current custom claims."""
        body = {"email": email, "password": self.password, "returnSecureToken": True}
        data = await self._post("accounts:signInWithPassword", body)
        return str(data["idToken"])

    async def user_with_claims(
        self, claims: dict[str, object] | None = None, **kwargs: str
    ) -> tuple[str, str]:
        """(uid, ID token) for a new user carrying `claims`."""
        uid, email = await self.sign_up(**kwargs)
        if claims is not None:
            self.set_claims(uid, claims)
        return uid, await self.id_token(email)

    async def _post(self, method: str, body: dict[str, object]) -> dict[str, object]:
        response = await self.http.post(f"/identitytoolkit.googleapis.com/v1/{method}?key=any", json=body)
        assert response.status_code == 200, response.text
        data: dict[str, object] = response.json()
        return data


@pytest.fixture
async def emulator_users(emulator_host: str) -> AsyncIterator[EmulatorUsers]:
    admin = firebase_admin.initialize_app(
        AnonymousCredentials(), {"projectId": PROJECT_ID}, name=f"test-admin-{uuid.uuid4().hex}"
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://{emulator_host}", trust_env=False) as http:
            yield EmulatorUsers(http=http, admin=admin)
    finally:
        firebase_admin.delete_app(admin)


@pytest.fixture
def firebase_verifier(emulator_host: str) -> Iterator[FirebaseVerifier]:
    verifier = FirebaseVerifier(PROJECT_ID)
    yield verifier
    verifier.close()
