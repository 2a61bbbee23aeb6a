#!/usr/bin/env bash
# A routing daemon on the box: BIRD in the router namespace runs OSPFv2 on k4 and OSPFv3
# on k6, siitd's kernel interfaces, with a BIRD on each host, and announces the pools: the EAM range
# 198.51.100.0/24 to the IPv4 side and pool6 2001:db8:64::/96 to the IPv6 side. The hosts have no
# static route to them: they learn them by OSPF, whose hellos (multicast, TTL 1, Jool issue #167)
# cross siitd's exception path, and then reach each other through the translator. Then siitd
# restarts: the kernel interfaces come back with their configured addresses, and the sessions
# and routes with them, with no manual step.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

router_box_topology
ip -n "$H4" route del 198.51.100.0/24
ip -n "$H6" -6 route del 2001:db8:64::/96
configure_box_addresses
start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
wait_box_addresses

bird_in() { # ns name config-text
  printf '%s\n' "$3" >"$E2E_TMP/$2.conf"
  ip netns exec "$1" bird -f -c "$E2E_TMP/$2.conf" -s "$E2E_TMP/$2.ctl" -P "$E2E_TMP/$2.pid" \
    >"$E2E_TMP/$2.log" 2>&1 &
  E2E_PIDS+=($!)
}
bird_in "$RT" box "router id 192.0.2.1;
protocol device { scan time 1; }
protocol static pools4 { ipv4; route 198.51.100.0/24 blackhole; }
protocol static pools6 { ipv6; route 2001:db8:64::/96 blackhole; }
protocol ospf v2 ospf4 {
  ipv4 { import none; export where proto = \"pools4\"; };
  area 0 { interface \"k4\" { type ptp; hello 1; dead 4; }; };
}
protocol ospf v3 ospf6 {
  ipv6 { import none; export where proto = \"pools6\"; };
  area 0 { interface \"k6\" { type ptp; hello 1; dead 4; }; };
}"
bird_in "$H4" h4 "router id 192.0.2.10;
protocol device { scan time 1; }
protocol kernel { ipv4 { export all; }; }
protocol ospf v2 { ipv4 { import all; export none; }; area 0 { interface \"eth0\" { type ptp; hello 1; dead 4; }; }; }"
bird_in "$H6" h6 "router id 10.0.0.6;
protocol device { scan time 1; }
protocol kernel { ipv6 { export all; }; }
protocol ospf v3 { ipv6 { import all; export none; }; area 0 { interface \"eth0\" { type ptp; hello 1; dead 4; }; }; }"

learned() { # ns family prefix
  for _ in $(seq 1 60); do
    ip -n "$1" "-$2" route show "$3" | grep -q "proto bird" && return 0
    sleep 0.5
  done
  ip -n "$1" "-$2" route; cat "$E2E_TMP"/*.log | tail -20; return 1
}
check "the IPv4 host learns the EAM range 198.51.100.0/24 by OSPFv2 from the box" learned "$H4" 4 198.51.100.0/24
check "the IPv6 host learns pool6 2001:db8:64::/96 by OSPFv3 from the box" learned "$H6" 6 2001:db8:64::/96
check "the IPv4 host reaches the IPv6 host over the OSPF route, through the translator" \
  ip netns exec "$H4" ping -c 3 -i 0.2 -W 2 198.51.100.5
check "the IPv6 host reaches the IPv4 host over the OSPF route, through the translator" \
  ip netns exec "$H6" ping -6 -c 3 -i 0.2 -W 2 2001:db8:64::192.0.2.10
check "the box's OSPF sessions are up (birdc)" bash -c \
  "ip netns exec $RT birdc -s $E2E_TMP/box.ctl show protocols | grep -E 'ospf4 +OSPF +master4 +up' && ip netns exec $RT birdc -s $E2E_TMP/box.ctl show protocols | grep -E 'ospf6 +OSPF +master6 +up'"

stats=$(stop_siitd)
check "OSPF reached the kernel through the exception path, and nothing was dropped as untranslatable" \
  /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['to_kernel'] > 10 and s['from_kernel'] > 10, s
assert s['drop_untranslatable_dst4'] == 0 and s['drop_untranslatable_dst6'] == 0 and s['drop_ipv4_ttl_expired'] == 0, s"

# A restart, as an upgrade makes one: nobody touches the box's interfaces or BIRD.
start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
wait_box_addresses
sessions_up() {
  for _ in $(seq 1 60); do
    ip netns exec "$RT" birdc -s "$E2E_TMP/box.ctl" show protocols | grep -qE 'ospf4 +OSPF +master4 +up' &&
      ip netns exec "$RT" birdc -s "$E2E_TMP/box.ctl" show protocols | grep -qE 'ospf6 +OSPF +master6 +up' &&
      return 0
    sleep 0.5
  done
  ip netns exec "$RT" birdc -s "$E2E_TMP/box.ctl" show protocols; return 1
}
check "after a restart, the box's OSPF sessions come back on their own" sessions_up
check "... and the hosts reach each other over the routes again" bash -c "
  for _ in \$(seq 1 40); do ip netns exec $H4 ping -c 1 -W 1 198.51.100.5 >/dev/null 2>&1 && break; done
  ip netns exec $H4 ping -c 3 -i 0.2 -W 2 198.51.100.5 && ip netns exec $H6 ping -6 -c 3 -i 0.2 -W 2 2001:db8:64::192.0.2.10"
stats=$(stop_siitd)
check "... the restarted siitd carried OSPF to the kernel again, nothing dropped as untranslatable" \
  /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['to_kernel'] > 0 and s['from_kernel'] > 0, s
assert s['drop_untranslatable_dst4'] == 0 and s['drop_untranslatable_dst6'] == 0 and s['drop_ipv4_ttl_expired'] == 0, s"
e2e_summary
