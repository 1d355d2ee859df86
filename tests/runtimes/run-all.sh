#!/usr/bin/env bash
# Runs the web-tier tests in headless Chromium, Deno and workerd (Node runs them in `pnpm test`).
# Every runtime runs even when an earlier one fails; the exit code is 1 if any failed.
#   bash tests/runtimes/run-all.sh [path-substring …]
set -uo pipefail
cd "$(dirname "$0")/../.."
status=0
summary=()
for rt in browser deno workerd; do
  echo "=== web-tier tests in ${rt} ==="
  if pnpm "test:${rt}" "$@"; then summary+=("${rt}: ok"); else summary+=("${rt}: FAILED"); status=1; fi
done
printf '=== runtimes: %s\n' "${summary[*]}"
exit $status
