#!/usr/bin/env bash
# The kernel's routing table chooses each translated packet's next hop: both ports say
# "next-hop": "kernel". The box's kernel knows 192.0.2.0/24 and 2001:db8:100::/64 on-link and
# 203.0.113.0/24 via the IPv4 host (a router for a network behind it), and has no default route.
# Packets to an on-link host go to its MAC, packets to 203.0.113.1 to the IPv4 host's MAC as a
# gateway, and packets to an address the kernel has no route for are counted as drop_no_route.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

router_box_topology
sed -i 's|"next-hop": "192.0.2.10"|"next-hop": "kernel"|; s|"next-hop": "2001:db8:100::5"|"next-hop": "kernel"|' \
  "$E2E_TMP/siitd.json"
# An address behind the IPv4 host (on its loopback), which the box reaches through it.
ip -n "$H4" addr add 203.0.113.1/32 dev lo
start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
box_addresses
ip -n "$RT" route add 203.0.113.0/24 via 192.0.2.10 dev k4

check "an on-link IPv4 destination: its own MAC, learned from the kernel" \
  ip netns exec "$H6" ping -6 -c 3 -i 0.3 -W 2 2001:db8:64::192.0.2.10
check "a destination behind a gateway in the kernel's table: the gateway's MAC" \
  ip netns exec "$H6" ping -6 -c 3 -i 0.3 -W 2 2001:db8:64::203.0.113.1
check "the IPv6 side too: the IPv4 host reaches the IPv6 host (on-link in the kernel's table)" \
  ip netns exec "$H4" ping -c 3 -i 0.3 -W 2 198.51.100.5
check "no route in the kernel: nothing is sent" bash -c "! ip netns exec $H6 ping -6 -c 2 -i 0.3 -W 1 2001:db8:64::8.8.8.8"
check "siitctl routes lists the gateway route" bash -c "'$SIITCTL' routes | grep -E '203.0.113.0/24 +192.0.2.10 +k4'"
stats=$(stop_siitd)
check "... and counts drop_no_route" /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['drop_no_route'] >= 2 and s['translated_6to4_icmp_echo'] >= 6 and s['translated_4to6_icmp_echo'] >= 8, s"
e2e_summary
