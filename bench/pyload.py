"""An httpx load generator, for machines without wrk: C connections in a loop for D seconds.

    python -m bench.pyload --url URL --body FILE --connections C --duration D [--token T]

Prints one JSON line with the figures wrk's Lua `done` prints.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import httpx

from bench.client import headers


async def drive(
    url: str, body: bytes, sent: dict[str, str], connections: int, duration: float
) -> dict[str, int]:
    latencies: list[float] = []
    failed = [0, 0]
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        started = time.perf_counter()
        deadline = started + duration

        async def worker() -> None:
            while time.perf_counter() < deadline:
                sent_at = time.perf_counter()
                try:
                    response = await client.post(url, content=body, headers=sent)
                except httpx.HTTPError:
                    failed[1] += 1
                    continue
                latencies.append(time.perf_counter() - sent_at)
                failed[0] += response.status_code >= 300

        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(share: float) -> int:
        return int(latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1e6) if latencies else 0

    return {
        "requests": len(latencies),
        "duration_us": int(elapsed * 1e6),
        "non2xx": failed[0],
        "socket_errors": failed[1],
        "p50_us": percentile(0.50),
        "p99_us": percentile(0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="httpx load generator of the bench")
    parser.add_argument("--url", required=True)
    parser.add_argument("--body", required=True)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--token", default="")
    args = parser.parse_args()
    with open(args.body, "rb") as file:
        body = file.read()
    figures = asyncio.run(drive(args.url, body, headers(args.token or None), args.connections, args.duration))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
