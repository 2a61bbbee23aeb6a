#!/usr/bin/env bash
# Two-armed siitd on net_af_packet between an IPv6-only host and an IPv4-only host, each a real
# kernel in its own network namespace. Checks ping both ways (EAMT and pool6 addresses), an HTTP
# fetch from the IPv4 host to a web server on the IPv6 host, and siitd's counters. Both kernels
# validate every checksum they receive. Then what an operator of such a box meets first: the
# warning about veth peers' offloads, the busy time per packet at a light load, and a peer's GSO
# segments counted as frames over the MTU.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

two_armed_topology
start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }

translates_both_ways two-armed
check "two-armed: siitd warns at start that its ports are veths, whose peers must not offload" \
  grep -qF "interface s4 is a veth: what the kernel at its other end sends itself" "$E2E_TMP/siitd.err"

# Busy time at a light load: 20 packets a second each way for two seconds, while another
# process competes for the worker's CPU (lcore 0 runs on CPU 0), so that the worker is often
# descheduled while packets queue up. Busy time counts only from a receive that brought packets to
# their flush: a packet costs what it takes to translate and send it (on af_packet over a veth,
# tens of microseconds: the flush's system call also runs the peer's receive path), not the
# milliseconds the worker waited for its CPU.
taskset -c 0 /bin/sh -c 'while :; do :; done' &
hog=$!
E2E_PIDS+=("$hog")
ip netns exec "$H4" ping -q -c 40 -i 0.05 198.51.100.5 >/dev/null &
ip netns exec "$H6" ping -6 -q -c 40 -i 0.05 2001:db8:64::192.0.2.10 >/dev/null
wait $!
kill "$hog"
check "two-armed: busy time per packet at a light load, the CPU shared, is a packet's cost (under 300 us), not time descheduled" \
  bash -c "'$SIITCTL' --json status | /usr/bin/python3 -c '
import json, sys; w = json.load(sys.stdin)[\"workers\"]
print(\"busy ns per packet:\", [x[\"busy-ns-per-packet\"] for x in w])
assert w and all(0 < x[\"busy-ns-per-packet\"] < 300000 for x in w), w'"

# Segments a peer's GSO left whole (its offloads back on): an 8000-byte UDP datagram in 1400-byte
# segments crosses the veth as one frame, which af_packet cuts to its ring's frame size.
ip netns exec "$H4" ethtool -K eth0 tx on gso on >/dev/null
ip netns exec "$H4" /usr/bin/python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_UDP, 103, 1400)  # UDP_SEGMENT
for _ in range(3):
    s.sendto(b'x' * 8000, ('198.51.100.5', 9))"
ip netns exec "$H4" ethtool -K eth0 tx off gso off >/dev/null
stats=$(stop_siitd)
check "two-armed: frames beyond the port's MTU (a peer's GSO) are dropped and counted as drop_frame_over_mtu" \
  /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['drop_frame_over_mtu'] >= 3, s"
check "two-armed: siitd counted ICMP echo both ways" /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['translated_6to4_icmp_echo'] >= 6 and s['translated_4to6_icmp_echo'] >= 6, s"
check "two-armed: siitd counted TCP both ways, and no translation drop" /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['translated_4to6_tcp'] >= 3 and s['translated_6to4_tcp'] >= 3, s
# The IPv6 host's own multicast (MLD reports, router solicitations to ff02::) is not for
# translation: counted as drop_untranslatable_dst6 on a port without a kernel interface to take it.
assert all(v == 0 for k, v in s.items() if k.startswith('drop_') and k not in ('drop_not_ip', 'drop_untranslatable_dst6', 'drop_frame_over_mtu')), s"
e2e_summary
