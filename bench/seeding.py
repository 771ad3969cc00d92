"""Seeding the bench data with `buyer-api seed --demo` (its own rich progress bar shows), timed.

A finished seed leaves `seeded.json` in the data folder; `--reuse` serves that data again and reports
the seed time it recorded.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from dataclasses import dataclass

from bench.environment import BUYER_API, Shape


@dataclass(frozen=True)
class Seeded:
    products: int
    seconds: float
    reused: bool


def seed(shape: Shape, products: int, *, reuse: bool) -> Seeded:
    marker = shape.folder / "seeded.json"
    if reuse and marker.exists():
        recorded = json.loads(marker.read_text())
        if recorded["products"] == products:
            return Seeded(products, float(recorded["seconds"]), reused=True)
    if shape.name == "embedded":
        _clear(shape)
    started = time.perf_counter()
    subprocess.run([BUYER_API, "seed", "--demo", "--products", str(products)], env=shape.env(), check=True)
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps({"products": products, "seconds": seconds}))
    return Seeded(products, seconds, reused=False)


def _clear(shape: Shape) -> None:
    """An embedded seed starts from nothing: the previous database and index go."""
    for path in shape.folder.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
