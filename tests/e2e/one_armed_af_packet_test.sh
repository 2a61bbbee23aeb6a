#!/usr/bin/env bash
# One-armed siitd on net_af_packet: one port, translated packets leave where they came in. A
# host with an IPv6 address and an IPv4 address on the same link pings its own IPv4 address
# through the translator: IPv6 echo -> siitd -> IPv4 echo to the host -> IPv4 reply -> siitd ->
# IPv6 reply. Both legs are checked by the host's kernel. Static neighbours stand in for ARP/NDP:
# this port has no kernel interface to answer them (docs/router-box.md has the port that does).
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

H=${PREFIX}h RT=${PREFIX}rt
e2e_ns "$H"; e2e_ns "$RT"
attach_host "$H" "$RT" s0
ip -n "$H" addr add 2001:db8:100::5/64 dev eth0 nodad
ip -n "$H" addr add 192.0.2.10/24 dev eth0
M=$(mac_of "$H" eth0)
route_via_siitd "$H" "$(mac_of "$RT" s0)" both

one_armed_config "$E2E_TMP/siitd.json" net_af_packet0,iface=s0 lan "$M"
start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
check "one-armed: a host reaches its own IPv4 address over IPv6 through siitd and back" \
  ip netns exec "$H" ping -6 -c 3 -i 0.2 -W 2 2001:db8:64::192.0.2.10
stats=$(stop_siitd)
check "one-armed: siitd translated the echoes both ways on its one port" /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['translated_6to4_icmp_echo'] >= 3 and s['translated_4to6_icmp_echo'] >= 3, s"
e2e_summary
