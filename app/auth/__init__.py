"""Auth: verifies bearer tokens into an Identity (port.py); local HS256 and Firebase adapters."""

from app.auth.port import AuthUnavailable, Identity, InvalidToken, Role, TokenVerifier

__all__ = ["AuthUnavailable", "Identity", "InvalidToken", "Role", "TokenVerifier"]
