"""Firebase ID tokens, verified by firebase-admin (which honours FIREBASE_AUTH_EMULATOR_HOST itself).

Verifying needs no credentials: the public keys are fetched without auth, and the emulator takes
a fake "owner" credential that firebase-admin supplies. Only `check_revoked=True` against real
Firebase needs credentials (Application Default unless one is given), since it reads the user.

With FIREBASE_AUTH_EMULATOR_HOST set, firebase-admin accepts unsigned tokens and checks neither
signature nor expiry: never set it in production (settings refuse it). This verifier still checks
the project (aud/iss) and, on its own, exp and iat.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import firebase_admin
from firebase_admin import auth, credentials, exceptions
from google.auth.credentials import AnonymousCredentials

from app.auth.port import AuthUnavailable, Identity, InvalidToken, identity_from_claims

CLOCK_SKEW_SECONDS = 30
HTTP_TIMEOUT_SECONDS = 10.0


class FirebaseVerifier:
    def __init__(
        self,
        project_id: str,
        *,
        check_revoked: bool = False,
        credential: Any = None,
        http_timeout: float = HTTP_TIMEOUT_SECONDS,
    ) -> None:
        if not project_id:
            raise ValueError("FirebaseVerifier needs a project id")
        if credential is None:
            credential = credentials.ApplicationDefault() if check_revoked else AnonymousCredentials()  # type: ignore[no-untyped-call]
        self.project_id = project_id
        self._check_revoked = check_revoked
        self._app = firebase_admin.initialize_app(
            credential=credential,
            options={"projectId": project_id, "httpTimeout": http_timeout},
            name=f"buyer-api-verifier-{uuid.uuid4().hex}",
        )

    def close(self) -> None:
        """Frees the firebase App; the verifier is unusable afterwards."""
        firebase_admin.delete_app(self._app)

    def verify_sync(self, token: str) -> Identity:
        if not isinstance(token, str) or not token:
            raise InvalidToken("malformed")
        try:
            claims = auth.verify_id_token(
                token,
                app=self._app,
                check_revoked=self._check_revoked,
                clock_skew_seconds=CLOCK_SKEW_SECONDS,
            )
        except auth.ExpiredIdTokenError:
            raise InvalidToken("expired") from None
        except auth.RevokedIdTokenError:
            raise InvalidToken("revoked") from None
        except auth.UserDisabledError:
            raise InvalidToken("user disabled") from None
        except auth.UserNotFoundError:
            raise InvalidToken("unknown user") from None
        except auth.InvalidIdTokenError:
            raise InvalidToken("invalid") from None
        except auth.CertificateFetchError as error:
            raise AuthUnavailable("cannot fetch the Firebase public keys") from error
        except exceptions.FirebaseError as error:
            # check_revoked reads the user: a transport or credential failure lands here.
            raise AuthUnavailable(f"Firebase auth failed: {error.code}") from error
        except ValueError:
            # firebase-admin's word for a token it cannot even parse.
            raise InvalidToken("malformed") from None
        now = time.time()
        identity = identity_from_claims(claims)
        # Checked here too: firebase-admin skips both when it talks to the emulator.
        if identity.expires_at + CLOCK_SKEW_SECONDS < now:
            raise InvalidToken("expired")
        if identity.issued_at - CLOCK_SKEW_SECONDS > now:
            raise InvalidToken("not yet valid")
        return identity

    async def verify(self, token: str) -> Identity:
        # Blocking: it may fetch the public keys (cached per their max-age) or read the user.
        return await asyncio.to_thread(self.verify_sync, token)
