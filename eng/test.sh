#!/usr/bin/env bash
# Runs every test project in Isko.sln, then the protocol conformance run, and closes with one
# line "N passed, M failed" summed over all of them (xunit's per-project lines stay above it).
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
dotnet test Isko.sln --nologo --blame-hang-timeout 5m 2>&1 | tee "$log" || status=$?

passed=$(awk -F'[:,]' '/^ *(Passed|Failed)! +- +Failed:/ { for (i=1;i<=NF;i++) if ($i ~ /Passed$/) { gsub(/ /,"",$(i+1)); p+=$(i+1) } } END { print p+0 }' "$log")
failed=$(awk -F'[:,]' '/^ *(Passed|Failed)! +- +Failed:/ { for (i=1;i<=NF;i++) if ($i ~ /- +Failed$/) { gsub(/ /,"",$(i+1)); f+=$(i+1) } } END { print f+0 }' "$log")

# Protocol conformance against the official JavaScript client, when the suite exists.
if [ -f tests/conformance/run.sh ]; then
  conf=$(mktemp)
  bash tests/conformance/run.sh 2>&1 | tee "$conf"
  cstatus=${PIPESTATUS[0]}
  cp=$(awk '/^conformance: [0-9]+ passed, [0-9]+ failed$/ { print $2 }' "$conf" | tail -1)
  cf=$(awk '/^conformance: [0-9]+ passed, [0-9]+ failed$/ { print $4 }' "$conf" | tail -1)
  rm -f "$conf"
  passed=$((passed + ${cp:-0}))
  failed=$((failed + ${cf:-0}))
  if [ "$cstatus" -ne 0 ]; then
    status=1
    [ -n "${cf:-}" ] || failed=$((failed + 1))   # the run itself broke: count it as a failure
  fi
fi

echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then exit 1; fi
if [ "$passed" -eq 0 ]; then echo "no tests ran" >&2; exit 1; fi
