"""LocalVerifier and issue_local_token: HS256 tokens signed with AUTH_SECRET."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from app.auth import Identity, InvalidToken, Role, TokenVerifier
from app.auth.local import LocalVerifier, issue_local_token

SECRET = "local-test-secret-that-is-long-enough-for-hs256"
OTHER_SECRET = "another-secret-that-is-also-long-enough-for-hs256"
SUPPLIER_ID = "U3VwcGxpZXI6c3VwLTE"
NOW = int(time.time())


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _signed(claims: dict[str, object], secret: str = SECRET, **headers: object) -> str:
    return jwt.encode(claims, secret, algorithm="HS256", headers=headers or None)


def _claims(**overrides: object) -> dict[str, object]:
    claims: dict[str, object] = {
        "iss": "buyer-api",
        "sub": "user-1",
        "role": "buyer",
        "iat": NOW,
        "exp": NOW + 600,
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


@pytest.fixture
def verifier() -> LocalVerifier:
    return LocalVerifier(SECRET)


async def _reason(verifier: LocalVerifier, token: str) -> str:
    with pytest.raises(InvalidToken) as caught:
        await verifier.verify(token)
    return caught.value.reason


def test_local_verifier_is_a_token_verifier(verifier: LocalVerifier) -> None:
    as_port: TokenVerifier = verifier
    assert callable(as_port.verify)


async def test_round_trip_buyer(verifier: LocalVerifier) -> None:
    token = issue_local_token(SECRET, "user-1", Role.BUYER, now=NOW)
    identity = await verifier.verify(token)
    assert identity == Identity(
        subject="user-1",
        role=Role.BUYER,
        supplier_id=None,
        issued_at=NOW,
        expires_at=NOW + 30 * 24 * 3600,
        locale=None,
        name=None,
        country=None,
    )


@pytest.mark.parametrize("role", list(Role))
async def test_each_role_round_trips(verifier: LocalVerifier, role: Role) -> None:
    identity = await verifier.verify(issue_local_token(SECRET, "u", role, now=NOW))
    assert identity.role is role


async def test_supplier_claims(verifier: LocalVerifier) -> None:
    token = issue_local_token(SECRET, "sup-user", Role.SUPPLIER, SUPPLIER_ID, ttl_seconds=3600, now=NOW)
    identity = await verifier.verify(token)
    assert identity.subject == "sup-user"
    assert identity.role is Role.SUPPLIER
    assert identity.supplier_id == SUPPLIER_ID
    assert (identity.issued_at, identity.expires_at) == (NOW, NOW + 3600)


def test_issued_claims_are_the_documented_ones() -> None:
    token = issue_local_token(SECRET, "sup-user", Role.SUPPLIER, SUPPLIER_ID, ttl_seconds=60, now=NOW)
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False})
    assert claims == {
        "iss": "buyer-api",
        "sub": "sup-user",
        "role": "supplier",
        "supplierId": SUPPLIER_ID,
        "iat": NOW,
        "exp": NOW + 60,
    }


async def test_optional_profile_claims(verifier: LocalVerifier) -> None:
    token = issue_local_token(SECRET, "u", Role.BUYER, now=NOW, locale="de-DE", name="Ada", country="DE")
    identity = await verifier.verify(token)
    assert (identity.locale, identity.name, identity.country) == ("de-DE", "Ada", "DE")


async def test_default_ttl_is_thirty_days(verifier: LocalVerifier) -> None:
    identity = await verifier.verify(issue_local_token(SECRET, "u", Role.BUYER))
    assert identity.expires_at - identity.issued_at == 30 * 24 * 3600
    assert abs(identity.issued_at - time.time()) < 5


async def test_missing_role_is_a_buyer(verifier: LocalVerifier) -> None:
    identity = await verifier.verify(_signed(_claims(role=None)))
    assert identity.role is Role.BUYER


async def test_unknown_role_is_rejected(verifier: LocalVerifier) -> None:
    assert await _reason(verifier, _signed(_claims(role="admin"))) == "unknown role"
    assert await _reason(verifier, _signed(_claims(role=["editor"]))) == "unknown role"


async def test_expired(verifier: LocalVerifier) -> None:
    token = issue_local_token(SECRET, "u", Role.BUYER, ttl_seconds=60, now=NOW - 3600)
    assert await _reason(verifier, token) == "expired"


async def test_leeway_is_thirty_seconds(verifier: LocalVerifier) -> None:
    now = int(time.time())
    just_expired = issue_local_token(SECRET, "u", Role.BUYER, ttl_seconds=60, now=now - 60 - 10)
    assert (await verifier.verify(just_expired)).subject == "u"
    long_expired = issue_local_token(SECRET, "u", Role.BUYER, ttl_seconds=60, now=now - 60 - 45)
    assert await _reason(verifier, long_expired) == "expired"


async def test_issued_in_the_future(verifier: LocalVerifier) -> None:
    token = issue_local_token(SECRET, "u", Role.BUYER, now=int(time.time()) + 3600)
    assert await _reason(verifier, token) == "not yet valid"


async def test_wrong_secret(verifier: LocalVerifier) -> None:
    token = issue_local_token(OTHER_SECRET, "u", Role.EDITOR, now=NOW)
    assert await _reason(verifier, token) == "bad signature"


async def test_tampered_payload(verifier: LocalVerifier) -> None:
    header, _, signature = issue_local_token(SECRET, "u", Role.BUYER, now=NOW).split(".")
    forged = ".".join([header, _b64(_claims(sub="u", role="editor")), signature])
    assert await _reason(verifier, forged) == "bad signature"


async def test_alg_none_is_rejected(verifier: LocalVerifier) -> None:
    unsigned = ".".join([_b64({"alg": "none", "typ": "JWT"}), _b64(_claims(role="editor")), ""])
    assert await _reason(verifier, unsigned) == "bad algorithm"
    none_by_pyjwt = jwt.encode(_claims(role="editor"), None, algorithm="none")
    assert await _reason(verifier, none_by_pyjwt) == "bad algorithm"


async def test_other_hmac_algorithms_are_rejected(verifier: LocalVerifier) -> None:
    token = jwt.encode(_claims(), SECRET + SECRET, algorithm="HS512")
    assert await _reason(verifier, token) == "bad algorithm"


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "iss"])
async def test_required_claims(verifier: LocalVerifier, claim: str) -> None:
    reason = await _reason(verifier, _signed(_claims(**{claim: None})))
    assert reason == f"missing {claim} claim"


async def test_wrong_issuer(verifier: LocalVerifier) -> None:
    assert await _reason(verifier, _signed(_claims(iss="someone-else"))) == "wrong issuer"


async def test_audience_is_not_expected(verifier: LocalVerifier) -> None:
    assert await _reason(verifier, _signed(_claims(aud="other-service"))) == "wrong audience"


async def test_malformed_claim_types(verifier: LocalVerifier) -> None:
    assert await _reason(verifier, _signed(_claims(supplierId=42))) == "malformed supplierId claim"
    assert await _reason(verifier, _signed(_claims(locale=["de"]))) == "malformed locale claim"


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "a.b.c", "a.b", "....", "Bearer x.y.z", "é.é.é"],
)
async def test_garbage(verifier: LocalVerifier, token: str) -> None:
    assert await _reason(verifier, token) == "malformed"


async def test_signed_payload_that_is_not_json(verifier: LocalVerifier) -> None:
    token = jwt.api_jws.encode(b"not json", SECRET, algorithm="HS256")
    assert await _reason(verifier, token) == "malformed"
    array = jwt.api_jws.encode(b"[1, 2]", SECRET, algorithm="HS256")
    assert await _reason(verifier, array) == "malformed"


def test_reason_is_short_and_the_message() -> None:
    error = InvalidToken("expired")
    assert str(error) == "expired"
    assert error.reason == "expired"


def test_secret_is_required() -> None:
    with pytest.raises(ValueError):
        LocalVerifier("")
    with pytest.raises(ValueError):
        issue_local_token("", "u", Role.BUYER)
    with pytest.raises(ValueError):
        issue_local_token(SECRET, "u", Role.BUYER, ttl_seconds=0)


def test_identity_is_frozen() -> None:
    identity = Identity("u", Role.BUYER, None, NOW, NOW + 1, None, None, None)
    with pytest.raises(AttributeError):
        identity.role = Role.EDITOR  # type: ignore[misc]


def test_role_values() -> None:
    assert [role.value for role in Role] == ["buyer", "supplier", "editor"]
    assert Role("supplier") is Role.SUPPLIER
    assert Role.EDITOR == "editor"
