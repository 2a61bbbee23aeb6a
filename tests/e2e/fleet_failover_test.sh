#!/usr/bin/env bash
# A fleet of two siitd boxes behind ECMP. Each box is two-armed on net_af_packet, with its
# kernel interfaces and its announce interface, and runs BIRD with the shipped configuration
# (deploy/bird/siitd-fleet.conf, and a site file). Two upstream routers, one per side, run BIRD
# too: BGP to both boxes, BFD, and both boxes installed as equal next hops (merge paths, hashing by
# ports). An IPv4-only client keeps 20 TCP connections and a numbered UDP stream open to an
# IPv6-only server through the fleet, while one box is killed (SIGKILL), hung (SIGSTOP), loses a
# link, and is drained and restarted as an upgrade does, and while a new EAM entry is rolled across both boxes. It
# prints, per event, the time until the upstream routers dropped the box and the UDP datagrams
# lost; every TCP connection must survive, the drained upgrade and the rollout must lose nothing.
#
#   client h4 192.0.2.10 -- r4 --+-- box a (s4 | siitd | s6) --+-- r6 -- h6 2001:db8:100::5
#                                +-- box b (s4 | siitd | s6) --+
set -u
source "$(dirname "$0")/lib.sh"
TRAFFIC=$E2E_ROOT/tests/e2e/fleet_traffic.py
trap 'fleet_cleanup' EXIT

# Upstream detection: BFD every 100 ms, three missed (deploy/bird/siitd-fleet.conf).
BFD_DETECTION_MS=300
H4=${PREFIX}h4 R4=${PREFIX}r4 R6=${PREFIX}r6 H6=${PREFIX}h6
BOXES=(a b)
declare -A BOX_NS BOX_PID V4_BOX V4_UP V6_BOX V6_UP
BOX_NS[a]=${PREFIX}ba BOX_NS[b]=${PREFIX}bb
V4_UP[a]=203.0.113.1 V4_BOX[a]=203.0.113.2 V4_UP[b]=203.0.113.5 V4_BOX[b]=203.0.113.6
V6_UP[a]=2001:db8:a::1 V6_BOX[a]=2001:db8:a::2 V6_UP[b]=2001:db8:b::1 V6_BOX[b]=2001:db8:b::2

fleet_cleanup() {
  for box in "${BOXES[@]}"; do
    [ -n "${BOX_PID[$box]:-}" ] && kill -CONT "${BOX_PID[$box]}" 2>/dev/null
    rm -rf "/var/run/dpdk/$PREFIX$box"
  done
  e2e_cleanup
}

offloads_off() { ip netns exec "$1" ethtool -K "$2" tx off tso off gso off >/dev/null; }
link() { # ns-a if-a ns-b if-b
  ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
  ip -n "$1" link set "$2" up; ip -n "$3" link set "$4" up
}

for ns in "$H4" "$R4" "$R6" "$H6" "${BOX_NS[a]}" "${BOX_NS[b]}"; do e2e_ns "$ns"; done
link "$H4" eth0 "$R4" h4; offloads_off "$H4" eth0; offloads_off "$R4" h4
link "$H6" eth0 "$R6" h6; offloads_off "$H6" eth0; offloads_off "$R6" h6
ip -n "$H4" addr add 192.0.2.10/24 dev eth0
ip -n "$H4" route add default via 192.0.2.1
ip -n "$R4" addr add 192.0.2.1/24 dev h4
ip -n "$H6" addr add 2001:db8:100::5/64 dev eth0 nodad
ip -n "$H6" addr add 2001:db8:100::1:7/64 dev eth0 nodad # the server the rollout adds
ip -n "$H6" -6 route add default via 2001:db8:100::1
ip -n "$R6" addr add 2001:db8:100::1/64 dev h6 nodad
ip netns exec "$R4" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.fib_multipath_hash_policy=1 \
  net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
