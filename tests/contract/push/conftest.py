"""Fixtures for the push port's contract tests: a fake FCM HTTP v1 endpoint (tests/servers/fcm.py)
driven through firebase-admin's real messaging path, and the log sender."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from push.fcm_sender import FcmPushSender, open_fcm_sender
from push.log_sender import LogPushSender
from tests.servers.fcm import FakeFcm

PROJECT_ID = "demo-buyer"


@pytest.fixture(scope="session")
def fcm_server() -> Iterator[FakeFcm]:
    with FakeFcm.running() as server:
        yield server


@pytest.fixture
def fcm(fcm_server: FakeFcm) -> FakeFcm:
    """The fake FCM endpoint, emptied and unscripted for this test."""
    fcm_server.reset()
    return fcm_server


@pytest.fixture
async def sender(fcm: FakeFcm) -> AsyncIterator[FcmPushSender]:
    s = open_fcm_sender(PROJECT_ID, fcm.url)
    try:
        yield s
    finally:
        await s.close()


@pytest.fixture
async def log_sender() -> AsyncIterator[LogPushSender]:
    s = LogPushSender()
    try:
        yield s
    finally:
        await s.close()
