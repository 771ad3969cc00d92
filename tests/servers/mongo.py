"""A throw-away MongoDB-compatible server for tests: SecantusDB (`secantusd-py`), in memory.

Plain functions, no pytest: other suites and scripts reuse them.

    with start_secantusdb() as url:          # "mongodb://127.0.0.1:PORT"
        database = open_mongo(url, "mydb")    # or open_mongo(url + "/mydb")

It advertises itself as the primary of a one-node replica set, so transactions work.
`secantusdb_executable()` tells whether the server is installed (None when it is not);
`start_secantusdb()` raises `MongoServerUnavailable` when it is not, or never answers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.servers.ports import free_port

EXECUTABLE = "secantusd-py"


def secantusdb_executable() -> str | None:
    """Path of `secantusd-py`: next to the running interpreter (a venv) first, then on PATH."""
    beside = Path(sys.executable).parent / EXECUTABLE
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(EXECUTABLE)


class MongoServerUnavailable(RuntimeError):
    """The test server is not installed, or did not start."""


def mongo_url(host: str, port: int) -> str:
    return f"mongodb://{host}:{port}"


def wait_until_ready(url: str, timeout: float = 30.0, process: subprocess.Popen[bytes] | None = None) -> None:
    """Polls `ping` until the server answers; MongoServerUnavailable after `timeout` seconds."""
    from pymongo import MongoClient
    from pymongo.errors import PyMongoError

    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise MongoServerUnavailable(
                f"{EXECUTABLE} exited with code {process.returncode} before answering"
            )
        client: MongoClient[dict[str, object]] = MongoClient(
            url, serverSelectionTimeoutMS=300, connectTimeoutMS=300
        )
        try:
            client.admin.command("ping")
            return
        except PyMongoError as exc:
            last = exc
        finally:
            client.close()
        time.sleep(0.1)
    raise MongoServerUnavailable(f"{url} did not answer ping within {timeout} s: {last}")


def stop_process(process: subprocess.Popen[bytes], grace: float = 3.0) -> None:
    """SIGTERM, then SIGKILL after `grace` seconds (the server may ignore SIGTERM)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait()


@contextmanager
def start_secantusdb(
    host: str = "127.0.0.1", log_level: str = "WARNING", timeout: float = 30.0
) -> Iterator[str]:
    """Starts an in-memory SecantusDB on a free loopback port; yields its mongodb:// URL.

    Raises MongoServerUnavailable when the executable is missing or the server never answers.
    The process is stopped (TERM, then KILL after 3 s) when the block ends.
    """
    executable = secantusdb_executable()
    if executable is None:
        raise MongoServerUnavailable(f"{EXECUTABLE} is not installed (pip package `secantusdb`)")
    attempts = 3
    for attempt in range(attempts):
        port = free_port(host)
        command = [
            executable,
            "--host", host,
            "--port", str(port),
            "--storage-path", ":memory:",
            "--log-level", log_level,
        ]  # fmt: skip
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        url = mongo_url(host, port)
        try:
            wait_until_ready(url, timeout, process)
        except MongoServerUnavailable:
            stop_process(process)
            if attempt == attempts - 1:
                raise
            continue  # the port may have been taken in between: try another one
        try:
            yield url
        finally:
            stop_process(process)
        return
