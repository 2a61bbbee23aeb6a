#!/usr/bin/env bash
# Side-by-side benchmark: TAYGA against siitd on the same path, as a new user would run them
# without a NIC given to DPDK. An IPv6-only host, an IPv4-only host and a router between them,
# in network namespaces; in turn, on that path:
#   tayga       TAYGA on a tun, the router's kernel routing into it: Debian's package, or the
#               binary TAYGA= names (for example one built from TAYGA's own source, whose
#               releases since 0.9.4 run worker threads over a multi-queue tun); TAYGA_WORKERS=N
#               writes its `workers N` (releases that know the key only)
#   siitd-tun   siitd one-armed on net_tun, the same shape
#   siitd-xdp1  siitd one-armed on a veth through AF_XDP (deploy/one-armed-veth.sh)
#   siitd-xdp2  siitd two-armed through AF_XDP on the router's two veth ends
#   siitd-afp2  siitd two-armed through net_af_packet on the same ends
# For each: ping RTT, UDP 64-byte packets per second (what the translator wrote, what the
# receiver got), TCP throughput both ways, and the translator's CPU time per packet. Modes
# alternate, RUNS rounds (default 3); per-run values, medians and ratios to TAYGA are printed.
# A benchmark, not a test: it asserts nothing. Usage: xlat-vs-tayga.sh [RUNS] [SECONDS]
# Needs root, tayga and iperf3 (deploy/install-deps.sh installs them) and a built siitd.
# Example against TAYGA's newest source, one worker thread:
#   TAYGA=/path/to/tayga TAYGA_WORKERS=1 bash tests/bench/xlat-vs-tayga.sh 3 3
set -u
RUNS=${1:-3}
SECONDS_PER_TEST=${2:-3}
source "$(dirname "$0")/../e2e/lib.sh"
trap e2e_cleanup EXIT
TAYGA=${TAYGA:-tayga}
for tool in "$TAYGA" iperf3; do
  command -v "$tool" >/dev/null || { echo "xlat-vs-tayga: $tool missing (bash deploy/install-deps.sh)"; exit 2; }
done

# --- The path: H6 -- r6 [router] r4 -- H4 ---
kernel_router_topology
# The next hop's MAC is the router's end whoever answers there (its kernel, or siitd): static, so
# that the two-armed modes need no ARP or NDP.
ip -n "$H6" -6 neigh replace 2001:db8:100::1 lladdr "$(mac_of "$RT" r6)" dev eth0 nud permanent
ip -n "$H4" neigh replace 192.0.2.1 lladdr "$(mac_of "$RT" r4)" dev eth0 nud permanent
M6=$(mac_of "$H6" eth0) M4=$(mac_of "$H4" eth0)
DST6=2001:db8:64::192.0.2.10 # the IPv4 host, from the IPv6 host

# The router's kernel forwards (one-armed modes) or keeps out of the way (two-armed: siitd owns
# r6 and r4, and the kernel must not forward a second copy of what af_packet also sees).
kernel_router() { # on|off
  if [ "$1" = on ]; then
    ip netns exec "$RT" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
      net.ipv6.conf.r6.disable_ipv6=0
    ip -n "$RT" addr replace 2001:db8:100::1/64 dev r6 nodad
    ip -n "$RT" addr replace 192.0.2.1/24 dev r4
  else
    ip -n "$RT" addr flush dev r4
    ip netns exec "$RT" sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0 \
      net.ipv6.conf.r6.disable_ipv6=1
  fi
}

TRANSLATOR_PID=
siitd_config() { # file vdev... -- ports-json
  local file=$1; shift
  local eal='"--no-huge", "-m", "512", "--no-shconf", "--no-pci", "-l", "0", "--file-prefix", "'$PREFIX'"'
  while [ "$1" != -- ]; do eal+=", \"--vdev\", \"$1\""; shift; done
  shift
  cat >"$file" <<JSON
{"eal": [$eal], "ports": $1, "mbufs": 8191,
 "translation": {"pool6": "2001:db8:64::/96", "eamt": [{"ipv4": "198.51.100.0/24", "ipv6": "2001:db8:100::/120"}]}}
JSON
}

