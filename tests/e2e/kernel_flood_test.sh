#!/usr/bin/env bash
# The exception path under a flood: the router box (kernel interfaces k4 and k6) with the kernel's
# share limited to 300 frames per second per worker (kernel-packets-per-second). An IPv4 host
# floods the box's own address with pings while the IPv6 host pings through the translator: every
# translated ping is answered, the flood is cut and counted (drop_kernel_rate_limited), and the
# box's own neighbours stay resolved. Prints what the kernel path carries unlimited, for
# docs/af_xdp.md.
# e2e-timeout: 200
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

router_box_topology
edit_config "$E2E_TMP/siitd.json" 'c["kernel-packets-per-second"] = 300; c["kernel-packet-burst"] = 100'
start_siitd "$RT" "$E2E_TMP/siitd.json" || { e2e_summary; exit 1; }
box_addresses
check "the box answers its own address under the limit" \
  ip netns exec "$H4" ping -c 3 -i 0.2 -W 2 192.0.2.1
counter() { "$SIITCTL" --json stats | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['counters']['$1'])"; }

ip netns exec "$H4" ping -f -c 20000 -W 1 192.0.2.1 >"$E2E_TMP/flood.txt" 2>&1 &
FLOOD=$!
check "during the flood to the box, every translated ping is answered" \
  ip netns exec "$H6" ping -6 -c 40 -i 0.05 -W 2 2001:db8:64::192.0.2.10
wait "$FLOOD"
check "the flood was cut and counted" bash -c "[ \"\$(\"$SIITCTL\" --json stats | /usr/bin/python3 -c \"import json,sys; print(json.load(sys.stdin)['counters']['drop_kernel_rate_limited'])\")\" -gt 1000 ]"
check "... the kernel got about its share, not the flood" bash -c "
  got=\$(sed -n 's/.* \([0-9]*\) received.*/\1/p' '$E2E_TMP/flood.txt'); echo \"flood answered: \$got of 20000\"; [ \"\$got\" -lt 19000 ]"
check "the box still resolves its next hops" output_has "2 resolved, 0 unresolved" "$SIITCTL" status
check "... and answers its own address after the flood" \
  ip netns exec "$H4" ping -c 3 -i 0.2 -W 2 192.0.2.1
stop_siitd >/dev/null

# What the kernel path carries without the limit (informational: the docs quote it).
edit_config "$E2E_TMP/siitd.json" 'c["kernel-packets-per-second"] = 10000000; c["kernel-packet-burst"] = 1000000'
start_siitd "$RT" "$E2E_TMP/siitd.json" || { e2e_summary; exit 1; }
wait_box_addresses >/dev/null 2>&1 || box_addresses
start=$(date +%s.%N)
ip netns exec "$H4" ping -f -c 20000 -W 1 192.0.2.1 >"$E2E_TMP/unlimited.txt" 2>&1
end=$(date +%s.%N)
echo "kernel path, unlimited: $(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$E2E_TMP/unlimited.txt") of 20000 flood pings answered by the box in $(/usr/bin/python3 -c "print(round($end - $start, 1))") s"
stop_siitd >/dev/null
e2e_summary