ip netns exec "$R6" sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv6.fib_multipath_hash_policy=1
for box in "${BOXES[@]}"; do
  ns=${BOX_NS[$box]}
  link "$R4" "${box}4" "$ns" s4; offloads_off "$R4" "${box}4"
  link "$R6" "${box}6" "$ns" s6; offloads_off "$R6" "${box}6"
  ip -n "$R4" addr add "${V4_UP[$box]}/30" dev "${box}4"
  # A router keeps its addresses while a link is down (Linux drops IPv6 ones by default).
  ip netns exec "$R6" sysctl -qw "net.ipv6.conf.${box}6.keep_addr_on_down=1"
  ip -n "$R6" addr add "${V6_UP[$box]}/64" dev "${box}6" nodad
  for side in s4 s6; do
    ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$side.disable_ipv6=1" "net.ipv4.conf.$side.rp_filter=1"
  done
done

# Box a loads its EAMT in one order, box b in the other: the digests must agree.
EAMT_A='[{"ipv4": "198.51.100.0/24", "ipv6": "2001:db8:100::/120"}, {"ipv4": "198.51.101.0/28", "ipv6": "2001:db8:101::/124"}]'
EAMT_B='[{"ipv4": "198.51.101.0/28", "ipv6": "2001:db8:101::/124"}, {"ipv4": "198.51.100.0/24", "ipv6": "2001:db8:100::/120"}]'
for box in "${BOXES[@]}"; do
  eamt=$([ "$box" = a ] && echo "$EAMT_A" || echo "$EAMT_B")
  cat >"$E2E_TMP/siitd-$box.json" <<JSON
{
  "eal": ["--no-huge", "-m", "256", "--no-shconf", "--no-pci", "-l", "0", "--file-prefix", "$PREFIX$box",
          "--vdev", "net_af_packet0,iface=s4", "--vdev", "net_af_packet1,iface=s6"],
  "ports": [{"name": "ipv4-side", "device": "net_af_packet0", "role": "ipv4",
             "kernel-interface": "k4", "next-hop": "${V4_UP[$box]}", "addresses": ["${V4_BOX[$box]}/30"]},
            {"name": "ipv6-side", "device": "net_af_packet1", "role": "ipv6",
             "kernel-interface": "k6", "next-hop": "${V6_UP[$box]}", "addresses": ["${V6_BOX[$box]}/64"]}],
  "mbufs": 8191,
  "announce-interface": "siitd-up",
  "translation": {"pool6": "2001:db8:64::/96", "eamt": $eamt}
}
JSON
done

sock() { echo "$E2E_RUN/$1.sock"; }
ctl() { local box=$1; shift; "$SIITCTL" --socket "$(sock "$box")" "$@"; }
start_box() { # box
  local box=$1
  ip netns exec "${BOX_NS[$box]}" "$SIITD" --config "$E2E_TMP/siitd-$box.json" --socket "$(sock "$box")" \
    --log-level info >>"$E2E_TMP/siitd-$box.out" 2>>"$E2E_TMP/siitd-$box.err" &
  BOX_PID[$box]=$!
  E2E_PIDS+=($!)
  for _ in $(seq 1 150); do
    ctl "$box" status 2>/dev/null | grep -q "announce: siitd-up up" && return 0
    kill -0 "${BOX_PID[$box]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "siitd on box $box did not start:"; tail -20 "$E2E_TMP/siitd-$box.err"; return 1
}
stop_box() { # box
  local box=$1
  kill -TERM "${BOX_PID[$box]}"; wait "${BOX_PID[$box]}" 2>/dev/null
}

bird_in() { # ns name config-file
  ip netns exec "$1" bird -f -c "$3" -s "$E2E_TMP/$2.ctl" -P "$E2E_TMP/$2.pid" \
    >"$E2E_TMP/$2.log" 2>&1 &
  E2E_PIDS+=($!)
}
birdc_in() { local ns=$1 name=$2; shift 2; ip netns exec "$ns" birdc -s "$E2E_TMP/$name.ctl" "$@"; }

