"""The worker process: the outbox dispatcher on its own, without serving HTTP."""

from __future__ import annotations

import asyncio
import logging
import signal

from app.main import Waker
from app.outbox.dispatcher import Dispatcher
from app.outbox.handlers import build_handlers
from app.services.container import Services
from app.settings import Settings
from app.wiring import open_engines

log = logging.getLogger("buyer_api.worker")


async def run_worker(settings: Settings) -> None:
    waker = Waker()
    engines = await open_engines(settings, waker)
    services = Services.build(engines.ports)
    handlers = build_handlers(engines.ports, services, engines.response_cache)
    dispatcher = Dispatcher(engines.ports.repos.outbox, handlers)
    waker.dispatcher = dispatcher
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    task = asyncio.create_task(dispatcher.run())
    log.info("worker started")
    try:
        await stop.wait()
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await engines.close()
        log.info("worker stopped: %s", dispatcher.stats)
