"""A transport for OpenSearch: the Elasticsearch client with plain `application/json` media types."""

import re
from collections.abc import Mapping
from typing import Any

from elastic_transport import AsyncTransport, HttpHeaders, TransportApiResponse

# The client rewrites Accept/Content-Type to `application/vnd.elasticsearch+json; compatible-with=N`,
# which OpenSearch answers with 406; undo that just before sending.
_COMPAT = re.compile(r"application/vnd\.elasticsearch\+([^;\s]+)(\s*;\s*compatible-with=\d+)?")


def plain_media_types(headers: Mapping[str, Any]) -> HttpHeaders:
    plain = HttpHeaders(headers)
    for name in ("accept", "content-type"):
        value = plain.get(name)
        if value:
            plain[name] = _COMPAT.sub(r"application/\1", str(value))
    return plain


class PlainJsonTransport(AsyncTransport):
    async def perform_request(  # type: ignore[override]
        self, method: str, target: str, *, headers: Mapping[str, Any] | None = None, **options: Any
    ) -> TransportApiResponse:
        return await super().perform_request(
            method, target, headers=plain_media_types(headers or {}), **options
        )