# The boxes' BIRD: the shipped file verbatim, beside each box's site file.
box_site() { # box [extra static route of the rollout]
  local box=$1
  cat >"$E2E_TMP/bird-$box/siitd-site.conf" <<CONF
router id ${V4_BOX[$box]};
protocol static siitd_pools4 from siitd_announce4 {
  route 198.51.100.0/24 via "siitd-up";
  route 198.51.101.0/28 via "siitd-up";
  ${2:+route $2 via \"siitd-up\";}
}
protocol static siitd_pools6 from siitd_announce6 { route 2001:db8:64::/96 via "siitd-up"; }
protocol bgp uplink4 from siitd_uplink4 { local ${V4_BOX[$box]} as 64512; neighbor ${V4_UP[$box]} as 64500; }
protocol bgp uplink6 from siitd_uplink6 { local ${V6_BOX[$box]} as 64512; neighbor ${V6_UP[$box]} as 64501; }
CONF
}
for box in "${BOXES[@]}"; do
  mkdir -p "$E2E_TMP/bird-$box"
  cp "$E2E_ROOT/deploy/bird/siitd-fleet.conf" "$E2E_TMP/bird-$box/"
  box_site "$box"
done
# The upstream routers: BGP and BFD to both boxes, both paths in the kernel's table.
upstream_conf() { # family router-id local-as ...neighbours as "local,neighbour"
  local family=$1 id=$2 as=$3; shift 3
  echo "router id $id;
protocol device { scan time 10; }
protocol bfd { interface \"*\" { min rx interval 100 ms; min tx interval 100 ms; multiplier 3; }; }
protocol kernel { $family { export all; }; merge paths on; }"
  local n=0
  for pair in "$@"; do
    n=$((n + 1))
    echo "protocol bgp box$n { local ${pair%%,*} as $as; neighbor ${pair##*,} as 64512; bfd on;
  connect delay time 1; connect retry time 2; error wait time 1, 4; hold time 9; keepalive time 3;
  $family { import all; export none; }; }"
  done
}
upstream_conf ipv4 192.0.2.1 64500 "${V4_UP[a]},${V4_BOX[a]}" "${V4_UP[b]},${V4_BOX[b]}" >"$E2E_TMP/r4.conf"
upstream_conf ipv6 192.0.2.2 64501 "${V6_UP[a]},${V6_BOX[a]}" "${V6_UP[b]},${V6_BOX[b]}" >"$E2E_TMP/r6.conf"

for box in "${BOXES[@]}"; do
  start_box "$box" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
  bird_in "${BOX_NS[$box]}" "box-$box" "$E2E_TMP/bird-$box/siitd-fleet.conf"
done
bird_in "$R4" r4 "$E2E_TMP/r4.conf"
bird_in "$R6" r6 "$E2E_TMP/r6.conf"

# The boxes the upstream routers' kernels route the pools to, named by the router's interface
# toward each ("a4" is box a): r4's for the EAM range (or $1), r6's for pool6.
hops4() { ip -n "$R4" -4 route show "${1:-198.51.100.0/24}" | grep -oE 'dev [ab]4' | cut -c5 | sort -u | tr '\n' ' '; }
hops6() { ip -n "$R6" -6 route show 2001:db8:64::/96 | grep -oE 'dev [ab]6' | cut -c5 | sort -u | tr '\n' ' '; }
# Whether box $1 is among the next hops on both sides ($2 "in"), or on neither while the other
# box still is ($2 "out").
box_is() { # box in|out
  local v4 v6; v4=" $(hops4)" v6=" $(hops6)"
  if [ "$2" = in ]; then [[ "$v4" == *" $1 "* && "$v6" == *" $1 "* ]]
  else [[ "$v4" != *" $1 "* && "$v6" != *" $1 "* && "$v4" != " " && "$v6" != " " ]]; fi
}
wait_box() { # box in|out seconds
  local deadline=$(( $(date +%s%N) + $3 * 1000000000 ))
  while [ "$(date +%s%N)" -lt "$deadline" ]; do box_is "$1" "$2" && return 0; sleep 0.01; done
  echo "box $1 not $2 after $3 s: r4 routes to $(hops4), r6 to $(hops6)"
  birdc_in "$R4" r4 show protocols 2>&1 | sed 's/^/  r4: /'
  birdc_in "$R6" r6 show protocols 2>&1 | sed 's/^/  r6: /'
  for box in a b; do birdc_in "${BOX_NS[$box]}" "box-$box" show protocols 2>&1 | sed "s/^/  box $box: /"; done
  return 1
}
both_in() { wait_box a in 60 && wait_box b in 10; }
check "both upstream routers install both boxes as equal next hops (BGP, merge paths)" both_in
[ "$E2E_FAILED" -eq 0 ] || { e2e_summary; exit 1; } # nothing after this could pass
digest() { ctl "$1" status | grep -o 'digest [0-9a-f]*'; }
same_digest() { local a b; a=$(digest a) b=$(digest b); echo "a: $a; b: $b"; [ -n "$a" ] && [ "$a" = "$b" ]; }
check "both boxes report the same EAMT digest, loaded in opposite orders" same_digest

# The traffic: 20 TCP connections and a UDP stream at 500 datagrams a second over 16 flows.
STOP=$E2E_TMP/stop-traffic
ip netns exec "$H6" "$TRAFFIC" tcp-server 2001:db8:100::5 5001 & E2E_PIDS+=($!)
ip netns exec "$H6" "$TRAFFIC" udp-receiver 2001:db8:100::5 6001 "$E2E_TMP/udp-received.json" &
UDP_RECEIVER=$!; E2E_PIDS+=($!)
sleep 0.5
ip netns exec "$H4" "$TRAFFIC" tcp-clients 198.51.100.5 5001 20 "$STOP" "$E2E_TMP/tcp.json" &
TCP_CLIENTS=$!; E2E_PIDS+=($!)
UDP_RATE=500
ip netns exec "$H4" "$TRAFFIC" udp-sender 198.51.100.5 6001 16 "$UDP_RATE" "$STOP" "$E2E_TMP/udp-sent.json" &
UDP_SENDER=$!; E2E_PIDS+=($!)
sleep 3

translated() { # box counter
  ctl "$1" stats -a -j | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['counters']['$2'])"
}
spread() {
  local box tcp udp
  for box in a b; do
    tcp=$(translated "$box" translated_4to6_tcp) udp=$(translated "$box" translated_4to6_udp)
    echo "box $box translated from the client: $tcp TCP, $udp UDP"
    [ "$tcp" -gt 0 ] && [ "$udp" -gt 0 ] || return 1
  done
}
check "flows spread over both boxes: each translated TCP and UDP from the client" spread

