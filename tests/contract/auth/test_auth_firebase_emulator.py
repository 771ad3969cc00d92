"""FirebaseVerifier against the real Firebase Auth emulator: users, custom claims, ID tokens."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from typing import TYPE_CHECKING

import pytest
from firebase_admin import auth

from app.auth import AuthUnavailable, InvalidToken, Role, TokenVerifier
from app.auth.firebase import FirebaseVerifier

if TYPE_CHECKING:
    from tests.contract.auth.conftest import EmulatorUsers

PROJECT_ID = "demo-buyer"  # as in conftest.py
SUPPLIER_ID = "U3VwcGxpZXI6c3VwLTQy"


def _segment(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _claims_of(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    claims: dict[str, object] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return claims


def _with_claims(token: str, **changes: object) -> str:
    """The same token with some claims rewritten (the signature part left as it was)."""
    header, _, signature = token.split(".")
    claims = _claims_of(token)
    claims.update(changes)
    return ".".join([header, _segment(claims), signature])


async def _reason(verifier: FirebaseVerifier, token: str) -> str:
    with pytest.raises(InvalidToken) as caught:
        await verifier.verify(token)
    return caught.value.reason


def test_firebase_verifier_is_a_token_verifier(firebase_verifier: FirebaseVerifier) -> None:
    as_port: TokenVerifier = firebase_verifier
    assert callable(as_port.verify)


async def test_user_without_role_claim_is_a_buyer(
    emulator_users: EmulatorUsers, firebase_verifier: FirebaseVerifier
) -> None:
    uid, token = await emulator_users.user_with_claims()
    identity = await firebase_verifier.verify(token)
    assert identity.subject == uid
    assert identity.role is Role.BUYER
    assert identity.supplier_id is None
    assert identity.expires_at - identity.issued_at == 3600
    assert abs(identity.issued_at - time.time()) < 60
    assert (identity.locale, identity.name, identity.country) == (None, None, None)


async def test_supplier_with_supplier_id(
    emulator_users: EmulatorUsers, firebase_verifier: FirebaseVerifier
) -> None:
    uid, token = await emulator_users.user_with_claims({"role": "supplier", "supplierId": SUPPLIER_ID})
    identity = await firebase_verifier.verify(token)
    assert (identity.subject, identity.role, identity.supplier_id) == (uid, Role.SUPPLIER, SUPPLIER_ID)


async def test_editor(emulator_users: EmulatorUsers, firebase_verifier: FirebaseVerifier) -> None:
    uid, token = await emulator_users.user_with_claims({"role": "editor"})
    identity = await firebase_verifier.verify(token)
    assert (identity.subject, identity.role, identity.supplier_id) == (uid, Role.EDITOR, None)


async def test_claims_reach_the_token_only_after_signing_in_again(
    emulator_users: EmulatorUsers, firebase_verifier: FirebaseVerifier
) -> None:
    uid, email = await emulator_users.sign_up()
    before = await emulator_users.id_token(email)
    emulator_users.set_claims(uid, {"role": "supplier", "supplierId": SUPPLIER_ID})
    assert (await firebase_verifier.verify(before)).role is Role.BUYER
    after = await emulator_users.id_token(email)
    assert (await firebase_verifier.verify(after)).role is Role.SUPPLIER


async def test_profile_claims(emulator_users: EmulatorUsers, firebase_verifier: FirebaseVerifier) -> None:
    _, token = await emulator_users.user_with_claims(
        {"locale": "tr-TR", "country": "TR"}, display_name="Ayşe Yılmaz"
    )
    identity = await firebase_verifier.verify(token)
    assert (identity.locale, identity.name, identity.country) == ("tr-TR", "Ayşe Yılmaz", "TR")
    assert identity.role is Role.BUYER


async def test_unknown_role_claim(emulator_users: EmulatorUsers, firebase_verifier: FirebaseVerifier) -> None:
    _, token = await emulator_users.user_with_claims({"role": "admin"})
    assert await _reason(firebase_verifier, token) == "unknown role"


async def test_token_for_another_project(emulator_users: EmulatorUsers, emulator_host: str) -> None:
    _, token = await emulator_users.user_with_claims({"role": "editor"})
    other = FirebaseVerifier("demo-other-project")
    try:
        assert await _reason(other, token) == "invalid"
    finally:
        other.close()


async def test_tampered_tokens(emulator_users: EmulatorUsers, firebase_verifier: FirebaseVerifier) -> None:
    _, token = await emulator_users.user_with_claims({"role": "supplier", "supplierId": SUPPLIER_ID})
    header, payload, signature = token.split(".")
    corrupted = ".".join([header, payload[:-6] + "!!" + payload[-4:], signature])
    assert await _reason(firebase_verifier, corrupted) == "invalid"
    truncated = ".".join([header, payload[: len(payload) // 2]])
    assert await _reason(firebase_verifier, truncated) == "invalid"
    other_audience = _with_claims(token, aud="demo-other-project")
    assert await _reason(firebase_verifier, other_audience) == "invalid"
    other_issuer = _with_claims(token, iss="https://securetoken.google.com/demo-other-project")
    assert await _reason(firebase_verifier, other_issuer) == "invalid"
    custom_token_audience = _with_claims(
        token, aud="https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1.IdentityToolkit"
    )
    assert await _reason(firebase_verifier, custom_token_audience) == "invalid"
    no_subject = _with_claims(token, sub="")
    assert await _reason(firebase_verifier, no_subject) == "invalid"
    # firebase-admin skips exp/iat with the emulator; the verifier checks them itself.
    now = int(time.time())
    expired = _with_claims(token, iat=now - 7200, exp=now - 3600)
    assert await _reason(firebase_verifier, expired) == "expired"
    future = _with_claims(token, iat=now + 3600, exp=now + 7200)
    assert await _reason(firebase_verifier, future) == "not yet valid"
    bad_supplier = _with_claims(token, supplierId=["x"])
    assert await _reason(firebase_verifier, bad_supplier) == "malformed supplierId claim"


async def test_emulator_mode_does_not_check_signatures(
    emulator_users: EmulatorUsers, firebase_verifier: FirebaseVerifier
) -> None:
    """Known limit, why FIREBASE_AUTH_EMULATOR_HOST must never be set in production (settings refuse
    it there): emulator tokens are unsigned (alg none), so a rewritten but well-formed claim passes.
    Signatures are checked in test_auth_firebase_signed.py, the way production verifies."""
    _, token = await emulator_users.user_with_claims()
    assert token.endswith(".")
    assert json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["alg"] == "none"
    forged = _with_claims(token, role="editor")
    assert (await firebase_verifier.verify(forged)).role is Role.EDITOR


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "a.b", "Bearer x.y.z"])
async def test_garbage(firebase_verifier: FirebaseVerifier, token: str) -> None:
    assert await _reason(firebase_verifier, token) in {"malformed", "invalid"}


async def test_several_verifiers_coexist(emulator_users: EmulatorUsers, emulator_host: str) -> None:
    _, token = await emulator_users.user_with_claims({"role": "editor"})
    verifiers = [FirebaseVerifier(PROJECT_ID) for _ in range(3)]
    try:
        identities = await asyncio.gather(*(v.verify(token) for v in verifiers for _ in range(4)))
        assert {identity.role for identity in identities} == {Role.EDITOR}
    finally:
        for verifier in verifiers:
            verifier.close()


async def test_revoked_passes_unless_checked(emulator_users: EmulatorUsers, emulator_host: str) -> None:
    uid, token = await emulator_users.user_with_claims({"role": "supplier", "supplierId": SUPPLIER_ID})
    checking = FirebaseVerifier(PROJECT_ID, check_revoked=True)
    plain = FirebaseVerifier(PROJECT_ID)
    try:
        assert (await checking.verify(token)).role is Role.SUPPLIER
        await asyncio.sleep(1.1)  # revocation has one-second granularity: revoke after the iat second
        auth.revoke_refresh_tokens(uid, app=emulator_users.admin)
        assert await _reason(checking, token) == "revoked"
        assert (await plain.verify(token)).subject == uid  # by default a token lives until its exp
        fresh = await emulator_users.id_token(auth.get_user(uid, app=emulator_users.admin).email)
        assert (await checking.verify(fresh)).subject == uid
    finally:
        checking.close()
        plain.close()


async def test_disabled_and_deleted_users_when_checked(
    emulator_users: EmulatorUsers, emulator_host: str
) -> None:
    disabled_uid, disabled_token = await emulator_users.user_with_claims()
    deleted_uid, deleted_token = await emulator_users.user_with_claims()
    auth.update_user(disabled_uid, disabled=True, app=emulator_users.admin)
    auth.delete_user(deleted_uid, app=emulator_users.admin)
    checking = FirebaseVerifier(PROJECT_ID, check_revoked=True)
    try:
        assert await _reason(checking, disabled_token) == "user disabled"
        assert await _reason(checking, deleted_token) == "unknown user"
    finally:
        checking.close()


async def test_unreachable_emulator_is_unavailable(
    emulator_users: EmulatorUsers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With check_revoked the verifier reads the user; no answer means AuthUnavailable, not InvalidToken."""
    _, token = await emulator_users.user_with_claims()
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9")  # discard port: nothing listens
    checking = FirebaseVerifier(PROJECT_ID, check_revoked=True, http_timeout=5)
    try:
        with pytest.raises(AuthUnavailable):
            await checking.verify(token)
    finally:
        checking.close()
