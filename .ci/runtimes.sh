#!/usr/bin/env bash
# Installs what the cross-runtime tests need (owned by the runtimes work, issue 6; called by
# .ci/run after `pnpm install`). Idempotent and fast when done.
#   - Debian: chromium (headless Chromium for Vitest browser mode and Playwright; ~80 s)
#   - npm (pinned in tests/package.json, installed by `pnpm install`): deno 2.9.6,
#     miniflare 4.20260426.0 (workerd 1.20260426.1), playwright(-core) 1.65.1, esbuild 0.28.2.
#     Never `npx playwright install`: Playwright drives apt's /usr/bin/chromium.
# Then checks each runtime starts, so a broken install fails here with a clear message.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

if ! command -v chromium >/dev/null; then
  echo "runtimes: installing chromium (apt)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium >/dev/null
fi
if [ ! -d "$ROOT/tests/node_modules/deno" ]; then
  echo "runtimes: tests/node_modules is missing: run \`pnpm install\` first" >&2
  exit 1
fi
cd "$ROOT/tests"
echo "runtimes: $(chromium --version 2>/dev/null | head -1)"
echo "runtimes: $(node node_modules/deno/bin.cjs --version | head -1)"
echo "runtimes: miniflare $(node -p "require('miniflare/package.json').version")"