start_mode() { # mode
  case $1 in
  tayga)
    kernel_router on
    cat >"$E2E_TMP/tayga.conf" <<EOF
tun-device nat64
ipv4-addr 198.51.100.254
prefix 2001:db8:64::/96
map 198.51.100.5 2001:db8:100::5
${TAYGA_WORKERS:+workers $TAYGA_WORKERS}
EOF
    ip netns exec "$RT" "$TAYGA" -c "$E2E_TMP/tayga.conf" --mktun >/dev/null
    ip -n "$RT" link set nat64 up
    ip -n "$RT" route replace 198.51.100.0/24 dev nat64
    ip -n "$RT" -6 route replace 2001:db8:64::/96 dev nat64
    ip netns exec "$RT" "$TAYGA" -c "$E2E_TMP/tayga.conf" --nodetach >/dev/null 2>&1 &
    TRANSLATOR_PID=$!; E2E_PIDS+=($!)
    ;;
  siitd-tun)
    kernel_router on
    siitd_config "$E2E_TMP/m.json" "net_tun0,iface=siit0" -- '[{"name": "tun", "device": "net_tun0", "role": "both"}]'
    start_siitd "$RT" "$E2E_TMP/m.json" >/dev/null || return 1
    ip -n "$RT" link set siit0 up
    ip -n "$RT" route replace 198.51.100.0/24 dev siit0
    ip -n "$RT" -6 route replace 2001:db8:64::/96 dev siit0
    TRANSLATOR_PID=$SIITD_PID
    ;;
  siitd-xdp1)
    kernel_router on
    siitd_config "$E2E_TMP/m.json" "net_af_xdp0,iface=siit-xdp" -- \
      '[{"name": "veth", "device": "net_af_xdp0", "role": "both", "next-hop-mac": "02:51:17:00:00:01"}]'
    ip netns exec "$RT" bash "$E2E_ROOT/deploy/one-armed-veth.sh" "$E2E_TMP/m.json" >/dev/null
    start_siitd "$RT" "$E2E_TMP/m.json" >/dev/null || return 1
    TRANSLATOR_PID=$SIITD_PID
    ;;
  siitd-xdp2 | siitd-afp2)
    kernel_router off
    local driver=net_af_xdp
    [ "$1" = siitd-afp2 ] && driver=net_af_packet
    siitd_config "$E2E_TMP/m.json" "${driver}0,iface=r4" "${driver}1,iface=r6" -- \
      "[{\"name\": \"ipv4-side\", \"device\": \"${driver}0\", \"role\": \"ipv4\", \"next-hop-mac\": \"$M4\"},
        {\"name\": \"ipv6-side\", \"device\": \"${driver}1\", \"role\": \"ipv6\", \"next-hop-mac\": \"$M6\"}]"
    start_siitd "$RT" "$E2E_TMP/m.json" >/dev/null || return 1
    TRANSLATOR_PID=$SIITD_PID
    ;;
  esac
  # Until the path carries traffic (bounded).
  for _ in $(seq 1 50); do
    ip netns exec "$H6" ping -6 -c 1 -W 1 "$DST6" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "xlat-vs-tayga: $1 does not carry traffic"; return 1
}

stop_mode() { # mode
  if [ "$1" = tayga ]; then
    kill "$TRANSLATOR_PID" 2>/dev/null; wait "$TRANSLATOR_PID" 2>/dev/null
    ip netns exec "$RT" "$TAYGA" -c "$E2E_TMP/tayga.conf" --rmtun >/dev/null 2>&1
  else
    stop_siitd >/dev/null
    ip -n "$RT" link del siit 2>/dev/null
    rm -rf "/var/run/dpdk/$PREFIX"
  fi
}

