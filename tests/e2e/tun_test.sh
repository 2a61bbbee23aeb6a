#!/usr/bin/env bash
# siitd as a drop-in for a tun-based translator (TAYGA's place, on an L3 port): one-armed on
# DPDK net_tun, an L3 interface with no Ethernet header. The router namespace's kernel forwards
# between the hosts and routes the pools into the tun (198.51.100.0/24 and 2001:db8:64::/96); siitd
# translates and writes the packets back into the tun, and the kernel routes them on.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

kernel_router_topology
cat >"$E2E_TMP/siitd.json" <<JSON
{
  "eal": ["--no-huge", "-m", "256", "--no-shconf", "--no-pci", "-l", "0", "--file-prefix", "$PREFIX",
          "--vdev", "net_tun0,iface=siit0"],
  "ports": [{"name": "tun", "device": "net_tun0", "role": "both"}],
  "translation": {"pool6": "2001:db8:64::/96", "eamt": [{"ipv4": "198.51.100.0/24", "ipv6": "2001:db8:100::/120"}]}
}
JSON
start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
ip -n "$RT" link set siit0 up
ip -n "$RT" route add 198.51.100.0/24 dev siit0
ip -n "$RT" -6 route add 2001:db8:64::/96 dev siit0

check "tun: the IPv6 host pings the IPv4 host at its pool6 address" \
  ip netns exec "$H6" ping -6 -c 3 -i 0.2 -W 2 2001:db8:64::192.0.2.10
check "tun: the IPv4 host pings the IPv6 host at its EAM address" \
  ip netns exec "$H4" ping -c 3 -i 0.2 -W 2 198.51.100.5
serve_http "$H6" "$E2E_ROOT/tests/e2e"
check "tun: the IPv4 host fetches a page from the IPv6 host's web server" fetch_http "$H4" lib.sh hosts_and_router
# A table larger than the caches, loaded while running: the workers switch to the staged pipeline
# (EAMT lookups prefetched a burst ahead, docs/dataplane.md), and translation goes on as before.
check "tun: a one-entry table is not prefetched" bash -c "
  '$SIITCTL' --json stats | grep -qF '\"eamt_lookups_prefetched\": false'"
{
  echo "198.51.100.0/24 2001:db8:100::/120"
  /usr/bin/python3 -c "
for i in range(60000): print(f'10.{i >> 16}.{(i >> 8) & 255}.{i & 255} 2001:db8:a:{i:x}::')"
} >"$E2E_TMP/large.txt"
check "tun: 60 001 entries replace the table" \
  bash -c "'$SIITCTL' eamt replace '$E2E_TMP/large.txt' | grep -qF 'the EAMT has 60001 entries'"
check "tun: ... and their lookups are prefetched" bash -c "
  '$SIITCTL' --json stats | grep -qF '\"eamt_lookups_prefetched\": true'"
check "tun: the IPv4 host still pings the IPv6 host at its EAM address" \
  ip netns exec "$H4" ping -c 3 -i 0.2 -W 2 198.51.100.5
check "tun: the IPv6 host still pings the IPv4 host at its pool6 address" \
  ip netns exec "$H6" ping -6 -c 3 -i 0.2 -W 2 2001:db8:64::192.0.2.10
# The tun driver's per-packet signal (a real-time one) goes to the workers only: every other
# thread (control, telemetry, interrupts) blocks SIGRTMIN..SIGRTMAX, the worker does not.
signal_only_for_workers() {
  /usr/bin/python3 - "$SIITD_PID" <<'PY'
import glob, sys
rt = (1 << 34) - 1 ^ ((1 << 33) - 1)  # SIGRTMIN (34): bit 33
seen = {}
for status in glob.glob(f"/proc/{sys.argv[1]}/task/*/status"):
    fields = dict(l.split(":\t", 1) for l in open(status) if ":\t" in l)
    seen[fields["Name"].strip()] = int(fields["SigBlk"], 16) & rt != 0
assert seen.get("siitd-control") and seen.get("eal-intr-thread"), seen
assert seen.get("siitd") is False, seen  # the main lcore runs the one worker here
print(seen)
PY
}
check "tun: the driver's signal is blocked in every thread but the worker" signal_only_for_workers
stats=$(stop_siitd)
check "tun: siitd translated both ways with no Ethernet header and dropped nothing" /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['translated_4to6_icmp_echo'] >= 6 and s['translated_6to4_icmp_echo'] >= 6 and s['translated_4to6_tcp'] >= 3, s
assert all(v == 0 for k, v in s.items() if k.startswith('drop_') and k not in ('drop_untranslatable_dst6',)), s"
e2e_summary
