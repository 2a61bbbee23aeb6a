#!/usr/bin/env bash
# Several RX queues and workers: the IPv6 port has two queues (net_af_packet qpairs=2: the
# kernel spreads flows over its two sockets by hash, as RSS does on a NIC) and siitd runs two
# workers (lcores 1 and 2; this machine may have fewer cores, so they may share one). 64 UDP flows
# from the IPv6 host must all arrive at the IPv4 host, and both workers must have translated some.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

two_armed_topology
edit_config "$E2E_TMP/siitd.json" "eal = c['eal']
eal[eal.index('-l'):eal.index('-l') + 2] = ['--lcores', '0@0,1@1,2@1']
eal[eal.index('net_af_packet0,iface=s4')] = 'net_af_packet0,iface=s4,qpairs=2'
eal[eal.index('net_af_packet1,iface=s6')] = 'net_af_packet1,iface=s6,qpairs=2'
c['ports'][1]['rx-queues'] = 2"
start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }

ip netns exec "$H4" /usr/bin/python3 - "$E2E_TMP/received.txt" <<'PY' &
import socket, sys, time
s = socket.socket(); s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20); s.bind(("192.0.2.10", 7000)); s.settimeout(3)
arrived = []
try:
    while True:
        arrived.append(s.recvfrom(100)[0].decode())
except socket.timeout:
    pass
# RFC 7915 §4 and §5: each flow's packets leave in the order they came (one queue, one worker).
last, in_order = {}, True
for message in arrived:
    flow, i = map(int, message.split("-"))
    in_order &= i > last.get(flow, -1)
    last[flow] = i
open(sys.argv[1], "w").write(f"{len(set(arrived))} {'in-order' if in_order else 'reordered'}\n")
PY
receiver=$!
E2E_PIDS+=($receiver)
sleep 0.5
ip netns exec "$H6" /usr/bin/python3 - <<'PY'
import socket, time
for flow in range(64):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("2001:db8:100::5", 20000 + flow))
    for i in range(10):
        s.sendto(f"{flow}-{i}".encode(), ("2001:db8:64::192.0.2.10", 7000))
    time.sleep(0.005)
PY
check "siitd runs two workers over three RX queues" bash -c \
  "'$SIITCTL' --json stats --per-worker | /usr/bin/python3 -c '
import json, sys; w = json.load(sys.stdin)[\"workers\"]
queues = sorted(q for x in w for q in x[\"rx-queues\"])
assert len(w) == 2 and queues == [\"ipv4-side:0\", \"ipv6-side:0\", \"ipv6-side:1\"], w'"
check "both IPv6 RX queues carried flows (the kernel's hash spread them)" bash -c \
  "'$SIITCTL' --json stats --per-worker | /usr/bin/python3 -c '
import json, sys; w = json.load(sys.stdin)[\"workers\"]
by_queue = {q: x[\"ports\"][\"ipv6-side\"][\"rx\"] for x in w for q in x[\"rx-queues\"] if q.startswith(\"ipv6\")}
assert all(by_queue[q] > 0 for q in by_queue) and sum(by_queue.values()) >= 640, (by_queue, w)'"
check "each worker that received packets reports its busy time per packet" bash -c \
  "'$SIITCTL' --json stats --per-worker | /usr/bin/python3 -c '
import json, sys; w = json.load(sys.stdin)[\"workers\"]
busy = [(x[\"busy-ns-per-packet\"], x[\"counters\"].get(\"busy_cycles\", 0)) for x in w if x[\"counters\"].get(\"rx_packets\", 0)]
assert busy and all(ns > 0 and cycles > 0 for ns, cycles in busy), w'"
wait "$receiver"
check "all 640 datagrams of the 64 flows arrived, each flow in order" \
  test "$(cat "$E2E_TMP/received.txt")" = "640 in-order"
stop_siitd >/dev/null
e2e_summary