EVENTS=()
# Times the upstream routers take to drop box $1 from their next hops, in ms from $2 (ns since
# the epoch); records the event's name $3 and window for the loss count.
measure_withdrawal() { # box start-ns event
  local box=$1 start=$2 v4_ms="" v6_ms="" now
  while :; do
    now=$(date +%s%N)
    [ -z "$v4_ms" ] && [[ " $(hops4)" != *" $box "* ]] && v4_ms=$(( (now - start) / 1000000 ))
    [ -z "$v6_ms" ] && [[ " $(hops6)" != *" $box "* ]] && v6_ms=$(( (now - start) / 1000000 ))
    [ -n "$v4_ms" ] && [ -n "$v6_ms" ] && break
    [ $(( now - start )) -gt 10000000000 ] && break
    sleep 0.005
  done
  echo "${v4_ms:-never} ${v6_ms:-never}"
}
within_limit() { # ms-pair limit-ms
  set -- $1 "$2"
  [ "$1" != never ] && [ "$2" != never ] && [ "$1" -le "$3" ] && [ "$2" -le "$3" ]
}
event_begins() { EVENT_START=$(date +%s%N); }
event_ends() { EVENTS+=("$1 $EVENT_START $(date +%s%N)"); }
REJOIN_MS=()
# Box $1 back on its own since $3 (ns since the epoch: its siitd started or resumed): both
# routers take it back, and it translates the client's traffic again.
rejoin() { # box label since-ns
  local status=0 ms
  wait_box "$1" in 30 >"$OUT" 2>&1 || status=1
  ms=$(( ($(date +%s%N) - $3) / 1000000 ))
  REJOIN_MS+=("$2 $ms")
  check "$2: box $1 rejoins on its own: both upstream routers take it back as a next hop ($ms ms)" \
    replay_output "$status"
  sleep 2
  local before; before=$(translated "$1" translated_4to6_udp)
  sleep 1
  check "$2: ... and translates the client's traffic again" \
    test "$(translated "$1" translated_4to6_udp)" -gt "$before"
}
replay_output() { cat "$OUT"; return "$1"; }

