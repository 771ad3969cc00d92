"""The services under test, each a subprocess on a free loopback port: `buyer-api serve` and the raw route."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

from bench.environment import BUYER_API, ROOT, Shape


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Process:
    """A server subprocess, logged to a file, ready once `ready_path` answers 200."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path, ready_path: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._command = [*command, "--port", str(self.port)]
        self._env = env
        self._log = log
        self._ready_path = ready_path
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Process:
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                self._command, env=self._env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"{self._command[0]} exited with {self._process.returncode}; see {self._log}"
                )
            try:
                if httpx.get(self.url + self._ready_path, timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.__exit__(None, None, None)
        raise RuntimeError(f"{self._command[0]} did not become ready; see {self._log}")

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def cpu_seconds(self) -> float:
        """User and system CPU time the process has used, from /proc/PID/stat."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def resident_mib(self) -> float:
        """VmRSS from /proc/PID/status, in MiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS line")


def api_service(shape: Shape, *, query_stats: bool, fcm_url: str) -> Process:
    env = shape.env(QUERY_STATS="1" if query_stats else "0", PUSH_URL="fcm://bench", FCM_ENDPOINT=fcm_url)
    log = shape.folder / f"serve{'-stats' if query_stats else ''}.log"
    return Process([BUYER_API, "serve"], env, log, "/readyz")


def raw_service(shape: Shape, body: Path) -> Process:
    command = [sys.executable, "-m", "bench.raw_route", "--body", str(body)]
    return Process(command, shape.env(), shape.folder / "raw.log", "/healthz")


def token(shape: Shape, subject: str, role: str, supplier: str | None = None) -> str:
    """A bearer token from `buyer-api token`, run with the bench's environment."""
    command = [BUYER_API, "token", subject, "--role", role, *(["--supplier", supplier] if supplier else [])]
    done = subprocess.run(command, env=shape.env(), cwd=ROOT, check=True, capture_output=True, text=True)
    return done.stdout.strip()
