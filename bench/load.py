"""Load runs in another process: Debian's `wrk` with a Lua script for the POST body, or, when wrk is
missing, the httpx generator of `bench.pyload`. Each run lasts a fixed duration under a progress bar."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from rich.progress import Progress

from bench.client import headers

LUA = """wrk.method = "POST"
{headers}
local file = io.open("{body}", "rb")
wrk.body = file:read("*a")
file:close()

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{{"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, "p50_us": %d, "p99_us": %d}}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    failed: int
    """Non-2xx answers and socket errors."""

    @classmethod
    def parse(cls, line: str) -> LoadResult:
        figures = json.loads(line)
        seconds = figures["duration_us"] / 1e6
        return cls(
            figures["requests"],
            figures["requests"] / seconds if seconds else 0.0,
            figures["p50_us"] / 1000,
            figures["p99_us"] / 1000,
            figures["non2xx"] + figures["socket_errors"],
        )


def generator() -> str:
    return "wrk" if shutil.which("wrk") else "httpx (bench.pyload)"


def run_load(
    progress: Progress,
    label: str,
    url: str,
    body: bytes,
    token: str | None,
    *,
    connections: int,
    duration: int,
    work: Path,
) -> LoadResult:
    """Drives POST /graphql with one body for `duration` seconds at `connections` connections."""
    slug = re.sub("[^A-Za-z0-9]+", "-", label)
    body_file = work / f"{slug}.json"
    body_file.write_bytes(body)
    if shutil.which("wrk"):
        script = work / f"{slug}.lua"
        lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers(token).items())
        script.write_text(LUA.format(headers=lines, body=body_file))
        # One wrk thread drives all connections: the service (one process) keeps the other core.
        command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script)]
        command.append(url + "/graphql")
    else:
        command = [sys.executable, "-m", "bench.pyload", "--url", url + "/graphql", "--body", str(body_file)]
        command += ["--connections", str(connections), "--duration", str(duration), "--token", token or ""]
    task = progress.add_task(label, total=duration)
    started = time.monotonic()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        while process.poll() is None:
            progress.update(task, completed=min(duration, time.monotonic() - started))
            time.sleep(0.2)
        out, err = process.communicate()
    progress.update(task, completed=duration)
    last = [line for line in out.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not last:
        raise RuntimeError(f"load generator failed: {err.strip()[:120]}")
    return LoadResult.parse(last[-1])
