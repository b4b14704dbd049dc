#!/usr/bin/env bash
# Runs the official @urbit/http-api client against `isko sim` (see conformance.test.mjs).
# Ends with the line "conformance: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

fail() { echo "conformance: ERROR: $*" >&2; exit 1; }
command -v node >/dev/null 2>&1 || fail "node is not installed; the conformance suite needs Node.js >= 18 (https://nodejs.org)"
command -v npm >/dev/null 2>&1 || fail "npm is not installed; the conformance suite needs it to install @urbit/http-api"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 18 ] || fail "node $(node --version) is too old; need >= 18"

# Install the pinned client only if missing or stale (package-lock.json changed since).
stamp="$here/node_modules/.isko-lock.sha256"
want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -d "$here/node_modules/@urbit/http-api" ]; then
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || fail "npm ci failed"
  echo "$want" > "$stamp"
fi

dotnet build "$root/src/Isko/Isko.csproj" -c Debug --nologo -v q -clp:ErrorsOnly >/dev/null || fail "building src/Isko failed"
dll="$root/src/Isko/bin/Debug/net10.0/isko.dll"
[ -f "$dll" ] || fail "missing $dll after build"

work=$(mktemp -d)
sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

dotnet "$dll" sim --json --port 0 --fresh --speed 20 --pier "$work/pier" --faults drop-sse-after=30 >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 1 600); do
  [ -s "$work/sim.out" ] && break
  kill -0 "$sim_pid" 2>/dev/null || { cat "$work/sim.err" >&2; fail "isko sim exited early"; }
  sleep 0.1
done
first=$(head -1 "$work/sim.out")
[ -n "$first" ] || fail "isko sim printed nothing within 60 s"
url=$(node -e 'console.log(JSON.parse(process.argv[1]).url)' "$first")
code=$(node -e 'console.log(JSON.parse(process.argv[1]).code)' "$first")

cd "$here"
ISKO_URL="$url" ISKO_CODE="$code" node --test --test-reporter=tap --test-concurrency=1 conformance.test.mjs >"$work/tap" 2>&1
status=$?
cat "$work/tap" | grep -vE "^# (Subtest|tests|suites|cancelled|skipped|todo|duration_ms)" | grep -vE "^\s*(duration_ms|type):" || true
passed=$(awk '/^# pass /{print $3}' "$work/tap")
failed=$(awk '/^# fail /{print $3}' "$work/tap")
[ -n "$passed" ] || { cat "$work/tap" >&2; fail "node --test produced no summary"; }
echo "conformance: ${passed} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "${failed:-0}" -eq 0 ]