# The translator's CPU seconds so far (user + system), and the packets it wrote: TAYGA's are
# what the kernel received from its tun; siitd's its tx_packets.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$TRANSLATOR_PID/stat"
}
packets_written() { # mode
  if [ "$1" = tayga ]; then
    ip netns exec "$RT" cat /sys/class/net/nat64/statistics/rx_packets
  else
    "$SIITCTL" --json stats | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['counters']['tx_packets'])"
  fi
}
# The translator's CPU time per packet written during the UDP test. TAYGA: its user and system
# time over the packets it wrote. siitd busy-polls, so its CPU time is its wall time; its own
# measure is the busy time of the polls that received packets, per packet (siitctl status).
cpu_ns_per_packet() { # mode cpu0 cpu1 wrote0 wrote1
  if [ "$1" = tayga ]; then
    /usr/bin/python3 -c "print(round(($3 - $2) * 1e9 / max(1, $5 - $4)))"
  else
    "$SIITCTL" --json status | /usr/bin/python3 -c "
import json, sys; print(round(json.load(sys.stdin)['workers'][0]['busy-ns-per-packet']))"
  fi
}

measure() { # mode -> one line of figures
  local mode=$1 rtt udp_sent udp_got wrote0 wrote1 cpu0 cpu1 tcp_up tcp_down cpu_ns
  rtt=$(ip netns exec "$H6" ping -6 -c 50 -i 0.01 -q "$DST6" | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
  ip netns exec "$H4" iperf3 -s -1 -D -B 192.0.2.10 >/dev/null 2>&1; sleep 0.3
  wrote0=$(packets_written "$mode"); cpu0=$(cpu_seconds)
  ip netns exec "$H6" iperf3 -6 -c "$DST6" -u -l 64 -b 0 -t "$SECONDS_PER_TEST" -J >"$E2E_TMP/udp.json" 2>/dev/null
  wrote1=$(packets_written "$mode"); cpu1=$(cpu_seconds)
  read -r udp_sent udp_got < <(/usr/bin/python3 - "$E2E_TMP/udp.json" "$SECONDS_PER_TEST" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); t = float(sys.argv[2])
s = j["end"]["sum"]
print(int(s["packets"] / t), int((s["packets"] - s["lost_packets"]) / t))
PY
)
  local wrote_pps=$(( (wrote1 - wrote0) / SECONDS_PER_TEST ))
  cpu_ns=$(cpu_ns_per_packet "$mode" "$cpu0" "$cpu1" "$wrote0" "$wrote1")
  ip netns exec "$H4" iperf3 -s -1 -D -B 192.0.2.10 >/dev/null 2>&1; sleep 0.3
  tcp_up=$(ip netns exec "$H6" iperf3 -6 -c "$DST6" -t "$SECONDS_PER_TEST" -J 2>/dev/null |
    /usr/bin/python3 -c "import json,sys; print(round(json.load(sys.stdin)['end']['sum_received']['bits_per_second']/1e6))")
  ip netns exec "$H4" iperf3 -s -1 -D -B 192.0.2.10 >/dev/null 2>&1; sleep 0.3
  tcp_down=$(ip netns exec "$H6" iperf3 -6 -c "$DST6" -R -t "$SECONDS_PER_TEST" -J 2>/dev/null |
    /usr/bin/python3 -c "import json,sys; print(round(json.load(sys.stdin)['end']['sum_received']['bits_per_second']/1e6))")
  echo "$mode ${rtt:-nan} ${wrote_pps} ${udp_sent:-0} ${udp_got:-0} ${tcp_up:-0} ${tcp_down:-0} ${cpu_ns}"
}

# XLAT_MODES chooses some of them (space-separated), in that order.
read -r -a MODES <<<"${XLAT_MODES:-tayga siitd-tun siitd-xdp1 siitd-xdp2 siitd-afp2}"
echo "xlat-vs-tayga: $(date -u +%Y-%m-%d), $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), kernel $(uname -r)"
# Which TAYGA: its own version line where it has one (0.9.4 and later), else Debian's package's.
tayga_version=$("$TAYGA" --help 2>&1 | sed -n 's/^TAYGA version //p' | head -1)
if [ -z "$tayga_version" ] && [ "$(command -v "$TAYGA")" = "$(command -v tayga)" ]; then
  tayga_version="$(dpkg-query -W -f='${Version}' tayga 2>/dev/null) (Debian's package)"
