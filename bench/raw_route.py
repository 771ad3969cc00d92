"""The baseline: a plain Starlette route returning a captured ProductPage response, serialized with orjson.

python -m bench.raw_route --body FILE --port P
"""

from __future__ import annotations

import argparse
from typing import Any

import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def build(document: Any) -> Starlette:
    async def graphql(request: Request) -> Response:
        await request.body()
        return Response(orjson.dumps(document), media_type="application/graphql-response+json")

    async def healthz(request: Request) -> Response:
        return Response(b"ok")

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"]), Route("/healthz", healthz)])


def main() -> None:
    parser = argparse.ArgumentParser(description="the raw-route baseline of the bench")
    parser.add_argument("--body", required=True, help="a JSON file: the response to serve")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    with open(args.body, "rb") as file:
        document = orjson.loads(file.read())
    uvicorn.run(build(document), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
