#!/usr/bin/env bash
# siitd demo: real traffic between an IPv6-only web server and an IPv4-only client, through siitd
# on net_af_packet, all in network namespaces this script creates (no NIC needed). Run as root.
# Builds first if needed; cleans up on exit and on Ctrl-C.
#
#   IPv4-only client 192.0.2.10 --(veth)-- siitd --(veth)-- IPv6-only server 2001:db8:100::5
#                                            |
#                          the box's kernel (k4: 192.0.2.1, k6: 2001:db8:100::1)
#
#   siitd starts with pool6 2001:db8:64::/96 only; siitctl then loads the EAM
#   198.51.100.0/24 <-> 2001:db8:100::/120, so the client reaches the server as 198.51.100.5 and
#   the server reaches the client as 2001:db8:64::192.0.2.10. No static neighbour anywhere: the
#   hosts ARP and solicit the box's kernel through siitd, which learns its next hops from the kernel.
#   pool6 is a network-specific prefix: the demo's addresses are documentation ones (RFC 5737),
#   which the Well-Known Prefix 64:ff9b::/96 never represents (RFC 6052 §3.1). A box translating
#   for the Internet's global addresses uses 64:ff9b::/96 (deploy/siitd.example.json).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -ne 0 ]; then echo "demo: run as root (it creates network namespaces)" >&2; exit 1; fi
[ -x "$root/build/app/siitd" ] && [ -x "$root/build/ctl/siitctl" ] || bash "$root/deploy/build.sh" || exit 1

source "$root/tests/e2e/lib.sh"
trap e2e_cleanup EXIT
trap 'echo; echo "demo: interrupted, cleaning up"; exit 130' INT TERM
step() { printf '\n== %s\n' "$*"; }
siitctl() { echo "   \$ siitctl $*"; "$SIITCTL" "$@" | sed 's/^/   /'; }

step "Creating namespaces: IPv6-only server ($PREFIX""h6), IPv4-only client ($PREFIX""h4), router ($PREFIX""rt)"
router_box_topology
# The demo's siitd starts without the EAM: siitctl loads it below.
/usr/bin/python3 - "$E2E_TMP/siitd.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); del c["translation"]["eamt"]; json.dump(c, open(sys.argv[1], "w"), indent=1)
PY
step "Starting siitd in the router namespace (pool6 2001:db8:64::/96; kernel interfaces k4 and k6)"
start_siitd "$RT" "$E2E_TMP/siitd.json" || exit 1
grep -h "siitd:" "$E2E_TMP/siitd.err" | sed 's/^/   /'
box_addresses
echo "   the box's kernel: 192.0.2.1 on k4, 2001:db8:100::1 on k6; siitd hands their traffic to it:"
siitctl addresses

step "Loading the EAMT with siitctl (control socket $SIITCTL_SOCKET)"
siitctl eamt add 198.51.100.0/24 2001:db8:100::/120
siitctl eamt list
siitctl lookup 198.51.100.5
siitctl lookup 2001:db8:64::192.0.2.10

step "The IPv4 client pings the box itself (ARP and ICMP through siitd's exception path to the kernel)"
ip netns exec "$H4" ping -c 2 -i 0.3 -W 2 192.0.2.1
step "The IPv4 client pings the IPv6 server at 198.51.100.5"
ip netns exec "$H4" ping -c 3 -i 0.3 -W 2 198.51.100.5
step "The IPv6 server pings the IPv4 client at 2001:db8:64::192.0.2.10"
ip netns exec "$H6" ping -6 -c 3 -i 0.3 -W 2 2001:db8:64::192.0.2.10

step "siitctl capture: one ping from the IPv6 server as siitd received it, and what it sent for it"
echo "   \$ siitctl capture -c 1 -f icmp -w - | tshark -r - -T fields -e frame.interface_name ..."
"$SIITCTL" capture -c 1 -f icmp -w - 2>/dev/null |
  tshark -n -r - -T fields -e frame.interface_name -e _ws.col.Source -e _ws.col.Destination \
    -e _ws.col.Protocol -e frame.comment 2>/dev/null | sed 's/^/   /' &
capture_reader=$!
sleep 0.5
ip netns exec "$H6" ping -6 -c 1 -W 2 2001:db8:64::192.0.2.10 >/dev/null
wait "$capture_reader"

step "IPv6-only web server on [2001:db8:100::5]:8080; the IPv4-only client fetches http://198.51.100.5:8080/"
mkdir -p "$E2E_TMP/www"
echo "Hello from an IPv6-only server, reached over IPv4 through siitd." >"$E2E_TMP/www/index.html"
serve_http "$H6" "$E2E_TMP/www"
if fetch_http "$H4" index.html "IPv6-only server"; then
  ip netns exec "$H4" /usr/bin/python3 -c \
    "import urllib.request; print('   ' + urllib.request.urlopen('http://198.51.100.5:8080/index.html', timeout=2).read().decode().strip())"
else
  echo "   the fetch failed"
fi

step "What siitd learned from the kernel"
siitctl neighbours
step "siitd's counters"
siitctl stats
stop_siitd >/dev/null
step "Done; removing the namespaces"
