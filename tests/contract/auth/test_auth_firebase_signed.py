"""FirebaseVerifier the way production verifies: RS256 signatures checked against fetched public keys.

No emulator here (FIREBASE_AUTH_EMULATOR_HOST unset): a loopback server plays Google's key endpoint,
serving a self-signed certificate for a key the test signs with, and firebase-admin is pointed at it.
"""

from __future__ import annotations

import datetime
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from firebase_admin import _token_gen

from app.auth import AuthUnavailable, InvalidToken, Role
from app.auth.firebase import FirebaseVerifier

PROJECT_ID = "demo-signed"
KID = "test-key-1"


def _key_and_cert() -> tuple[rsa.RSAPrivateKey, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "securetoken.system.gserviceaccount.com")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return key, cert.public_bytes(serialization.Encoding.PEM).decode()


@dataclass
class KeyServer:
    url: str
    key: rsa.RSAPrivateKey
    certs: dict[str, str]
    status: int = 200
    requests: list[str] = field(default_factory=list)

    def sign(self, kid: str = KID, key: rsa.RSAPrivateKey | None = None, **overrides: object) -> str:
        now = int(time.time())
        claims: dict[str, object] = {
            "iss": f"https://securetoken.google.com/{PROJECT_ID}",
            "aud": PROJECT_ID,
            "sub": "firebase-uid-1",
            "user_id": "firebase-uid-1",
            "auth_time": now,
            "iat": now,
            "exp": now + 3600,
        }
        claims.update(overrides)
        claims = {name: value for name, value in claims.items() if value is not None}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture(scope="module")
def signing_material() -> tuple[rsa.RSAPrivateKey, str]:
    return _key_and_cert()


@pytest.fixture
def key_server(
    signing_material: tuple[rsa.RSAPrivateKey, str], monkeypatch: pytest.MonkeyPatch, no_emulator: None
) -> Iterator[KeyServer]:
    key, cert = signing_material
    state = KeyServer(url="", key=key, certs={KID: cert})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            body = json.dumps(state.certs).encode() if state.status == 200 else b"{}"
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "public, max-age=3600")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/robot/v1/metadata/x509/securetoken"
    monkeypatch.setattr(_token_gen, "ID_TOKEN_CERT_URI", state.url)
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def verifier(key_server: KeyServer) -> Iterator[FirebaseVerifier]:
    verifier = FirebaseVerifier(PROJECT_ID)
    yield verifier
    verifier.close()


async def _reason(verifier: FirebaseVerifier, token: str) -> str:
    with pytest.raises(InvalidToken) as caught:
        await verifier.verify(token)
    return caught.value.reason


async def test_signed_token_verifies(key_server: KeyServer, verifier: FirebaseVerifier) -> None:
    token = key_server.sign(role="supplier", supplierId="U3VwcGxpZXI6MQ", name="Ada", locale="en-GB")
    identity = await verifier.verify(token)
    assert (identity.subject, identity.role, identity.supplier_id) == (
        "firebase-uid-1",
        Role.SUPPLIER,
        "U3VwcGxpZXI6MQ",
    )
    assert (identity.name, identity.locale, identity.country) == ("Ada", "en-GB", None)
    assert (await verifier.verify(key_server.sign())).role is Role.BUYER
    assert len(key_server.requests) == 1  # keys cached for their max-age


async def test_tampered_claims_fail_the_signature(key_server: KeyServer, verifier: FirebaseVerifier) -> None:
    header, _, signature = key_server.sign().split(".")
    _, forged_payload, _ = key_server.sign(role="editor").split(".")
    assert await _reason(verifier, f"{header}.{forged_payload}.{signature}") == "invalid"
    assert await _reason(verifier, f"{header}.{forged_payload}.") == "invalid"


async def test_signed_by_another_key(key_server: KeyServer, verifier: FirebaseVerifier) -> None:
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert await _reason(verifier, key_server.sign(key=other_key)) == "invalid"
    assert await _reason(verifier, key_server.sign(kid="unknown-kid")) == "invalid"


async def test_unsigned_and_hmac_tokens(key_server: KeyServer, verifier: FirebaseVerifier) -> None:
    claims = jwt.decode(key_server.sign(role="editor"), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": KID})
    assert await _reason(verifier, unsigned) == "invalid"
    hmac = jwt.encode(claims, "k" * 64, algorithm="HS256", headers={"kid": KID})
    assert await _reason(verifier, hmac) == "invalid"


async def test_expired(key_server: KeyServer, verifier: FirebaseVerifier) -> None:
    now = int(time.time())
    assert await _reason(verifier, key_server.sign(iat=now - 7200, exp=now - 3600)) == "expired"


async def test_another_project(key_server: KeyServer, verifier: FirebaseVerifier) -> None:
    assert await _reason(verifier, key_server.sign(aud="demo-other")) == "invalid"
    other_issuer = key_server.sign(iss="https://securetoken.google.com/demo-other")
    assert await _reason(verifier, other_issuer) == "invalid"


async def test_unknown_role(key_server: KeyServer, verifier: FirebaseVerifier) -> None:
    assert await _reason(verifier, key_server.sign(role="root")) == "unknown role"


async def test_key_endpoint_failing_is_unavailable(key_server: KeyServer, verifier: FirebaseVerifier) -> None:
    key_server.status = 500
    with pytest.raises(AuthUnavailable):
        await verifier.verify(key_server.sign())


async def test_key_endpoint_unreachable_is_unavailable(
    key_server: KeyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_token_gen, "ID_TOKEN_CERT_URI", "http://127.0.0.1:9/certs")  # nothing listens
    verifier = FirebaseVerifier(PROJECT_ID, http_timeout=5)
    try:
        with pytest.raises(AuthUnavailable):
            await verifier.verify(key_server.sign())
    finally:
        verifier.close()
