"""Where a bench run keeps its data and which engines it serves from (embedded default or distributed)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BUYER_API = str(BIN / "buyer-api")
AUTH_SECRET = "bench-secret-" + "b" * 40
DISTRIBUTED = {"MONGODB_URL": "STORE_URL", "ELASTICSEARCH_URL": "SEARCH_URL", "REDIS_URL": "BROKER_URL"}


@dataclass(frozen=True)
class Shape:
    """The engines of one run and the environment every subprocess of it gets."""

    name: str
    folder: Path
    engines: dict[str, str]

    def env(self, **extra: str) -> dict[str, str]:
        values = {k: v for k, v in os.environ.items() if k not in DISTRIBUTED.values()}
        values.update(self.engines)
        values.update(
            {
                "VAR_DIR": str(self.folder),
                "AUTH_MODE": "local",
                "AUTH_SECRET": AUTH_SECRET,
                "WEBHOOK_SECRET": "bench-webhook-secret",
                "APP_ENV": "development",
                # The bench measures serving, not throttling: a bucket no run can empty.
                "RATE_LIMIT": "1000000000:100000000",
                "PYTHONUNBUFFERED": "1",
            }
        )
        values.update(extra)
        return values


def pick_shape(out: Path, products: int) -> Shape:
    """Distributed when MONGODB_URL, ELASTICSEARCH_URL and REDIS_URL are all set, else embedded."""
    if all(os.environ.get(name) for name in DISTRIBUTED):
        engines = {target: os.environ[source] for source, target in DISTRIBUTED.items()}
        folder = out / "data" / f"distributed-{products}"
        folder.mkdir(parents=True, exist_ok=True)
        return Shape("distributed", folder, engines)
    folder = (out / "data" / f"embedded-{products}").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    engines = {
        "STORE_URL": f"sqlite:///{folder}/buyer.db",
        "SEARCH_URL": f"tantivy://{folder}/search",
        "BROKER_URL": "memory://",
    }
    return Shape("embedded", folder, engines)
