"""Which engines the API suite runs on: the embedded default, or the distributed shape.

`BUYER_SHAPE=distributed` serves the same suite on MongoDB, OpenSearch/Elasticsearch and Redis:
real servers when MONGODB_URL, ELASTICSEARCH_URL (or OPENSEARCH_URL) and REDIS_URL are set,
else the loopback stand-ins (secantusdb, osmem-server, redis-server) started here.
"""

from __future__ import annotations

import os
import secrets
from contextlib import ExitStack
from typing import Any

from tests.servers.mongo import start_secantusdb
from tests.servers.opensearch import opensearch_server
from tests.servers.redis import start_redis


def shape() -> str:
    return os.environ.get("BUYER_SHAPE", "embedded")


def engine_overrides(stack: ExitStack) -> dict[str, Any]:
    """Settings for the chosen shape; servers started here stop when the stack closes."""
    if shape() != "distributed":
        return {}
    mongo = os.environ.get("MONGODB_URL") or stack.enter_context(start_secantusdb())
    search = _search_url(stack)
    redis = os.environ.get("REDIS_URL") or stack.enter_context(start_redis())
    database = f"buyer_{secrets.token_hex(4)}"
    return {"store_url": f"{mongo.rstrip('/')}/{database}", "search_url": search, "broker_url": redis}


def _search_url(stack: ExitStack) -> str:
    if os.environ.get("ELASTICSEARCH_URL"):
        return os.environ["ELASTICSEARCH_URL"]
    if os.environ.get("OPENSEARCH_URL"):
        return os.environ["OPENSEARCH_URL"].replace("http://", "opensearch://", 1)
    url = stack.enter_context(opensearch_server())
    return url.replace("http://", "opensearch://", 1) + f"/buyer{secrets.token_hex(3)}"
