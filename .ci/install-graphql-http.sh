#!/usr/bin/env bash
# Installs npm graphql-http (the GraphQL over HTTP spec's audit) into .tools/graphql-http, once.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$root/.tools/graphql-http"
version="${GRAPHQL_HTTP_VERSION:-1.23.1}"
if [ -f "$prefix/node_modules/graphql-http/package.json" ] &&
   [ "$(node -p 'require(process.argv[1]).version' "$prefix/node_modules/graphql-http/package.json")" = "$version" ]; then
    exit 0
fi
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --no-update-notifier --loglevel=error \
    "graphql-http@$version" "graphql@16" >/dev/null
