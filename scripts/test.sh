#!/usr/bin/env bash
# Installs everything the tests need and runs them: lint, types, architecture, client contract, tests.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e '.[test]'

# Real parts the tests start themselves: redis-server (Debian) and the Firebase Auth emulator (npm).
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
  else
    echo "test.sh: redis-server is missing; its tests will be skipped (apt-get install redis-server)" >&2
  fi
fi
if command -v npm >/dev/null 2>&1; then
  bash .ci/install-firebase-tools.sh
  bash .ci/install-graphql-http.sh
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports
shared=../shared/tools/check-contract
if [ -x "$shared" ]; then
  schema=$(mktemp)
  .venv/bin/buyer-api schema >"$schema"
  .venv/bin/python "$shared" "$schema"
  rm -f "$schema"
fi
# Every suite on the embedded default (the contract suites reach every engine that runs here), and
# beside it the API suite once more on the distributed shape: MongoDB wire, OpenSearch and Redis
# (stand-ins started on loopback, or the real servers named by MONGODB_URL, ELASTICSEARCH_URL,
# REDIS_URL). The two run side by side: the distributed leg is bound by the stand-in MongoDB
# server's one core, the embedded one by pytest's. Suites that serve their own embedded app whatever
# the shape (fuzzing, throttling, Firebase mode) or only check the HTTP layer (the spec audit) are not
# repeated there. The distributed leg's output is printed when both are done.
distributed_dir=$(mktemp -d)
BUYER_SHAPE=distributed .venv/bin/pytest -q tests/api --basetemp="$distributed_dir/tmp" \
  --ignore=tests/api/test_edge_fuzz.py --ignore=tests/api/test_edge_audit.py \
  --ignore=tests/api/test_edge_throttle.py \
  --ignore=tests/api/test_viewer_firebase.py "$@" >"$distributed_dir/log" 2>&1 &
distributed=$!
embedded_status=0
.venv/bin/pytest -q "$@" || embedded_status=$?
distributed_status=0
wait "$distributed" || distributed_status=$?
echo "--- the API suite on the distributed shape (BUYER_SHAPE=distributed)"
cat "$distributed_dir/log"
rm -rf "$distributed_dir"
[ "$embedded_status" = 0 ] && [ "$distributed_status" = 0 ]
