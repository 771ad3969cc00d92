"""Indexing survives a killed worker: `buyer-api worker` killed with SIGKILL mid-way, then restarted."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from app.seed.runner import seed_demo
from app.services.container import Services
from app.settings import Settings
from app.store.outbox import DONE, LEASED, PENDING
from app.store.repositories import Repositories
from app.wiring import open_engines, open_store
from search.open import open_search
from search.port import ProductQuery
from tests.api.harness import embedded_settings

PRODUCTS = 300
OLD_WORD, NEW_WORD = "quillaback", "zephyrine"
# A worker's lease on an entry is 30 s: the restarted worker takes the killed one's entry after it.
DRAIN_SECONDS = 120


def _worker(settings: Settings) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "STORE_URL": settings.store_url,
        "SEARCH_URL": settings.search_url,
        "BROKER_URL": "memory://",
        "PUSH_URL": "log://",
        "VAR_DIR": settings.var_dir,
        "AUTH_MODE": "local",
        "AUTH_SECRET": settings.auth_secret or "",
        "WEBHOOK_SECRET": settings.webhook_secret or "",
    }
    command = [str(Path(sys.executable).parent / "buyer-api"), "worker"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def _change_every_product(settings: Settings) -> int:
    """Two changes per product, each with its outbox entry; only the second one's word must remain."""
    engines = await open_engines(settings, lambda: None)
    try:
        catalog = Services.build(engines.ports).catalog
        products = [p async for batch in engines.ports.repos.products.batches(500) for p in batch]
        for product in products:
            english = product.titles["en"]
            first = await catalog.put_product(
                replace(product, titles={**product.titles, "en": f"{english} {OLD_WORD}"})
            )
            await catalog.put_product(
                replace(first, titles={**product.titles, "en": f"{english} {NEW_WORD}"})
            )
        return len(products)
    finally:
        await engines.close()


async def _outbox(settings: Settings) -> dict[str, int]:
    database = await open_store(settings.store_url)
    try:
        outbox = Repositories.over(database).outbox
        return {status: await outbox.count(status) for status in (PENDING, LEASED, DONE)}
    finally:
        await database.close()


def _wait_for(settings: Settings, done: Callable[[dict[str, int]], bool], seconds: float) -> dict[str, int]:
    deadline = time.monotonic() + seconds
    while True:
        counts = asyncio.run(_outbox(settings))
        if done(counts) or time.monotonic() > deadline:
            return counts
        time.sleep(0.1)


async def _index_figures(settings: Settings) -> tuple[int, int, int]:
    engine = await open_search(settings.search_url)
    try:
        new = await engine.search_products(ProductQuery(text=NEW_WORD, first=1))
        old = await engine.search_products(ProductQuery(text=OLD_WORD, first=1))
        return await engine.count("product"), new.total, old.total
    finally:
        await engine.close()


def test_every_product_is_indexed_once_at_its_latest_version_after_a_killed_worker(tmp_path: Path) -> None:
    # given: a seeded app folder with two pending index entries per product
    settings = embedded_settings(tmp_path)
    asyncio.run(seed_demo(settings, products=PRODUCTS, seed=5))
    changed = asyncio.run(_change_every_product(settings))
    total = asyncio.run(_outbox(settings))[PENDING]
    # when: the worker is killed mid-way, then started again
    worker = _worker(settings)
    try:
        at_kill = _wait_for(settings, lambda c: c[DONE] >= total // 5, DRAIN_SECONDS)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        worker = _worker(settings)
        after = _wait_for(settings, lambda c: c[PENDING] == 0 and c[LEASED] == 0, DRAIN_SECONDS)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    # then
    assert 0 < at_kill[DONE] < total, at_kill
    assert after[PENDING] == after[LEASED] == 0, after
    assert asyncio.run(_index_figures(settings)) == (changed, changed, 0)
