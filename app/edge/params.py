"""GraphQL request parameters from a POST body, a GET query string or a `subscribe` payload."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.edge.errors import error_body
from app.edge.outcomes import Refusal


@dataclass(frozen=True)
class Params:
    query: str | None
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None
    document_id: str | None

    @property
    def persisted_hash(self) -> str | None:
        persisted = (self.extensions or {}).get("persistedQuery")
        if isinstance(persisted, dict):
            value = persisted.get("sha256Hash")
            return value if isinstance(value, str) else None
        return None


def _bad(message: str) -> Refusal:
    return Refusal(400, [error_body("BAD_USER_INPUT", message)])


def _optional(body: Mapping[str, Any], name: str, kind: type) -> Any:
    value = body.get(name)
    if value is not None and not isinstance(value, kind):
        raise _bad(f"`{name}` must be a {kind.__name__ if kind is not dict else 'JSON object'}.")
    return value


def params_from_body(body: Any) -> Params:
    if isinstance(body, list):
        raise _bad("Batched requests are not accepted; send one operation per request.")
    if not isinstance(body, dict):
        raise _bad("The body must be a JSON object.")
    return Params(
        query=_optional(body, "query", str),
        variables=_optional(body, "variables", dict),
        operation_name=_optional(body, "operationName", str),
        extensions=_optional(body, "extensions", dict),
        document_id=_optional(body, "documentId", str),
    )


def params_from_query_string(args: Mapping[str, str]) -> Params:
    decoded: dict[str, Any] = {k: args[k] for k in ("query", "operationName", "documentId") if k in args}
    for name in ("variables", "extensions"):
        if name in args and args[name] != "":
            try:
                decoded[name] = json.loads(args[name])
            except ValueError:
                raise _bad(f"`{name}` must be JSON.") from None
    return params_from_body(decoded)
