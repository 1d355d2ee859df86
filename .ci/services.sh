#!/usr/bin/env bash
# Installs the real object-storage servers the storage-driver tests start on 127.0.0.1
# (owned by the cloud-storage drivers; called by .ci/run). Idempotent and fast when done:
#   - Debian: radosgw ceph-mon ceph-osd (Ceph RADOS Gateway, S3)        -> /usr/bin/radosgw ...
#   - npm:    azurite@3.35.0 (Azure Blob), firebase-tools@15.34.2 with --omit=optional (GCS
#             emulator, run headless by tests/services/gcs-emulator-headless.cjs)
#             into $SEALSTREAM_SERVICES_DIR (default: <repo>/.services, git-ignored).
# Exact versions: azurite >= 3.36 and newer firebase-tools need Node >= 22 or behave differently.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${SEALSTREAM_SERVICES_DIR:-$ROOT/.services}
AZURITE_VERSION=3.35.0
FIREBASE_TOOLS_VERSION=15.34.2
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

if ! command -v radosgw >/dev/null || ! command -v ceph-mon >/dev/null || ! command -v ceph-osd >/dev/null; then
  echo "services: installing radosgw ceph-mon ceph-osd (apt)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends radosgw ceph-mon ceph-osd >/dev/null
fi

npm_pkg() { # dir name version [extra npm args]
  local d=$1 name=$2 version=$3; shift 3
  if [ "$(node -p "try{require('$d/node_modules/$name/package.json').version}catch{''}" 2>/dev/null)" = "$version" ]; then return; fi
  echo "services: installing $name@$version into $d"
  mkdir -p "$d"
  [ -f "$d/package.json" ] || echo '{"private":true}' > "$d/package.json"
  (cd "$d" && npm install --no-save --no-audit --no-fund --loglevel=error "$@" "$name@$version")
}
npm_pkg "$DIR/azurite" azurite "$AZURITE_VERSION"
# --omit=optional: a full install compiles re2 from source (~9 minutes); the emulator does not need it.
npm_pkg "$DIR/firebase-tools" firebase-tools "$FIREBASE_TOOLS_VERSION" --omit=optional
echo "services: radosgw $(radosgw --version 2>/dev/null | awk '{print $3}'), azurite $AZURITE_VERSION, firebase-tools $FIREBASE_TOOLS_VERSION in $DIR"
