"""Fixtures of the fault suite: one process cluster on the distributed shape for the whole session."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.faults.cluster import Cluster, start_cluster
from tests.servers.redis import redis_server_executable


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if redis_server_executable() is None:
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    started = time.monotonic()
    with start_cluster(tmp_path_factory.mktemp("faults")) as running:
        print(f"\ncluster up (seeded, 2 APIs, 2 workers) in {time.monotonic() - started:.1f} s")
        yield running


@pytest.fixture(autouse=True)
def fresh_fcm(cluster: Cluster) -> Iterator[None]:
    """Each test counts only its own pushes at the FCM endpoint."""
    cluster.fcm.reset()
    yield
    cluster.fcm.reset()
