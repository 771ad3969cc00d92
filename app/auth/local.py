"""Local tokens: HS256 JWTs signed with AUTH_SECRET, for development, tests and self-hosting."""

from __future__ import annotations

import time

import jwt

from app.auth.port import Identity, InvalidToken, Role, identity_from_claims

ISSUER = "buyer-api"
ALGORITHM = "HS256"
LEEWAY_SECONDS = 30
DEFAULT_TTL_SECONDS = 30 * 24 * 3600


def issue_local_token(
    secret: str,
    subject: str,
    role: Role,
    supplier_id: str | None = None,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
    now: int | None = None,
    *,
    locale: str | None = None,
    name: str | None = None,
    country: str | None = None,
) -> str:
    if not secret:
        raise ValueError("a local token needs a non-empty secret")
    if not subject:
        raise ValueError("a local token needs a subject")
    if ttl_seconds <= 0:
        raise ValueError("ttl_seconds must be positive")
    issued_at = int(time.time()) if now is None else int(now)
    claims: dict[str, object] = {
        "iss": ISSUER,
        "sub": subject,
        "role": Role(role).value,
        "iat": issued_at,
        "exp": issued_at + ttl_seconds,
    }
    optional = {"supplierId": supplier_id, "locale": locale, "name": name, "country": country}
    claims.update({key: value for key, value in optional.items() if value is not None})
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


class LocalVerifier:
    """Verifies issue_local_token's tokens: HS256 only, iss buyer-api, exp/iat/sub required."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("LocalVerifier needs a non-empty secret")
        self._secret = secret

    def verify_sync(self, token: str) -> Identity:
        if not isinstance(token, str) or not token:
            raise InvalidToken("malformed")
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "sub", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidToken("expired") from None
        except jwt.InvalidSignatureError:
            raise InvalidToken("bad signature") from None
        except jwt.InvalidAlgorithmError:
            raise InvalidToken("bad algorithm") from None
        except jwt.MissingRequiredClaimError as error:
            raise InvalidToken(f"missing {error.claim} claim") from None
        except jwt.InvalidIssuerError:
            raise InvalidToken("wrong issuer") from None
        except jwt.InvalidAudienceError:
            raise InvalidToken("wrong audience") from None
        except jwt.ImmatureSignatureError:
            raise InvalidToken("not yet valid") from None
        except jwt.DecodeError:
            raise InvalidToken("malformed") from None
        except jwt.InvalidTokenError:
            raise InvalidToken("invalid") from None
        return identity_from_claims(claims)

    async def verify(self, token: str) -> Identity:
        return self.verify_sync(token)
