"""A small synchronous GraphQL client for setting up a run, and the contract's operation texts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from bench.environment import ROOT

OPERATIONS = ROOT / "tests" / "operations"


class OperationFailed(Exception):
    """A request answered with errors or user errors: the reason is one short line."""


def operation_text(name: str) -> str:
    found = list(OPERATIONS.rglob(f"{name}.graphql"))
    if len(found) != 1:
        raise LookupError(f"no single operation named {name}")
    return found[0].read_text()


def request_body(name: str, variables: dict[str, Any]) -> bytes:
    return orjson.dumps({"query": operation_text(name), "variables": variables, "operationName": name})


def headers(token: str | None) -> dict[str, str]:
    sent = {"Content-Type": "application/json", "Accept": "application/graphql-response+json"}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    return sent


@dataclass
class Client:
    url: str

    def send(self, body: bytes, token: str | None = None) -> dict[str, Any]:
        """The whole JSON body; raises OperationFailed on top-level errors or a non-200 status."""
        response = httpx.post(self.url + "/graphql", content=body, headers=headers(token), timeout=60)
        try:
            document: dict[str, Any] = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            raise OperationFailed(f"HTTP {response.status_code}: {response.text[:80]}") from None
        errors = document.get("errors")
        if errors:
            first = errors[0]
            code = first.get("extensions", {}).get("code", "")
            raise OperationFailed(f"{code} {first.get('message', '')}".strip()[:100])
        if response.status_code != 200:
            raise OperationFailed(f"HTTP {response.status_code}")
        return document

    def gql(self, name: str, variables: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        """The `data` of a contract operation; user errors of its one payload raise OperationFailed."""
        data: dict[str, Any] = self.send(request_body(name, variables), token)["data"]
        for payload in data.values():
            if isinstance(payload, dict) and payload.get("userErrors"):
                raise OperationFailed(f"{name}: {payload['userErrors'][0].get('message', '')}"[:100])
        return data
