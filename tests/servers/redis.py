"""A throw-away Redis for tests: Debian's `redis-server`, no persistence, on a free loopback port.

Plain functions and a small class, no pytest: other suites and scripts reuse them.

    with start_redis() as url:                   # "redis://127.0.0.1:PORT/0"
        ...

    with RedisServer() as server:                # the same, with fault hooks
        server.url
        server.stop()                            # Redis goes down (the port stays reserved for it)
        server.start()                           # back up on the same port, empty

`redis_server_executable()` tells whether the server is installed (None when it is not).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from tests.servers.ports import free_port

DEFAULT_EXECUTABLE = "/usr/bin/redis-server"


def redis_server_executable() -> str | None:
    """Path of redis-server: /usr/bin/redis-server (Debian), else the one on PATH, else None."""
    if os.path.isfile(DEFAULT_EXECUTABLE) and os.access(DEFAULT_EXECUTABLE, os.X_OK):
        return DEFAULT_EXECUTABLE
    return shutil.which("redis-server")


def _ping(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when a RESP `PING` on host:port is answered `+PONG` (no client library needed)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One redis-server process on a fixed loopback port; stop() and start() it at will."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None, executable: str | None = None):
        exe = executable or redis_server_executable()
        if exe is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.executable = exe
        self.host = host
        self.port = port or free_port(host)
        self._dir = tempfile.TemporaryDirectory(prefix="test-redis-")
        self._process: subprocess.Popen[bytes] | None = None
        self._log_path = os.path.join(self._dir.name, "redis.log")

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 10.0) -> None:
        """Starts redis-server (empty: no persistence) and waits until it answers PING."""
        if self.running:
            return
        args = [
            self.executable,
            "--port", str(self.port),
            "--bind", self.host,
            "--save", "",
            "--appendonly", "no",
            "--dir", self._dir.name,
            "--daemonize", "no",
            "--protected-mode", "no",
            "--logfile", self._log_path,
        ]  # fmt: skip
        self._process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                code = self._process.returncode
                self._process = None
                raise RuntimeError(f"redis-server exited with code {code}: {self._log_tail()}")
            if _ping(self.host, self.port):
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server on port {self.port} did not answer PING within {timeout} s")

    def stop(self, grace: float = 5.0) -> None:
        """Stops redis-server (SIGTERM, then SIGKILL after `grace` seconds); clients see it gone."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                process.kill()
        process.wait()

    def kill(self) -> None:
        """Stops redis-server abruptly (SIGKILL)."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()

    def close(self) -> None:
        self.stop()
        self._dir.cleanup()

    def _log_tail(self) -> str:
        try:
            with open(self._log_path, encoding="utf-8", errors="replace") as f:
                return f.read()[-2000:]
        except OSError:
            return "(no log)"

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


@contextmanager
def start_redis(host: str = "127.0.0.1") -> Iterator[str]:
    """Starts a throw-away redis-server on a free loopback port; yields redis://HOST:PORT/0."""
    with RedisServer(host) as server:
        yield server.url
