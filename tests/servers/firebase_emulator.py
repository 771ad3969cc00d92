"""Starts the Firebase Auth emulator (npm firebase-tools in .tools/firebase) on a free loopback port.

    with start_auth_emulator() as host:   # "127.0.0.1:PORT"
        os.environ["FIREBASE_AUTH_EMULATOR_HOST"] = host

Install it with `bash .ci/install-firebase-tools.sh`. The auth emulator is Node only (no Java)
and runs offline: CI=1 skips the CLI's message-of-the-day fetch and update check, the UI is off,
and the hub and logging emulators get free ports too. Each run has its own temp folder
(firebase.json, TMPDIR for the hub locator, XDG_CONFIG_HOME for the CLI's config store, logs),
so several can run at once. The whole process group is stopped at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIREBASE_DIR = ROOT / ".tools" / "firebase"
FIREBASE_CLI = FIREBASE_DIR / "node_modules" / "firebase-tools" / "lib" / "bin" / "firebase.js"
INSTALL_HINT = "run `bash .ci/install-firebase-tools.sh`"


class EmulatorUnavailable(RuntimeError):
    """The emulator is not installed or did not start; the message says why."""


def _free_ports(count: int) -> list[int]:
    with ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


def _ready(host: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"http://{host}/", timeout=1) as response:
            body = json.loads(response.read())
    except (OSError, ValueError):
        return False
    return bool(body.get("authEmulator", {}).get("ready"))


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)  # the CLI shuts its emulators down cleanly on SIGINT
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # anything left in the group
    process.wait()


@contextmanager
def start_auth_emulator(project_id: str = "demo-buyer", timeout: float = 60.0) -> Iterator[str]:
    """Yields "127.0.0.1:PORT" once the auth emulator answers; raises EmulatorUnavailable if it can't."""
    node = shutil.which("node")
    if node is None:
        raise EmulatorUnavailable(
            f"node is not on PATH (the Firebase Auth emulator needs it); {INSTALL_HINT}"
        )
    if not FIREBASE_CLI.is_file():
        raise EmulatorUnavailable(f"firebase-tools is not installed in {FIREBASE_DIR}; {INSTALL_HINT}")
    auth_port, hub_port, logging_port = _free_ports(3)
    host = f"127.0.0.1:{auth_port}"
    with tempfile.TemporaryDirectory(prefix="firebase-auth-emulator-") as tmp:
        workdir = Path(tmp)
        (workdir / "tmp").mkdir()
        config = {
            "emulators": {
                "auth": {"host": "127.0.0.1", "port": auth_port},
                "hub": {"host": "127.0.0.1", "port": hub_port},
                "logging": {"host": "127.0.0.1", "port": logging_port},
                "ui": {"enabled": False},
                "singleProjectMode": True,
            }
        }
        (workdir / "firebase.json").write_text(json.dumps(config))
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("FIREBASE_", "GCLOUD_", "GOOGLE_"))
        }
        env.update(
            CI="1",  # no MOTD fetch, no update check, no prompts
            NO_UPDATE_NOTIFIER="1",
            TMPDIR=str(workdir / "tmp"),  # the hub locator file, per run
            XDG_CONFIG_HOME=str(workdir / "config"),  # the CLI's config store, per run
        )
        log_path = workdir / "emulator.log"
        command = [
            node,
            str(FIREBASE_CLI),
            "emulators:start",
            "--only",
            "auth",
            "--project",
            project_id,
            "--config",
            str(workdir / "firebase.json"),
        ]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            deadline = time.monotonic() + timeout
            while not _ready(host):
                if process.poll() is not None:
                    raise EmulatorUnavailable(
                        f"the auth emulator exited with {process.returncode}:\n{_tail(log_path)}"
                    )
                if time.monotonic() > deadline:
                    raise EmulatorUnavailable(
                        f"the auth emulator did not answer on {host} in {timeout:.0f}s:\n{_tail(log_path)}"
                    )
                time.sleep(0.1)
            yield host
        finally:
            _stop(process)
