#!/usr/bin/env bash
# siitd demo: real traffic between an IPv6-only web server and an IPv4-only client, through siitd
# on net_af_packet, all in network namespaces this script creates (no NIC needed). Run as root.
# Builds first if needed; cleans up on exit and on Ctrl-C.
#
#   IPv4-only client 192.0.2.10 --(veth)-- siitd --(veth)-- IPv6-only server 2001:db8:100::5
#   The client reaches the server as 198.51.100.5 (EAMT 198.51.100.0/24 <-> 2001:db8:100::/120);
#   the server reaches the client as 64:ff9b::192.0.2.10 (pool6 64:ff9b::/96).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -ne 0 ]; then echo "demo: run as root (it creates network namespaces)" >&2; exit 1; fi
[ -x "$root/build/app/siitd" ] || bash "$root/deploy/build.sh" || exit 1

source "$root/tests/e2e/lib.sh"
trap e2e_cleanup EXIT
trap 'echo; echo "demo: interrupted, cleaning up"; exit 130' INT TERM
step() { printf '\n== %s\n' "$*"; }

step "Creating namespaces: IPv6-only server ($PREFIX""h6), IPv4-only client ($PREFIX""h4), router ($PREFIX""rt)"
two_armed_topology
step "Starting siitd in the router namespace (config: pool6 64:ff9b::/96, EAM 198.51.100.0/24 <-> 2001:db8:100::/120)"
start_siitd "$RT" "$E2E_TMP/siitd.json" || exit 1
grep -h "siitd:" "$E2E_TMP/siitd.err" | sed 's/^/   /'

step "IPv4 client pings the IPv6 server at 198.51.100.5"
ip netns exec "$H4" ping -c 3 -i 0.3 -W 2 198.51.100.5
step "IPv6 server pings the IPv4 client at 64:ff9b::192.0.2.10"
ip netns exec "$H6" ping -6 -c 3 -i 0.3 -W 2 64:ff9b::192.0.2.10

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

step "siitd counters (non-zero)"
stop_siitd | /usr/bin/python3 -c "
import json, sys
for k, v in json.load(sys.stdin).items():
    if v: print(f'   {k:32} {v}')"
step "Done; removing the namespaces"
