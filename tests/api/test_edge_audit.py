"""The GraphQL over HTTP spec's own audit (npm graphql-http auditServer) against the served app."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.api.harness import Api

ROOT = Path(__file__).resolve().parents[2]
PREFIX = ROOT / ".tools" / "graphql-http"
SCRIPT = ROOT / "tests" / "audit" / "audit.mjs"


def test_the_spec_audit_reports_no_must_failure_and_no_should_warning(api_server: Api) -> None:
    if shutil.which("node") is None or not (PREFIX / "node_modules" / "graphql-http").exists():
        pytest.skip("graphql-http is not installed: run .ci/install-graphql-http.sh")
    # when
    done = subprocess.run(
        ["node", str(SCRIPT), f"{api_server.url}/graphql", str(PREFIX)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results = json.loads(done.stdout)
    # then
    assert len(results) > 50
    assert [r for r in results if r["status"] != "ok"] == []
