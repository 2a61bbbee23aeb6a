# Shared by the end-to-end scenarios: namespace set-up and tear-down, siitd start and stop.
# Each scenario sources this, names its namespaces with a unique prefix, and calls e2e_cleanup on
# exit (trap), so nothing is left behind even on failure.

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SIITD=${SIITD:-$E2E_ROOT/build/app/siitd}
SIITCTL=${SIITCTL:-$E2E_ROOT/build/ctl/siitctl}
PREFIX="siit$$"
E2E_NAMESPACES=()
E2E_PIDS=()
E2E_TMP=$(mktemp -d)
# The control socket: in a directory anybody may enter, so that permission tests see the socket's
# own mode. siitctl finds it through SIITCTL_SOCKET.
E2E_RUN=/run/siitd-e2e-$$
export SIITCTL_SOCKET=$E2E_RUN/siitd.sock
E2E_PASSED=0
E2E_FAILED=0

e2e_cleanup() {
  for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${E2E_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  # Any siitd of this scenario that a subshell started and lost track of (its socket names it).
  pkill -KILL -f -- "--socket $E2E_RUN/" 2>/dev/null
  for ns in "${E2E_NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "/var/run/dpdk/$PREFIX" # the EAL runtime directory of our --file-prefix
  rm -rf "$E2E_TMP" "$E2E_RUN"
}

e2e_ns() { # name
  ip netns add "$1"
  ip -n "$1" link set lo up
  E2E_NAMESPACES+=("$1")
}

mac_of() { # ns iface
  ip -n "$1" -o link show "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# Passes when the command succeeds; prints the command's output when it does not.
check() { # description, command...
  local what=$1; shift
  local out
  if out=$("$@" 2>&1); then
    echo "ok e2e $what"; E2E_PASSED=$((E2E_PASSED + 1))
  else
    echo "FAILED e2e $what"; echo "$out" | tail -15 | sed 's/^/    /'; E2E_FAILED=$((E2E_FAILED + 1))
  fi
}

# Starts siitd inside namespace $1 (empty: this one) with config $2; waits (bounded) until its
# ports are up.
start_siitd() { # ns config
  ${1:+ip netns exec "$1"} "$SIITD" --config "$2" --socket "$SIITCTL_SOCKET" --stats-json \
    --log-level info >"$E2E_TMP/siitd.out" 2>"$E2E_TMP/siitd.err" &
  E2E_PIDS+=($!)
  SIITD_PID=$!
  for _ in $(seq 1 150); do
    grep -q "worker(s) translating" "$E2E_TMP/siitd.err" && return 0
    kill -0 "$SIITD_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "siitd did not start:"; cat "$E2E_TMP/siitd.err"; return 1
}

# Stops siitd and prints its counters (the last line of its output). Often called in a command
# substitution, whose subshell cannot `wait` for siitd: so it polls (bounded) until siitd is gone.
stop_siitd() {
  kill -TERM "$SIITD_PID" 2>/dev/null
  local state
  for _ in $(seq 1 200); do
    state=$(awk '{print $3}' "/proc/$SIITD_PID/stat" 2>/dev/null)
    [ -z "$state" ] || [ "$state" = Z ] && break # gone, or exited and waiting for its parent
    sleep 0.05
  done
  wait "$SIITD_PID" 2>/dev/null
  tail -1 "$E2E_TMP/siitd.out"
}

# A configuration for the control plane's scenarios: one net_null port that receives nothing (no
# traffic needed), pool6 and one EAM entry, and the "control" section $2.
null_port_config() { # file control-json
  cat >"$1" <<JSON
{
  "eal": ["--no-huge", "-m", "256", "--no-shconf", "--no-pci", "-l", "0", "--file-prefix", "$PREFIX",
          "--vdev", "net_null0,no-rx=1"],
  "ports": [{"name": "lan", "device": "net_null0", "role": "both"}],
  "mbufs": 2047,
  "translation": {"pool6": "2001:db8:64::/96", "eamt": [{"ipv4": "198.51.100.0/24", "ipv6": "2001:db8:100::/120"}]},
  "control": $2
}
JSON
}

# A one-armed translator: one port "$3" on the --vdev "$2" (device name, then its devargs),
# both roles, sending to the MAC $4; pool6 and the EAM of the two-armed topology.
one_armed_config() { # file vdev port-name next-hop-mac
  cat >"$1" <<JSON
{
  "eal": ["--no-huge", "-m", "256", "--no-shconf", "--no-pci", "-l", "0", "--file-prefix", "$PREFIX",
          "--vdev", "$2"],
  "ports": [{"name": "$3", "device": "${2%%,*}", "role": "both", "next-hop-mac": "$4"}],
  "mbufs": 4095,
  "translation": {"pool6": "2001:db8:64::/96", "eamt": [{"ipv4": "198.51.100.0/24", "ipv6": "2001:db8:100::/120"}]}
}
JSON
}

# Edits the JSON configuration FILE in place: the Python statements act on its object, `c`.
# Edits the configuration file $1 with Python statements on `c`, its JSON; the result goes to $3
# when given, else back to $1.
edit_config() { # file statements [output]
  /usr/bin/python3 - "$1" "$2" "${3:-$1}" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
exec(sys.argv[2])
json.dump(c, open(sys.argv[3], "w"))
PY
}

# Builds the Debian package from this tree's tracked files in directory $1 (dpkg-buildpackage,
# about two minutes with LTO); prints the .deb's path, or (on stderr) the build log's tail.
build_package() { # dir
  mkdir -p "$1/siitd"
  git -C "$E2E_ROOT" ls-files -z | (cd "$E2E_ROOT" && tar --null -T - -cf -) | tar -C "$1/siitd" -xf -
  (cd "$1/siitd" && dpkg-buildpackage -b -us -uc >"$1/build.log" 2>&1) || { tail -30 "$1/build.log" >&2; return 1; }
  ls "$1"/siitd_*_*.deb
}

# The package $1 again as a newer version ("+upgrade1" added to its own), written to $2: the same
# build, for the upgrade checks.
repack_newer() { # deb output-deb
  local tree; tree=$(mktemp -d -p "$E2E_TMP")
  dpkg-deb -R "$1" "$tree"
  sed -i 's/^Version: .*/&+upgrade1/' "$tree/DEBIAN/control"
  dpkg-deb -b "$tree" "$2" >/dev/null
}

# Exit status $1 from the rest of the command line. Its output (both streams) is kept in $OUT
# (a file: check runs each command in a subshell), for the checks that follow.
OUT=$E2E_TMP/last-output
within_2s() { # command...: true once the command succeeds, tried every 0.1 s for 2 s
  for _ in $(seq 1 20); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  "$@"
}

status_is() { # expected-status command...
  local want=$1; shift
  "$@" >"$OUT" 2>&1; local got=$?
  [ "$got" = "$want" ] || { echo "exit status $got, expected $want: $(cat "$OUT")"; return 1; }
}
output_has() { # needle command...
  local needle=$1; shift
  "$@" >"$OUT" 2>&1 || { echo "failed: $(cat "$OUT")"; return 1; }
  grep -qF -- "$needle" "$OUT" || { echo "no '$needle' in: $(cat "$OUT")"; return 1; }
}
e2e_summary() { echo "e2e: $E2E_PASSED passed, $E2E_FAILED failed"; [ "$E2E_FAILED" -eq 0 ]; }

# Connects host namespace $1 (interface eth0) to router namespace $2 (interface $3) with a veth
# pair. The router end carries no IPv6 of its own (siitd drives it through af_packet). A veth
# hands af_packet TCP and UDP with the checksum left to "hardware" (only the pseudo-header sum in
# the field) and TCP segments larger than the MTU: the host's kernel is made to finish both, as it
# would for a real NIC without offloads.
attach_host() { # host-ns router-ns router-iface
  ip link add "$3" netns "$2" type veth peer name eth0 netns "$1"
  ip netns exec "$2" sysctl -qw "net.ipv6.conf.$3.disable_ipv6=1"
  # The router's kernel must not answer on the veth end siitd drives, as it never sees a NIC bound
  # to DPDK: strict reverse-path filtering drops what arrives there for the box's addresses (the
  # box answers through its kernel interfaces, whose routes point elsewhere).
  ip netns exec "$2" sysctl -qw "net.ipv4.conf.$3.rp_filter=1"
  ip -n "$2" link set "$3" up
  ip -n "$1" link set eth0 up
  ip netns exec "$1" ethtool -K eth0 tx off tso off gso off >/dev/null
}

# Static routes and neighbours on host $1 towards siitd's MAC $2 for family $3 (4, 6 or both),
# until siitd answers ARP/NDP through the kernel: pool6 via fe80::1, the EAM range via
# 192.0.2.1. Each host gets only its own family's routes, so an IPv4-only host stays IPv4-only.
route_via_siitd() { # host-ns siitd-mac family
  if [ "$3" != 4 ]; then
    ip -n "$1" -6 route add 2001:db8:64::/96 via fe80::1 dev eth0
    ip -n "$1" -6 neigh add fe80::1 lladdr "$2" dev eth0 nud permanent
  fi
  if [ "$3" != 6 ]; then
    ip -n "$1" route add 198.51.100.0/24 via 192.0.2.1 dev eth0
    ip -n "$1" neigh add 192.0.2.1 lladdr "$2" dev eth0 nud permanent
  fi
}

# The namespaces both topologies share: the IPv6-only host $H6 (2001:db8:100::5), the IPv4-only
# host $H4 (192.0.2.10) and the router $RT, linked by the veth pairs s6 and s4.
hosts_and_router() {
  H6=${PREFIX}h6 H4=${PREFIX}h4 RT=${PREFIX}rt
  e2e_ns "$H6"; e2e_ns "$H4"; e2e_ns "$RT"
  attach_host "$H6" "$RT" s6
  attach_host "$H4" "$RT" s4
  ip -n "$H6" addr add 2001:db8:100::5/64 dev eth0 nodad
  ip -n "$H4" addr add 192.0.2.10/24 dev eth0
}

# The two-armed topology: an IPv6-only host ($H6, 2001:db8:100::5, reached from IPv4 as
# 198.51.100.5 through the EAM 198.51.100.0/24 <-> 2001:db8:100::/120), an IPv4-only host ($H4,
# 192.0.2.10, reached from IPv6 as 2001:db8:64::192.0.2.10 through pool6), and a router namespace
# ($RT) whose veth ends s6 and s4 siitd drives with net_af_packet. Writes $E2E_TMP/siitd.json.
two_armed_topology() {
  hosts_and_router
  local m6 m4
  m6=$(mac_of "$H6" eth0) m4=$(mac_of "$H4" eth0)
  route_via_siitd "$H6" "$(mac_of "$RT" s6)" 6
  route_via_siitd "$H4" "$(mac_of "$RT" s4)" 4
  cat >"$E2E_TMP/siitd.json" <<JSON
{
  "eal": ["--no-huge", "-m", "256", "--no-shconf", "--no-pci", "-l", "0", "--file-prefix", "$PREFIX",
          "--vdev", "net_af_packet0,iface=s4", "--vdev", "net_af_packet1,iface=s6"],
  "ports": [{"name": "ipv4-side", "device": "net_af_packet0", "role": "ipv4", "next-hop-mac": "$m4"},
            {"name": "ipv6-side", "device": "net_af_packet1", "role": "ipv6", "next-hop-mac": "$m6"}],
  "mbufs": 8191,
  "translation": {"pool6": "2001:db8:64::/96", "eamt": [{"ipv4": "198.51.100.0/24", "ipv6": "2001:db8:100::/120"}]}
}
JSON
}

# A router whose own kernel forwards between the IPv6-only host $H6 (2001:db8:100::5, on r6) and
# the IPv4-only host $H4 (192.0.2.10, on r4), and routes the hosts' traffic for pool6 and the EAM
# range: where a one-armed translator (a tun, or a veth through AF_XDP) hangs off the router.
kernel_router_topology() {
  H6=${PREFIX}h6 H4=${PREFIX}h4 RT=${PREFIX}rt
  e2e_ns "$H6"; e2e_ns "$H4"; e2e_ns "$RT"
  local side host
  for side in 6 4; do
    host=$([ $side = 6 ] && echo "$H6" || echo "$H4")
    ip link add "r$side" netns "$RT" type veth peer name eth0 netns "$host"
    ip -n "$RT" link set "r$side" up; ip -n "$host" link set eth0 up
    ip netns exec "$host" ethtool -K eth0 tx off tso off gso off >/dev/null
  done
  ip netns exec "$RT" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  ip -n "$RT" addr add 2001:db8:100::1/64 dev r6 nodad
  ip -n "$RT" addr add 192.0.2.1/24 dev r4
  ip -n "$H6" addr add 2001:db8:100::5/64 dev eth0 nodad
  ip -n "$H4" addr add 192.0.2.10/24 dev eth0
  ip -n "$H6" -6 route add 2001:db8:64::/96 via 2001:db8:100::1
  ip -n "$H4" route add 198.51.100.0/24 via 192.0.2.1
}

# What every topology checks: ping both ways through siitd, and HTTP over TCP from the IPv4 host
# to a web server on the IPv6 host.
translates_both_ways() { # label
  check "$1: IPv6 host pings the IPv4 host at its pool6 address" \
    ip netns exec "$H6" ping -6 -c 3 -i 0.2 -W 2 2001:db8:64::192.0.2.10
  check "$1: IPv4 host pings the IPv6 host at its EAM address" \
    ip netns exec "$H4" ping -c 3 -i 0.2 -W 2 198.51.100.5
  serve_http "$H6" "$E2E_ROOT/tests/e2e"
  check "$1: IPv4 host fetches a page over TCP from the IPv6 host's web server" \
    fetch_http "$H4" lib.sh two_armed_topology
}

# Serves $2 (a directory) over HTTP on the IPv6 host's address, port 8080, in namespace $1.
serve_http() { # ns directory
  ip netns exec "$1" /usr/bin/python3 -m http.server --bind 2001:db8:100::5 8080 --directory "$2" >/dev/null 2>&1 &
  E2E_PIDS+=($!)
}

# Fetches http://198.51.100.5:8080/PATH from namespace $1 and checks that it contains $3; retries
# while the server starts (bounded: 50 tries).
fetch_http() { # ns path needle
  for _ in $(seq 1 50); do
    ip netns exec "$1" /usr/bin/python3 -c \
      "import urllib.request,sys; r=urllib.request.urlopen('http://198.51.100.5:8080/$2', timeout=2); sys.exit(0 if b'$3' in r.read() else 1)" \
      2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# The router box: like two_armed_topology, but each port has a kernel interface (k4, k6) in the
# router namespace, and no static neighbour anywhere: the hosts route via the box's own addresses
# (192.0.2.1, 2001:db8:100::1), which box_addresses gives the kernel interfaces once siitd runs,
# and siitd learns its next hops (the hosts) from the kernel. $1: the IPv4 port's MTU (1500).
router_box_topology() { # [ipv4-mtu]
  hosts_and_router
  ip -n "$H6" -6 route add 2001:db8:64::/96 via 2001:db8:100::1
  # With a smaller IPv4 MTU (siitd sets it on s4), the IPv4 host's route says so, so that its
  # fragments fit; it still advertises a 1460-byte MSS, so that TCP from the IPv6 host needs
  # Path MTU discovery through siitd's Packet Too Big.
  ip -n "$H4" route add 198.51.100.0/24 via 192.0.2.1 mtu "${1:-1500}" advmss 1460
  cat >"$E2E_TMP/siitd.json" <<JSON
{
  "eal": ["--no-huge", "-m", "256", "--no-shconf", "--no-pci", "-l", "0", "--file-prefix", "$PREFIX",
          "--vdev", "net_af_packet0,iface=s4", "--vdev", "net_af_packet1,iface=s6"],
  "ports": [{"name": "ipv4-side", "device": "net_af_packet0", "role": "ipv4", "mtu": ${1:-1500},
             "kernel-interface": "k4", "next-hop": "192.0.2.10"},
            {"name": "ipv6-side", "device": "net_af_packet1", "role": "ipv6",
             "kernel-interface": "k6", "next-hop": "2001:db8:100::5"}],
  "mbufs": 8191,
  "translation": {"pool6": "2001:db8:64::/96", "eamt": [{"ipv4": "198.51.100.0/24", "ipv6": "2001:db8:100::/120"}]}
}
JSON
}

# The operator gives the box its addresses on the kernel interfaces siitd created.
box_addresses() {
  ip -n "$RT" addr add 192.0.2.1/24 dev k4
  ip -n "$RT" addr add 2001:db8:100::1/64 dev k6 nodad
  wait_box_addresses
}

# The same addresses, from the configuration: siitd gives them to k4 and k6 at every start.
configure_box_addresses() {
  edit_config "$E2E_TMP/siitd.json" \
    'c["ports"][0]["addresses"] = ["192.0.2.1/24"]; c["ports"][1]["addresses"] = ["2001:db8:100::1/64"]'
}

# Until siitd's workers see the box's addresses, traffic to them would be translated, not handed to
# the kernel: waits for the view they use (a few ms; at most 5 s).
wait_box_addresses() {
  for _ in $(seq 1 100); do
    "$SIITCTL" addresses 2>/dev/null | grep -qx 192.0.2.1 &&
      "$SIITCTL" addresses 2>/dev/null | grep -qx 2001:db8:100::1 && return 0
    sleep 0.05
  done
  echo "box_addresses: siitd did not see the box's addresses within 5 s" >&2
  return 1
}