# 1. SIGKILL: the process, its tap interfaces and its announce interface go at once.
event_begins
exec 3>&2 2>/dev/null # (bash reports a killed job on standard error)
kill -KILL "${BOX_PID[a]}"
KILL_MS=$(measure_withdrawal a "$EVENT_START")
wait "${BOX_PID[a]}"
exec 2>&3 3>&-
check "kill: the upstream routers dropped box a within BFD detection ($BFD_DETECTION_MS ms) + 1 s (r4 r6, ms: $KILL_MS)" \
  within_limit "$KILL_MS" $((BFD_DETECTION_MS + 1000))
sleep 2
SINCE=$(date +%s%N)
start_box a
event_ends kill
rejoin a kill "$SINCE"

# 2. SIGSTOP: the interfaces stay up and nothing answers; BFD must catch it.
event_begins
kill -STOP "${BOX_PID[a]}"
HANG_MS=$(measure_withdrawal a "$EVENT_START")
check "hang: the upstream routers dropped box a within BFD detection ($BFD_DETECTION_MS ms) + 1 s (r4 r6, ms: $HANG_MS)" \
  within_limit "$HANG_MS" $((BFD_DETECTION_MS + 1000))
sleep 2
SINCE=$(date +%s%N)
kill -CONT "${BOX_PID[a]}"
event_ends hang
rejoin a hang "$SINCE"

# 3. A link lost: box a's IPv6 side goes dark (its neighbour's end goes down). The IPv6 router
# loses its route with the link; the IPv4 router hears the withdrawal from box a itself, whose
# announce interface goes down with the port's link.
event_begins
ip -n "$R6" link set a6 down
LINK_MS=$(measure_withdrawal a "$EVENT_START")
check "link loss: both upstream routers dropped box a within 1 s (r4 r6, ms: $LINK_MS)" \
  within_limit "$LINK_MS" 1000
check "link loss: box a's status names the lost link as the reason" \
  output_has "siitd-up down (port ipv6-side link down)" ctl a status
sleep 1
SINCE=$(date +%s%N)
ip -n "$R6" link set a6 up
event_ends link-loss
rejoin a link-loss "$SINCE"

# 4. An upgrade: drain, wait until the traffic has moved, stop, start again.
event_begins
ctl a drain >"$E2E_TMP/drain.out" 2>&1
DRAIN_MS=$(measure_withdrawal a "$EVENT_START")
drained() { within_limit "$DRAIN_MS" 2000 && ctl a status | grep 'siitd-up down (draining); draining since'; }
check "drain: the upstream routers dropped box a (r4 r6, ms: $DRAIN_MS); status says it drains" drained
check "drain: siitctl drain --wait returns once nothing arrives for translation" \
  output_has "drained after" ctl a drain --wait --timeout 20
stop_box a
SINCE=$(date +%s%N)
start_box a
event_ends drain-upgrade
rejoin a drain-upgrade "$SINCE"

# 5. A new EAM entry, rolled across the fleet: added everywhere, then announced; withdrawn
# everywhere, then removed. No box translates 198.51.102.7 while another does not.
event_begins
NEW_ENTRY="198.51.102.7/32 2001:db8:100::1:7/128"
added_unannounced() {
  local box
  for box in a b; do ctl "$box" eamt add $NEW_ENTRY || return 1; done
  ! ip -n "$R4" route show 198.51.102.7 | grep .
}
check "rollout: the new entry is added to both boxes before anybody announces it" added_unannounced
check "rollout: both boxes have the same digest again" same_digest
for box in "${BOXES[@]}"; do box_site "$box" 198.51.102.7/32; birdc_in "${BOX_NS[$box]}" "box-$box" configure >/dev/null; done
announced_reached() {
  for _ in $(seq 1 100); do [ "$(hops4 198.51.102.7)" = "a b " ] && break; sleep 0.1; done
  echo "r4 routes 198.51.102.7 to boxes $(hops4 198.51.102.7)"
  [ "$(hops4 198.51.102.7)" = "a b " ] && ip netns exec "$H4" ping -c 10 -i 0.1 -W 2 198.51.102.7
}
check "rollout: then announced by both, it is reached through the fleet" announced_reached
for box in "${BOXES[@]}"; do box_site "$box"; birdc_in "${BOX_NS[$box]}" "box-$box" configure >/dev/null; done
withdrawn_removed() {
  local box
  for _ in $(seq 1 100); do ip -n "$R4" route show 198.51.102.7 | grep -q . || break; sleep 0.1; done
  ! ip -n "$R4" route show 198.51.102.7 | grep . || return 1
  for box in a b; do ctl "$box" eamt remove 198.51.102.7/32 || return 1; done
}
check "rollout: withdrawn by both, then removed from both" withdrawn_removed
sleep 1
event_ends rollout

