#!/usr/bin/env bash
# Single-node Ceph for tests: 1 mon, 1 memstore OSD (no mgr) and a RADOS Gateway (S3), all on
# 127.0.0.1. Needs Debian's `radosgw ceph-mon ceph-osd` (installed by .ci/services.sh).
# Adapted from the start script recorded in the project's real-services notes.
#
# Usage: start-ceph.sh DIR MON_PORT RGW_PORT
#   Prints "ceph ready ..." when S3 answers on http://127.0.0.1:RGW_PORT with access key "test",
#   secret "testtesttest". PID files: DIR/run/*.pid. Stop with stop-ceph.sh DIR.
#   start-ceph.sh DIR rgw   restarts only the gateway (after stop-ceph.sh DIR rgw), same port.
set -euo pipefail
D=$(realpath -m "${1:?usage: start-ceph.sh DIR MON_PORT RGW_PORT}")
for bin in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
  command -v "$bin" >/dev/null || { echo "start-ceph.sh: '$bin' not found: install Debian packages radosgw ceph-mon ceph-osd (bash .ci/services.sh)" >&2; exit 3; }
done
C="-c $D/ceph.conf"
CEPH_BIN=$(command -v ceph)
ceph() { timeout 30 "$CEPH_BIN" --connect-timeout 20 "$@"; }
wait_rgw() {
  local port; port=$(cat "$D/rgw.port")
  for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0; sleep 0.2; done
  echo "start-ceph.sh: radosgw did not answer on 127.0.0.1:$port (see $D/log)" >&2; return 1
}
if [ "${2:-}" = rgw ]; then
  radosgw $C -n client.rgw.a
  wait_rgw
  echo "rgw ready"
  exit 0
fi
MON_PORT=${2:?MON_PORT}
RGW_PORT=${3:?RGW_PORT}
rm -rf "$D"; mkdir -p "$D"/{mon,osd0,rgw,run,log}
echo "$RGW_PORT" > "$D/rgw.port"
FSID=$(cat /proc/sys/kernel/random/uuid)
cat > "$D/ceph.conf" <<CONF
[global]
fsid = $FSID
mon host = v1:127.0.0.1:$MON_PORT
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv4 = true
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
run dir = $D/run
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
pid file = $D/run/\$name.pid
keyring = $D/keyring
[mon.a]
mon data = $D/mon
[osd.0]
osd data = $D/osd0
osd objectstore = memstore
memstore device bytes = 12884901888
osd max object size = 134217728
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $D/rgw
rgw dns name = 127.0.0.1
# reclaim deleted objects soon (long benchmarks delete GiBs)
rgw gc obj min wait = 30
rgw gc processor period = 30
CONF
: > "$D/keyring"
# --addv with v1: a non-default port would otherwise be taken as msgr2 and clients (v1) would hang
monmaptool --create --fsid "$FSID" --addv a "[v1:127.0.0.1:$MON_PORT]" "$D/monmap" > /dev/null
ceph-mon $C --mkfs -i a --monmap "$D/monmap" --keyring "$D/keyring"
ceph-mon $C -i a
# Each step below waits or retries with a bound and fails with its reason: on a loaded machine a
# fresh mon sometimes answers its first commands with "EPERM: problem getting command
# descriptions from mon" for a while after it reports quorum.
retry() { # retry TRIES WHAT CMD...: run CMD until it succeeds, 1 s apart; its last error on failure
  local tries=$1 what=$2; shift 2
  for i in $(seq 1 "$tries"); do
    "$@" 2> "$D/log/last-error" && return 0
    sleep 1
  done
  echo "start-ceph.sh: $what failed $tries times; last error: $(cat "$D/log/last-error") (see $D/log)" >&2
  return 1
}
has_quorum() { [[ $(ceph $C quorum_status) == *'"quorum_names":["a"]'* ]]; }
retry 60 "waiting for the mon's quorum" has_quorum
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
# `osd create UUID` is idempotent for one UUID, so a retry cannot create a second OSD
OSD_ID=$(retry 30 "ceph osd create" ceph $C osd create "$OSD_UUID")
ceph-osd $C -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" > "$D/log/osd-mkfs.out" 2>&1
# the first OSD boot right after mon start sometimes fails with "wrong fsid"; retry
retry 5 "starting ceph-osd" ceph-osd $C -i "$OSD_ID" > "$D/log/osd-start.out"
osd_up() { [[ $(ceph $C osd stat) == *'1 up'* ]]; }
retry 60 "waiting for the OSD to come up" osd_up
radosgw $C -n client.rgw.a
wait_rgw
retry 5 "radosgw-admin user create" timeout 60 radosgw-admin $C user create --uid=test --display-name=test --access-key=test --secret-key=testtesttest > /dev/null
echo "ceph ready: S3 at http://127.0.0.1:$RGW_PORT (access key test / secret testtesttest)"
