#!/usr/bin/env bash
# The router box's paths, on router_box_topology with a 1400-byte IPv4 link: traceroute
# across the translator both ways (Time Exceeded and Port Unreachable translated back with their
# inner packets), Path MTU discovery for TCP from the IPv6 host (Packet Too Big from siitd), and a
# large UDP datagram with DF=0 from the IPv4 host, fragmented, translated to IPv6 fragments and
# reassembled by the IPv6 host's kernel. Afterwards the mbufs in use are back at their idle level.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

router_box_topology 1400
# DPDK 22.11's net_af_packet joins its socket to a fanout group with PACKET_FANOUT_FLAG_DEFRAG: the
# kernel reassembles IPv4 fragments before siitd sees them (and a datagram over the ring's frame
# size arrives truncated). The IPv4 port here is net_pcap on the same veth, which sees fragments as
# they are on the wire, so the DF=0 case below really crosses siitd as fragments.
sed -i 's|net_af_packet0,iface=s4|net_pcap0,rx_iface_in=s4,tx_iface=s4|; s|"net_af_packet0"|"net_pcap0"|' "$E2E_TMP/siitd.json"
start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
box_addresses
ip netns exec "$H6" ping -6 -c 1 -W 3 2001:db8:64::192.0.2.10 >/dev/null # next hops resolved
# mbufs in use while idle (the RX rings' own, and the kernel interfaces'): after every path below
# (ICMP errors built and translated, fragments made and taken apart) they must come back to it.
mbufs_in_use() { "$SIITCTL" --json stats | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["mbufs"]["in_use"])'; }
idle_mbufs=$(mbufs_in_use)

# Hop 1 is siitd itself (its RFC 7600 address, 192.0.0.8, under pool6); hop 2 the destination,
# reached when its Port Unreachable comes back translated with the probe inside.
check "traceroute from the IPv6 host: siitd, then the IPv4 host" bash -c "
  out=\$(ip netns exec $H6 traceroute -6 -n -q 1 -w 2 -m 4 2001:db8:64::192.0.2.10)
  echo \"\$out\"
  grep -qE '^ 1  2001:db8:64::c000:8 ' <<<\"\$out\" && grep -qE '^ 2  2001:db8:64::c000:20a ' <<<\"\$out\""
check "traceroute from the IPv4 host: siitd, then the IPv6 host" bash -c "
  out=\$(ip netns exec $H4 traceroute -n -q 1 -w 2 -m 4 198.51.100.5)
  echo \"\$out\"
  grep -qE '^ 1  192.0.0.8 ' <<<\"\$out\" && grep -qE '^ 2  198.51.100.5 ' <<<\"\$out\""

# TCP from the IPv6 host: 1500-byte IPv6 packets do not fit the 1400-byte IPv4 link; siitd
# answers Packet Too Big (1420) and the IPv6 host's TCP shrinks its segments.
ip netns exec "$H4" /usr/bin/python3 - "$E2E_TMP/sink.txt" <<'PY' &
import hashlib, socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.10", 5001)); s.listen(1); s.settimeout(20)
c, _ = s.accept(); c.settimeout(20); h = hashlib.sha256(); n = 0
while True:
    d = c.recv(65536)
    if not d: break
    h.update(d); n += len(d)
open(sys.argv[1], "w").write(f"{n} {h.hexdigest()}\n")
PY
E2E_PIDS+=($!)
sink=$!
sleep 0.3
sent=$(ip netns exec "$H6" /usr/bin/python3 - <<'PY'
import hashlib, os, socket
data = os.urandom(300000)
s = socket.create_connection(("2001:db8:64::192.0.2.10", 5001), timeout=20)
s.sendall(data); s.close()
print(len(data), hashlib.sha256(data).hexdigest())
PY
)
wait "$sink"
check "TCP from the IPv6 host over the smaller IPv4 MTU delivers every byte" \
  test "$sent" = "$(cat "$E2E_TMP/sink.txt" 2>/dev/null)"
check "... after the IPv6 host learned the path MTU from siitd's Packet Too Big" bash -c \
  "ip netns exec $H6 ip -6 route get 2001:db8:64::192.0.2.10 | grep -q 'mtu 1420'"

# A 3000-byte UDP datagram with DF=0 from the IPv4 host: IPv4 fragments in, IPv6 fragments out,
# the IPv6 host's kernel reassembles.
ip netns exec "$H6" /usr/bin/python3 - "$E2E_TMP/udp.txt" <<'PY' &
import hashlib, socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::", 5002)); s.settimeout(10)
d, _ = s.recvfrom(65536)
open(sys.argv[1], "w").write(f"{len(d)} {hashlib.sha256(d).hexdigest()}\n")
PY
E2E_PIDS+=($!)
receiver=$!
sleep 0.3
sent=$(ip netns exec "$H4" /usr/bin/python3 - <<'PY'
import hashlib, os, socket
IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0
data = os.urandom(3000)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)  # DF=0
s.sendto(data, ("198.51.100.5", 5002))
print(len(data), hashlib.sha256(data).hexdigest())
PY
)
wait "$receiver"
check "a fragmented 3000-byte UDP datagram (DF=0) arrives whole at the IPv6 host" \
  test "$sent" = "$(cat "$E2E_TMP/udp.txt" 2>/dev/null)"

# Polled: the last packets may still sit in a TX ring for a moment.
mbufs_back_to_idle() {
  local now
  for _ in $(seq 1 100); do
    now=$(mbufs_in_use); [ "$now" -le "$idle_mbufs" ] && return 0
    sleep 0.05
  done
  echo "mbufs in use: $now, idle before the traffic: $idle_mbufs"; return 1
}
check "every mbuf comes back once the traffic stops (fragments and ICMP errors included)" mbufs_back_to_idle
stats=$(stop_siitd)
check "siitd counted Time Exceeded both ways, Packet Too Big, and fragments" /usr/bin/python3 -c "
import json; s = json.loads('''$stats''')
assert s['drop_ipv6_hop_limit_expired'] >= 1 and s['drop_ipv4_ttl_expired'] >= 1, s
assert s['drop_ipv6_packet_too_big'] >= 1 and s['translated_4to6_fragment'] >= 1, s
assert s['translated_4to6_icmp_error'] >= 1 and s['translated_6to4_icmp_error'] >= 1, s"
e2e_summary
