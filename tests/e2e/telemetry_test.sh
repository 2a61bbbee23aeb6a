#!/usr/bin/env bash
# siitd's counters through DPDK telemetry, as dpdk-telemetry.py reads them: siitd runs on a
# net_null port (which delivers zero-filled frames as fast as it can: neither IPv4 nor IPv6), and
# the test asks the telemetry socket for /siitd/stats twice, expecting rx_packets to grow and
# every frame to be counted as drop_not_ip.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

cat >"$E2E_TMP/siitd.json" <<JSON
{
  "eal": ["--no-huge", "-m", "256", "--no-pci", "-l", "0", "--file-prefix", "$PREFIX", "--vdev", "net_null0"],
  "ports": [{"name": "null", "device": "net_null0", "role": "both"}],
  "mbufs": 2047,
  "translation": {"pool6": "2001:db8:64::/96"}
}
JSON
start_siitd "" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
query() {
  /usr/bin/python3 - "/var/run/dpdk/$PREFIX/dpdk_telemetry.v2" <<'PY'
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.recv(4096)  # the greeting
samples = []
for _ in range(2):
    s.send(b"/siitd/stats")
    samples.append(json.loads(s.recv(65536))["/siitd/stats"])
    time.sleep(0.2)
first, second = samples
assert second["rx_packets"] > first["rx_packets"] > 0, samples
assert second["drop_not_ip"] > 0 and second["translated_4to6_udp"] == 0, second
# The mbuf pool: its size as configured; available and in use each within it.
assert second["mbufs_size"] == 2047, second
assert 0 <= second["mbufs_in_use"] <= 2047 and 0 < second["mbufs_available"] <= 2047, second
print("rx_packets", first["rx_packets"], "->", second["rx_packets"])
PY
}
check "telemetry: /siitd/stats answers with every counter, and they move" query
stop_siitd >/dev/null
e2e_summary
