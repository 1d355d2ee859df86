#!/usr/bin/env bash
# Stops the single-node Ceph started by start-ceph.sh: radosgw, then OSD, then mon (by PID file).
# Usage: stop-ceph.sh DIR [rgw]    ("rgw": stop only the gateway, abruptly, to simulate an outage)
D=$(realpath -m "${1:?usage: stop-ceph.sh DIR [rgw]}")
names="client.rgw.a osd.0 mon.a"; sig=TERM
if [ "${2:-}" = rgw ]; then names="client.rgw.a"; sig=KILL; fi
for n in $names; do
  f="$D/run/$n.pid"; [ -f "$f" ] || continue; p=$(cat "$f")
  kill -"$sig" "$p" 2>/dev/null || { rm -f "$f"; continue; }
  for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$p" 2>/dev/null && kill -9 "$p"
  rm -f "$f"
done
echo "ceph stopped: $names"
