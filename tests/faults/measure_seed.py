"""Manual measurement (not in CI): `buyer-api seed` and `reindex` on the distributed shape, timed.

    .venv/bin/python -m tests.faults.measure_seed 100000

Starts SecantusDB on disk, osmem-server and redis-server on loopback, runs `buyer-api seed --demo
--products N` then `buyer-api reindex` as the operator would, and prints the wall time of each and
the document counts in the store and the index. The commands' own output is in the printed folder.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import urllib.request
from pathlib import Path

from pymongo import MongoClient

from tests.servers.processes import AppProcess, DiskMongo, PausableOpenSearch
from tests.servers.redis import RedisServer


def index_count(search_url: str, alias: str) -> int:
    with urllib.request.urlopen(f"{search_url}/{alias}/_count", timeout=60) as answer:
        return int(json.loads(answer.read())["count"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("products", type=int)
    parser.add_argument("--timeout", type=float, default=3600.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="measure-seed-"))
    mongo, search, redis = DiskMongo(folder / "mongo"), PausableOpenSearch(), RedisServer()
    mongo.start()
    search.start()
    redis.start()
    env = {
        "STORE_URL": f"{mongo.url}/buyer_measure",
        "SEARCH_URL": search.url.replace("http://", "opensearch://", 1) + "/measure",
        "BROKER_URL": redis.url,
        "AUTH_SECRET": "measure-secret-" + "x" * 40,
        "WEBHOOK_SECRET": "measure-webhook",
        "VAR_DIR": str(folder / "var"),
    }
    try:
        for name, command in (
            ("seed", ["seed", "--demo", "--products", str(args.products)]),
            ("reindex", ["reindex"]),
        ):
            started = time.monotonic()
            AppProcess(command, env, folder / f"{name}.log").run(args.timeout)
            print(f"{name}: {time.monotonic() - started:.1f} s", flush=True)
        with MongoClient(mongo.url) as client:
            in_store = client["buyer_measure"]["products"].count_documents({})
        print(
            f"products: store {in_store}, index {index_count(search.url, 'measure-products')}; logs: {folder}"
        )
    finally:
        search.stop()
        redis.close()
        mongo.stop()


if __name__ == "__main__":
    main()
