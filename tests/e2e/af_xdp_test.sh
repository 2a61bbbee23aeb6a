#!/usr/bin/env bash
# siitd on AF_XDP ports (net_af_xdp), the way to run it fast without a NIC given to DPDK:
# - two-armed: the two veth pairs of the two-armed topology, each served through an XDP socket;
# - one-armed on a veth, as TAYGA runs on a tun: a router namespace whose own kernel routes
#   pool6 and the EAM's IPv4 prefix into one end of a veth pair (NOARP: the kernel needs no
#   neighbour there), and siitd serves the other end through AF_XDP and sends the translations
#   back into the kernel by the same veth.
# Each checked with real kernels as hosts: ping both ways, and TCP (HTTP) from the IPv4 host.
# e2e-timeout: 240
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

# --- Two-armed ---
two_armed_topology
sed -i 's/net_af_packet/net_af_xdp/g' "$E2E_TMP/siitd.json"
start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
check "AF_XDP two-armed: siitd drives both veth ends through XDP sockets" \
  output_has "net_af_xdp" "$SIITCTL" ports
translates_both_ways "AF_XDP two-armed"
stats=$(stop_siitd)
check "AF_XDP two-armed: echoes and TCP counted both ways" /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['translated_6to4_icmp_echo'] >= 6 and s['translated_4to6_icmp_echo'] >= 6, s
assert s['translated_4to6_tcp'] >= 3 and s['translated_6to4_tcp'] >= 3, s"
for ns in "$H6" "$H4" "$RT"; do ip netns del "$ns"; done

# --- One-armed on a veth, the kernel routing into it ---
kernel_router_topology
# The translator's veth, from siitd's file alone (deploy/one-armed-veth.sh): "siit" is the
# kernel's end (NOARP, the MAC the file's next-hop-mac names), "siit-xdp" siitd's; the kernel
# routes pool6 and the EAM's IPv4 prefix into it.
one_armed_config "$E2E_TMP/one-armed.json" net_af_xdp0,iface=siit-xdp veth 02:51:17:00:00:01
check "--check-config names the missing veth before the setup" \
  status_is 2 ip netns exec "$RT" "$SIITD" --check-config "$E2E_TMP/one-armed.json"
check "... with the reason" grep -q "port veth (net_af_xdp0): interface siit-xdp does not exist here" "$OUT"
check "one-armed-veth.sh sets up the kernel's side from the file" \
  ip netns exec "$RT" bash "$E2E_ROOT/deploy/one-armed-veth.sh" "$E2E_TMP/one-armed.json"
check "... idempotent: a second run changes nothing and fails nothing" \
  ip netns exec "$RT" bash "$E2E_ROOT/deploy/one-armed-veth.sh" "$E2E_TMP/one-armed.json"
check "... the kernel's end is NOARP with the file's MAC" \
  output_has "02:51:17:00:00:01" ip -n "$RT" link show siit
check "... NOARP" output_has "NOARP" ip -n "$RT" link show siit
check "... pool6 and the EAM's IPv4 prefix routed into it" \
  bash -c "ip -n '$RT' -6 route show 2001:db8:64::/96 | grep -q 'dev siit' && ip -n '$RT' route show 198.51.100.0/24 | grep -q 'dev siit'"
check "--check-config accepts the file once the veth exists" \
  ip netns exec "$RT" "$SIITD" --check-config "$E2E_TMP/one-armed.json"
start_siitd "$RT" "$E2E_TMP/one-armed.json" || { e2e_summary; exit 1; }
translates_both_ways "AF_XDP one-armed, routed by the router's kernel"
stats=$(stop_siitd)
check "AF_XDP one-armed: everything went in and out of the one port" /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['translated_6to4_icmp_echo'] >= 6 and s['translated_4to6_icmp_echo'] >= 6, s
assert s['translated_4to6_tcp'] >= 3 and s['translated_6to4_tcp'] >= 3, s
assert s['drop_neighbour_unresolved'] == 0 and s['tx_dropped'] == 0, s"
e2e_summary