fi
echo "xlat-vs-tayga: TAYGA $TAYGA, version ${tayga_version:-unknown}, workers ${TAYGA_WORKERS:-its default}"
echo "siitd: one worker busy-polling lcore 0; UDP 64-byte payloads, IPv6 host -> IPv4 host; ${SECONDS_PER_TEST} s per test"
printf '%-11s %-3s %9s %12s %12s %12s %10s %10s %12s\n' mode run rtt_ms wrote_pps sent_pps got_pps tcp6to4 tcp4to6 cpu_ns/pkt
RESULTS=$E2E_TMP/results.txt
: >"$RESULTS"
for run in $(seq 1 "$RUNS"); do
  for mode in "${MODES[@]}"; do
    if start_mode "$mode"; then
      line=$(measure "$mode")
      echo "$line" >>"$RESULTS"
      set -- $line
      printf '%-11s %-3s %9s %12s %12s %12s %10s %10s %12s\n' "$1" "$run" "$2" "$3" "$4" "$5" "$6 Mb/s" "$7 Mb/s" "$8"
    fi
    stop_mode "$mode"
  done
done

# Where net_tun's time goes: the system calls and signals siitd's worker makes per packet while
# the UDP flood crosses it (strace counts them; it slows siitd, the ratios per packet stay).
tun_costs() {
  start_mode siitd-tun || return
  ip netns exec "$H4" iperf3 -s -1 -D -B 192.0.2.10 >/dev/null 2>&1; sleep 0.3
  ip netns exec "$H6" iperf3 -6 -c "$DST6" -u -l 64 -b 0 -t $((SECONDS_PER_TEST + 2)) >/dev/null 2>&1 &
  local client=$! rx0 rx1
  sleep 1
  rx0=$("$SIITCTL" --json stats | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['counters']['rx_packets'])")
  timeout -s INT "$SECONDS_PER_TEST" strace -c -f -p "$TRANSLATOR_PID" -o "$E2E_TMP/strace.txt" 2>/dev/null
  [ -n "${XLAT_KEEP_STRACE:-}" ] && cp "$E2E_TMP/strace.txt" "$XLAT_KEEP_STRACE"
  rx1=$("$SIITCTL" --json stats | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['counters']['rx_packets'])")
  wait "$client"
  stop_mode siitd-tun
  /usr/bin/python3 - "$E2E_TMP/strace.txt" "$((rx1 - rx0))" <<'PY'
import sys
packets = max(1, int(sys.argv[2]))
calls = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) >= 5 and f[-1].isidentifier() and f[3].isdigit():
        calls[f[-1]] = int(f[3])
    elif len(f) >= 4 and f[-1].isidentifier() and f[2].isdigit():
        calls[f[-1]] = int(f[2])
print(f"net_tun under strace: {packets} packets received; per packet:",
      ", ".join(f"{name} {calls.get(name, 0) / packets:.2f}" for name in
                ("readv", "writev", "read", "write", "rt_sigreturn")),
      "(rt_sigreturn: one per signal handled)")
PY
}
echo
tun_costs

echo
echo "medians (ratio to tayga):"
/usr/bin/python3 - "$RESULTS" <<'PY'
import statistics, sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    f = line.split()
    rows[f[0]].append([float(x) if x != "nan" else float("nan") for x in f[1:]])
names = ["rtt_ms", "wrote_pps", "sent_pps", "got_pps", "tcp6to4_Mbps", "tcp4to6_Mbps", "cpu_ns/pkt"]
med = {m: [statistics.median(col) for col in zip(*v)] for m, v in rows.items()}
base = med.get("tayga")
print("%-11s " % "mode" + " ".join("%16s" % n for n in names))
for m, values in med.items():
    cells = []
    for i, v in enumerate(values):
        ratio = f" ({v / base[i]:.2f}x)" if base and base[i] else ""
        cells.append("%16s" % (f"{v:.3g}{ratio}"))
    print("%-11s " % m + " ".join(cells))
PY
