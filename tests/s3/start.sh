#!/usr/bin/env bash
# Installs the pinned s3rver (package-lock.json) when missing or stale, then runs server.mjs with the
# given arguments (--install-only: install and stop; make test does that first). Started by the tests'
# S3 fixture (S3TestServer); nothing needs installing by hand but Node.js >= 18.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null 2>&1 || { echo "s3 test server: node is not installed (Node.js >= 18 is needed)" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "s3 test server: npm is not installed" >&2; exit 1; }
stamp="$here/node_modules/.isko-lock.sha256"
want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -d "$here/node_modules/s3rver" ]; then
  # A lock so test classes starting in parallel install once.
  exec 9>"$here/.install.lock"
  flock 9
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -d "$here/node_modules/s3rver" ]; then
    (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >&2 || { echo "s3 test server: npm ci failed" >&2; exit 1; }
    echo "$want" > "$stamp"
  fi
  flock -u 9
fi
[ "${1:-}" = "--install-only" ] && exit 0
exec node "$here/server.mjs" "$@"
