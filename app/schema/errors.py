"""Top-level GraphQL errors with a stable `extensions.code` (CONTRACT.md section 4)."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError


class ApiError(GraphQLError):
    def __init__(self, code: str, message: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": code, **extensions})
        self.code = code


def unauthenticated() -> ApiError:
    return ApiError("UNAUTHENTICATED", "Sign in to do this.")


def forbidden_error() -> ApiError:
    return ApiError("FORBIDDEN", "Your role cannot read this.")


def bad_input(message: str, **extensions: Any) -> ApiError:
    return ApiError("BAD_USER_INPUT", message, **extensions)


def not_found_error(message: str = "Not found.") -> ApiError:
    return ApiError("NOT_FOUND", message)


def service_unavailable(what: str) -> ApiError:
    return ApiError("SERVICE_UNAVAILABLE", f"The {what} is unavailable; try again shortly.")
