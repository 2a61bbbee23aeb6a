#!/usr/bin/env bash
# The router box: siitd two-armed on net_af_packet, each port with a kernel interface
# (net_tap) in the router namespace carrying the box's addresses. No static neighbours anywhere:
# the hosts ARP and solicit the box's kernel through siitd's exception path, and siitd learns the
# next hops' MACs from the kernel's neighbour table through libnl. Checks ping to the box's own
# addresses, ping and TCP through the translator, `siitctl neighbours` and `routes`, that a
# neighbour's new MAC is followed within a second, and the counters.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

router_box_topology
# A host announces a new MAC (gratuitous ARP, unsolicited Neighbour Advertisement) as real hosts
# configured for it do.
ip netns exec "$H4" sysctl -qw net.ipv4.conf.eth0.arp_notify=1
ip netns exec "$H6" sysctl -qw net.ipv6.conf.eth0.ndisc_notify=1
start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
box_addresses

check "siitctl addresses shows the box's own addresses, whose traffic goes to the kernel" bash -c "
  out=\$('$SIITCTL' addresses); grep -qx 192.0.2.1 <<<\"\$out\" && grep -qx 2001:db8:100::1 <<<\"\$out\""
check "the kernel interfaces carry the ports' MACs" \
  bash -c "[ \"\$(ip -n $RT -o link show k4 | grep -o 'ether [0-9a-f:]*')\" = \"ether $(mac_of "$RT" s4)\" ]"
check "the IPv4 host pings the box (ARP and ICMP through the kernel)" \
  ip netns exec "$H4" ping -c 2 -i 0.2 -W 2 192.0.2.1
check "the IPv6 host pings the box (NDP and ICMPv6 through the kernel)" \
  ip netns exec "$H6" ping -6 -c 2 -i 0.2 -W 2 2001:db8:100::1
translates_both_ways "router box, next hops learned from the kernel"
check "siitctl neighbours shows both next hops with the hosts' MACs" bash -c "
  out=\$('$SIITCTL' neighbours)
  grep -E '192.0.2.10 +$(mac_of "$H4" eth0) .* yes' <<<\"\$out\" &&
  grep -E '2001:db8:100::5 +$(mac_of "$H6" eth0) .* yes' <<<\"\$out\"" 
check "siitctl routes shows the kernel's connected routes" bash -c "'$SIITCTL' routes | grep -E '192.0.2.0/24 +\\(unset\\) +k4'"

# A neighbour's MAC changes: the next hop follows within a second.
ip -n "$H4" link set eth0 address 02:00:00:00:44:44
followed=no
for _ in $(seq 1 10); do
  "$SIITCTL" neighbours | grep -qE '192.0.2.10 +02:00:00:00:44:44' && { followed=yes; break; }
  sleep 0.1
done
check "a neighbour's new MAC is learned within a second" test "$followed" = yes
check "traffic follows the new MAC" ip netns exec "$H6" ping -6 -c 2 -i 0.2 -W 2 2001:db8:64::192.0.2.10

stats=$(stop_siitd)
check "the counters show the exception path both ways and no translation drop" /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['to_kernel'] > 0 and s['from_kernel'] > 0, s
assert s['translated_4to6_tcp'] >= 3 and s['translated_6to4_icmp_echo'] >= 5, s
# Multicast (NDP, MLD) now goes to the kernel: no untranslatable-destination drops.
assert all(v == 0 for k, v in s.items() if k.startswith('drop_') and k != 'drop_neighbour_unresolved'), s"
e2e_summary