# The traffic stops; what came through.
touch "$STOP"
wait "$TCP_CLIENTS" "$UDP_SENDER"
sleep 0.5
kill -TERM "$UDP_RECEIVER"; wait "$UDP_RECEIVER" 2>/dev/null
REPORT=$(/usr/bin/python3 - "$E2E_TMP" "$UDP_RATE" "${EVENTS[@]}" <<'PY'
import json, sys
tmp, rate, events = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
sent = json.load(open(tmp + "/udp-sent.json"))
arrivals = json.load(open(tmp + "/udp-received.json"))
received = set(arrivals["received"])
late = {int(s): d for s, d in arrivals["late"].items()}
tcp = json.load(open(tmp + "/tcp.json"))
lost = [s for s in range(sent["sent"]) if s not in received]
when = lambda s: sent["start"] + s / sent["rate"]
out = {"udp_sent": sent["sent"], "udp_lost": len(lost), "tcp_open": tcp["open"],
       "tcp_survived": tcp["survived"], "tcp_failures": [c for c in tcp["connections"] if not c["ok"]]}
for e in events:
    name, start, end = e.split()
    start, end = int(start) / 1e9, int(end) / 1e9
    out["lost_" + name] = sum(1 for s in lost if start - 0.05 <= when(s) <= end)
    held = [d for s, d in late.items() if start - 0.05 <= when(s) <= end]
    out["late_" + name] = len(held)
    out["latest_" + name] = max(held, default=0)
print(json.dumps(out))
PY
)
echo "fleet: $REPORT"
figure() { /usr/bin/python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$REPORT" "$1"; }
echo "fleet figures ($(date -u +%Y-%m-%d), $(nproc) CPUs): failover after a kill: r4 r6 ${KILL_MS} ms," \
  "UDP lost $(figure lost_kill) of $UDP_RATE/s; after a hang: r4 r6 ${HANG_MS} ms, UDP lost $(figure lost_hang)," \
  "held in the hung box's ring and delivered late $(figure late_hang) (up to $(figure latest_hang) s);" \
  "after a link loss: r4 r6 ${LINK_MS} ms, UDP lost $(figure lost_link-loss), held in the lost link's queue" \
  "and delivered late $(figure late_link-loss);" \
  "drained upgrade: withdrawn in ${DRAIN_MS} ms, UDP lost $(figure lost_drain-upgrade); rollout: UDP lost $(figure lost_rollout);" \
  "TCP connections survived: $(figure tcp_survived) of $(figure tcp_open); back in the routers' next hops" \
  "after (ms from siitd's start or resumption): ${REJOIN_MS[*]}"
check "every TCP connection survived every event and completed its transfer" \
  test "$(figure tcp_survived)" = 20
check "the drained upgrade lost no UDP datagram" test "$(figure lost_drain-upgrade)" = 0
check "the EAMT rollout lost no UDP datagram" test "$(figure lost_rollout)" = 0
check "UDP lost to the kill and the hang stays within their failover time" /usr/bin/python3 -c "
import json; r = json.loads('''$REPORT''')
limit = ($BFD_DETECTION_MS + 1000) / 1000 * $UDP_RATE
assert r['lost_kill'] <= limit and r['lost_hang'] <= limit, r"
for box in "${BOXES[@]}"; do stop_box "$box"; done
e2e_summary
