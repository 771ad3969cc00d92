#!/usr/bin/env bash
# Installs npm firebase-tools (the Firebase Auth emulator: Node only, no Java) into .tools/firebase.
# Idempotent and quiet: does nothing when the pinned version is already there; prints npm's log
# only when the install fails. Override the version with FIREBASE_TOOLS_VERSION.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$root/.tools/firebase"
version="${FIREBASE_TOOLS_VERSION:-15.34.2}"
installed="$prefix/node_modules/firebase-tools/package.json"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "install-firebase-tools: node and npm are required (Debian: apt-get install -y nodejs npm)" >&2
    exit 1
fi

if [ -f "$installed" ] && [ "$(node -p 'require(process.argv[1]).version' "$installed")" = "$version" ]; then
    exit 0
fi

mkdir -p "$prefix"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# --ignore-scripts: the auth emulator needs no native build (re2's script would fetch a binary).
if ! npm install --prefix "$prefix" --no-audit --no-fund --no-update-notifier --ignore-scripts \
        --loglevel=error "firebase-tools@$version" >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-firebase-tools: npm install firebase-tools@$version failed" >&2
    exit 1
fi
