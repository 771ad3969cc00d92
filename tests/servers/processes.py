"""Engine and app processes that a fault test can stop, pause, kill and start again.

Plain classes, no pytest: the fault suite and manual measurements reuse them.

- `DiskMongo`: SecantusDB (MongoDB wire) on disk in a folder, on a fixed loopback port, so `stop()`
  then `start()` is a real outage after which the data is still there.
- `PausableOpenSearch`: osmem-server (in memory); `pause()` is SIGSTOP and `resume()` SIGCONT, so
  clients see a server that accepts connections and never answers, and the index survives.
- `AppProcess`: one `buyer-api` command (serve, worker, seed, reindex) with its own log file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.servers.mongo import MongoServerUnavailable, secantusdb_executable, stop_process, wait_until_ready
from tests.servers.opensearch import OpenSearchUnavailable
from tests.servers.ports import free_port

BUYER_API = str(Path(sys.executable).parent / "buyer-api")


class DiskMongo:
    """SecantusDB with its data in `folder`; the port stays the same across stop() and start()."""

    def __init__(self, folder: Path, host: str = "127.0.0.1") -> None:
        executable = secantusdb_executable()
        if executable is None:
            raise MongoServerUnavailable("secantusd-py is not installed (pip package `secantusdb`)")
        self.executable = executable
        self.folder = folder
        self.host = host
        self.port = free_port(host)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mongodb://{self.host}:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        command = [
            self.executable,
            "--host", self.host,
            "--port", str(self.port),
            "--storage-path", str(self.folder),
            "--log-level", "ERROR",
        ]  # fmt: skip
        log = open(self.folder.parent / f"{self.folder.name}.log", "ab")  # noqa: SIM115 (the child owns it)
        self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        wait_until_ready(self.url, timeout, self._process)

    def stop(self) -> None:
        """SIGTERM (SIGKILL after 3 s): clients get connection refused until start()."""
        process, self._process = self._process, None
        if process is not None:
            stop_process(process)


class PausableOpenSearch:
    """osmem-server on a free loopback port; pause() freezes it (SIGSTOP), resume() thaws it."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        try:
            from osmem_server import resolve_binary
        except ImportError as error:
            raise OpenSearchUnavailable(f"osmem-server is not installed: {error}") from error
        self.binary = resolve_binary()
        self.host = host
        self.port = free_port(host)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> None:
        self._process = subprocess.Popen(
            [self.binary, "-addr", f"{self.host}:{self.port}", "-no-stdin-watch"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_http(self.url, timeout, self._process)

    def pause(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.send_signal(signal.SIGCONT)  # a frozen process would not act on SIGTERM
            stop_process(process)


class AppProcess:
    """One `buyer-api ARGS` child with the given environment; output goes to `log_path`."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.args = args
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 (the child owns it)
        environment = {**os.environ, **self.env}
        self.process = subprocess.Popen(
            [BUYER_API, *self.args], stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=environment
        )
        log.close()

    def run(self, timeout: float) -> None:
        """Starts and waits for the command to end; a failure raises with the log's tail."""
        self.start()
        assert self.process is not None
        code = self.process.wait(timeout)
        if code != 0:
            raise RuntimeError(f"buyer-api {' '.join(self.args)} exited {code}: {self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: no clean-up at all, as when the machine or the OOM killer takes the process."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, grace=5.0)

    def log_tail(self, size: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-size:]
        except OSError:
            return "(no log)"


def wait_for_http(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Polls GET `url` until it answers at all (any status); RuntimeError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=1.0):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout} s")
