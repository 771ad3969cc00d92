"""`python -m bench.profile [--products N] [--requests R] OPERATION…`: where one operation's server CPU goes.

Serves the data `python -m bench` seeded at that size, sends each named operation R times one after
another on a kept-alive connection while py-spy samples the server, and prints the server's CPU per
request and the functions holding the most of the event loop's samples (inclusive, then own), so a
figure of the table can be explained by a profile. Idle samples (the loop waiting, idle threads)
are left out. The raw profile is kept beside the results.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

from bench.cases import OPERATIONS, Case, prepare
from bench.client import Client
from bench.environment import BIN, ROOT, Shape, pick_shape
from bench.probe import Sequential
from bench.serving import Process, api_service
from tests.servers.fcm import FakeFcm

WARM_UP = 20
IDLE = ("_worker (concurrent/futures/thread.py:81)", "Runner.run (asyncio/runners.py")
SHOWN = 30
TRUNK = 0.95


def main() -> None:
    arguments = _arguments()
    spy = shutil.which("py-spy", path=str(BIN)) or shutil.which("py-spy")
    if spy is None:
        raise SystemExit("bench.profile needs py-spy: pip install -e '.[bench]'")
    shape = pick_shape(arguments.out, arguments.products)
    if shape.name == "embedded" and not (shape.folder / "seeded.json").exists():
        raise SystemExit(f"nothing seeded at {arguments.products:,}: run `python -m bench` first")
    with FakeFcm.running() as fcm, api_service(shape, query_stats=False, fcm_url=fcm.url) as service:
        prepared = prepare(Client(service.url), shape)
        for case in prepared.cases:
            if case.name in arguments.operations:
                _profile(spy, service, case, arguments.requests, shape)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("operations", nargs="+", choices=OPERATIONS, metavar="OPERATION")
    parser.add_argument("--products", type=int, default=1_000_000, help="the seeded size to serve")
    parser.add_argument("--requests", type=int, default=300, help="requests profiled per operation")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="results folder")
    return parser.parse_args()


def _profile(spy: str, service: Process, case: Case, requests: int, shape: Shape) -> None:
    raw = shape.folder / f"profile-{case.name.replace(' ', '-')}.txt"
    with Sequential(service.url, case) as sequential:
        sequential.send(WARM_UP)
        cpu_ms = sequential.cpu_ms(service, requests)
        # Sampled apart from the CPU figure: py-spy stops the process for each sample.
        command = [spy, "record", "-p", str(service.pid), "-f", "raw", "-r", "500", "-o", str(raw)]
        recorder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.5)  # py-spy attaches
        sequential.send(requests)
        recorder.send_signal(signal.SIGINT)  # py-spy writes its file on an interrupt
        recorder.wait()
    print(f"\n{case.name}: {cpu_ms:.2f} ms of server CPU per request, profile {raw}")
    _summarise(raw)


def _summarise(raw: Path) -> None:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if frames[-1].startswith(IDLE):
            continue
        samples = int(count)
        total += samples
        for name in {_name(frame) for frame in frames}:
            inclusive[name] += samples
        own[_name(frames[-1])] += samples
    if not total:
        print("no busy samples")
        return
    # The trunk every request runs through (server loop, middleware) says nothing: left out.
    branches = Counter({name: n for name, n in inclusive.items() if n < TRUNK * total})
    for title, counter in (("inclusive", branches), ("own", own)):
        print(f"  {title}:")
        for name, samples in counter.most_common(SHOWN):
            print(f"  {samples * 100 / total:5.1f}%  {name}")


def _name(frame: str) -> str:
    """`function (path/module.py:line)` as `function module.py`."""
    function, _, place = frame.partition(" (")
    return f"{function} {place.rsplit('/', 1)[-1].split(':', 1)[0]}"


if __name__ == "__main__":
    main()
