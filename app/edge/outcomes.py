"""A request refused before execution, with the HTTP status the GraphQL over HTTP spec names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Refusal(Exception):
    """A request refused before execution: its HTTP status, its errors, and headers to add."""

    status: int
    errors: list[dict[str, Any]]
    headers: dict[str, str] = field(default_factory=dict)
    json_status: int | None = None

    def status_for(self, graphql_response: bool) -> int:
        """application/json answers well-formed requests with 200 (GraphQL over HTTP, legacy)."""
        if graphql_response or self.json_status is None:
            return self.status
        return self.json_status
