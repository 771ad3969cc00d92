"""Starts osmem-server (an in-memory OpenSearch stand-in from PyPI) on a free loopback port for tests."""

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

START_TIMEOUT_SECONDS = 20.0


class OpenSearchUnavailable(Exception):
    """osmem-server is not installed or did not start; tests needing it are skipped with this reason."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise OpenSearchUnavailable(f"osmem-server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1.0):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise OpenSearchUnavailable(f"osmem-server did not answer on {url} within {START_TIMEOUT_SECONDS} s")


@contextmanager
def opensearch_server() -> Iterator[str]:
    """Yields the base URL (http://127.0.0.1:PORT) of a fresh osmem-server, stopped on exit."""
    try:
        from osmem_server import OsmemError, resolve_binary
    except ImportError as error:
        raise OpenSearchUnavailable(f"osmem-server is not installed: {error}") from error
    try:
        binary = resolve_binary()
    except OsmemError as error:
        raise OpenSearchUnavailable(str(error)) from error
    port = _free_port()
    process = subprocess.Popen(
        [binary, "-addr", f"127.0.0.1:{port}", "-no-stdin-watch"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
