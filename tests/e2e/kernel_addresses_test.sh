#!/usr/bin/env bash
# The box keeps its addresses across a restart: each port's "addresses" are given to its kernel
# interface by siitd at every start (libnl), with no manual step. Starts the router box, checks the
# addresses, the box answering ping and traffic through it; stops siitd (the net_tap interfaces,
# and their addresses, go with it), starts it again, and checks it all once more. And the link: a
# port whose link goes down has its kernel interface's carrier go down too, so that routing
# daemons on the box withdraw what they announce; and back up.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

router_box_topology
edit_config "$E2E_TMP/siitd.json" "c['ports'][0]['addresses'] = ['192.0.2.1/24']
c['ports'][1]['addresses'] = ['2001:db8:100::1/64']"
check "siitd --check-config accepts per-port addresses (in the namespace of its interfaces)" \
  ip netns exec "$RT" "$SIITD" --check-config "$E2E_TMP/siitd.json"

box_works() { # round
  for _ in $(seq 1 100); do # until siitd's view has them too (a few ms)
    "$SIITCTL" addresses 2>/dev/null | grep -qx 2001:db8:100::1 && break
    sleep 0.05
  done
  check "$1: k4 and k6 carry the configured addresses" bash -c "
    ip -n $RT -o addr show dev k4 | grep -q 'inet 192.0.2.1/24' &&
    ip -n $RT -o addr show dev k6 | grep -q 'inet6 2001:db8:100::1/64'"
  check "$1: the IPv4 host pings the box" ip netns exec "$H4" ping -c 2 -i 0.2 -W 2 192.0.2.1
  check "$1: the IPv6 host pings the box" ip netns exec "$H6" ping -6 -c 2 -i 0.2 -W 2 2001:db8:100::1
  check "$1: traffic crosses the box (next hops from the kernel)" \
    ip netns exec "$H6" ping -6 -c 3 -i 0.2 -W 2 2001:db8:64::192.0.2.10
}

start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
box_works "first start"

"$SIITCTL" status >/dev/null # the look that the next one counts from
ip netns exec "$H6" ping -6 -c 3 -i 0.2 -W 1 2001:db8:64::127.0.0.1 >/dev/null 2>&1
check "siitctl status names the drops since the last look (loopback never translated, x3)" \
  bash -c "'$SIITCTL' status | grep -qE '^drops in the last [0-9]+ s:.* drop_never_translated_6to4 3( |\$)'"
check "... and the next look starts from there" bash -c "
  out=\$('$SIITCTL' status); grep -q '^drops in the last [0-9]* s:' <<<\"\$out\" &&
  ! grep -q drop_never_translated_6to4 <<<\"\$out\""

carrier_of_k4() { # expected: "NO-CARRIER" or "LOWER_UP"
  for _ in $(seq 1 40); do
    ip -n "$RT" -o link show k4 | grep -q "$1" && return 0
    sleep 0.05
  done
  ip -n "$RT" -o link show k4; return 1
}
ip -n "$H4" link set eth0 down # the IPv4 port's link partner goes away: s4 loses its carrier
check "the IPv4 port's link down takes k4's carrier down within 2 s" carrier_of_k4 NO-CARRIER
check "... logged as the port's link change" \
  within_2s grep -q "siitd: port ipv4-side (net_af_packet0) link down" "$E2E_TMP/siitd.err"
check "... and the carrier that followed from it" \
  grep -q "siitd: kernel interface k4: carrier off (its port's link is down)" "$E2E_TMP/siitd.err"
check "siitctl status shows the IPv4 port down, the IPv6 port up" bash -c "
  \"$SIITCTL\" --json status | /usr/bin/python3 -c '
import json, sys; links = {p[\"name\"]: p[\"link\"] for p in json.load(sys.stdin)[\"ports\"]}
sys.exit(not (links[\"ipv4-side\"] == \"down\" and links[\"ipv6-side\"] == \"up\"))'"
check "siitctl ports counts the change and says when" within_2s bash -c "
  \"$SIITCTL\" --json ports | /usr/bin/python3 -c '
import json, sys; p = [p for p in json.load(sys.stdin) if p[\"name\"] == \"ipv4-side\"][0]
sys.exit(not (p[\"link\"] == \"down\" and p[\"link-changes\"] == 1 and p[\"link-changed-at\"].endswith(\"Z\")))'"
ip -n "$H4" link set eth0 up
# (the host's kernel dropped its routes through eth0 with the link: put the topology's back)
ip -n "$H4" route replace 198.51.100.0/24 via 192.0.2.1 mtu 1500 advmss 1460
check "... and back up with it" carrier_of_k4 LOWER_UP
for _ in $(seq 1 40); do ip netns exec "$H4" ping -c 1 -W 1 192.0.2.1 >/dev/null 2>&1 && break; done
check "... the box answering again" ip netns exec "$H4" ping -c 2 -i 0.2 -W 2 192.0.2.1
check "... the link up logged, with its speed" \
  within_2s grep -q "siitd: port ipv4-side (net_af_packet0) link up, .* Mbps" "$E2E_TMP/siitd.err"
stop_siitd >/dev/null
check "stopped: the kernel interfaces are gone, their addresses with them" \
  bash -c "! ip -n $RT link show k4 2>/dev/null"
start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
box_works "after a restart"
stop_siitd >/dev/null

edit_config "$E2E_TMP/siitd.json" "c['ports'][0]['addresses'] = ['192.0.2.1']
del c['ports'][1]['kernel-interface']; del c['ports'][1]['next-hop']
c['ports'][1]['next-hop-mac'] = '02:00:00:00:00:01'" "$E2E_TMP/bad.json"
check "an address without its length, and addresses without a kernel interface, are refused" \
  bash -c "! '$SIITD' --check-config '$E2E_TMP/bad.json' 2>'$E2E_TMP/bad.err' &&
    grep -q \"ports\\[0\\].addresses: '192.0.2.1' is not an address with its prefix length\" '$E2E_TMP/bad.err' &&
    grep -q 'ports\\[1\\].addresses: needs kernel-interface' '$E2E_TMP/bad.err'"
e2e_summary
