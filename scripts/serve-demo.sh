#!/usr/bin/env bash
# Installs the service, seeds the demo catalog on the embedded default (SQLite + tantivy) once, and serves it.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e .
if [ ! -f var/buyer.db ]; then
  .venv/bin/buyer-api seed --demo
fi
exec .venv/bin/buyer-api serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
