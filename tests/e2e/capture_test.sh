#!/usr/bin/env bash
# Packet capture on a running siitd, with real traffic between an IPv6-only and an IPv4-only host
# (the two-armed topology, ports on veth pairs through net_af_packet):
# - siitctl capture: what siitd received and what it sent for it, linked by one packet id, each
#   with its port and direction; the ICMP errors siitd generated; drops with their counter's name;
#   the port, direction and libpcap filter choices; refusals; a stalled reader loses capture
#   records (counted) while traffic flows untouched;
# - the stock dpdk-dumpcap attaching to siitd (hugepages and a file prefix: DPDK's secondary
#   processes need the EAL's shared files).
# e2e-timeout: 300
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT
TSHARK=(tshark -n)

# Hugepages for this scenario (dpdk-dumpcap cannot attach to a --no-huge siitd): hugetlbfs
# mounted, and pages reserved if there are too few; what was reserved is given back at the end.
HUGE_BEFORE=$(cat /proc/sys/vm/nr_hugepages)
mountpoint -q /dev/hugepages || { mkdir -p /dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages; }
[ "$HUGE_BEFORE" -ge 256 ] || echo 256 >/proc/sys/vm/nr_hugepages
capture_cleanup() {
  e2e_cleanup
  rm -f /dev/hugepages/"$PREFIX"*
  [ "$HUGE_BEFORE" -ge 256 ] || echo "$HUGE_BEFORE" >/proc/sys/vm/nr_hugepages
}
trap capture_cleanup EXIT

two_armed_topology
edit_config "$E2E_TMP/siitd.json" 'for option in ["--no-huge", "-m", "256", "--no-shconf"]: c["eal"].remove(option)'
start_siitd "$RT" "$E2E_TMP/siitd.json" || exit 1

# Starts `siitctl capture ARGS... -w FILE` in the background; returns once siitd has started it.
# CAPTURE_PID is siitctl's own (for signals); its exit status lands in $CAPTURE_RC.
CAPTURE_ERR=$E2E_TMP/capture.err
CAPTURE_RC=$E2E_TMP/capture.rc
start_capture() { # file args...
  local file=$1; shift
  # The previous capture's messages are gone before this one starts: a stale "capturing on" must
  # not be read as this capture's.
  rm -f "$CAPTURE_RC" "$E2E_TMP/capture.pid" "$CAPTURE_ERR"
  ( bash -c 'echo $$ >"$0"; exec "$@"' "$E2E_TMP/capture.pid" "$SIITCTL" capture "$@" -w "$file" \
      2>"$CAPTURE_ERR"; echo $? >"$CAPTURE_RC" ) &
  E2E_PIDS+=($!)
  for _ in $(seq 1 50); do
    [ -s "$E2E_TMP/capture.pid" ] && grep -q "capturing on" "$CAPTURE_ERR" 2>/dev/null && break
    sleep 0.1
  done
  CAPTURE_PID=$(cat "$E2E_TMP/capture.pid")
  grep -q "capturing on" "$CAPTURE_ERR" || { echo "siitctl capture did not start: $(cat "$CAPTURE_ERR")"; return 1; }
}
# Passes when siitctl capture ends within $1 seconds, successfully.
wait_capture() { # seconds
  for _ in $(seq 1 $(($1 * 10))); do [ -s "$CAPTURE_RC" ] && break; sleep 0.1; done
  [ "$(cat "$CAPTURE_RC" 2>/dev/null)" = 0 ] ||
    { echo "siitctl capture: exit status $(cat "$CAPTURE_RC" 2>/dev/null): $(cat "$CAPTURE_ERR")"; return 1; }
}
# One line per captured packet: id, port, direction (1 in, 2 out), protocol fields, comment.
fields() { # file
  "${TSHARK[@]}" -r "$1" -T fields -E separator='|' -e frame.packet_id -e frame.interface_name \
    -e frame.packet_flags_direction -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst -e icmp.type \
    -e icmpv6.type -e icmp.seq -e icmpv6.echo.sequence_number -e frame.comment 2>/dev/null |
    sed 's/|0x00000001|/|in|/; s/|0x00000002|/|out|/'
}

# 1. Three echo requests from the IPv6 host, captured as they come in on ipv6-side: each with
# its translation (sent on ipv4-side), one id per pair.
PAIRS=$E2E_TMP/pairs.pcapng
start_capture "$PAIRS" --port ipv6-side --direction rx -c 3 -f "icmp6[icmp6type] == icmp6-echo" || exit 1
ip netns exec "$H6" ping -c 3 -i 0.2 -W 2 2001:db8:64::192.0.2.10 >/dev/null
check "capture -c 3 ends by itself after three pairs" wait_capture 10
check "siitctl reports the packets and no loss" \
  grep -q "6 packets (3 received with what siitd sent for them, or sent alone) written to .*; 0 lost" "$CAPTURE_ERR"
check "the capture is pcapng that tshark reads" "${TSHARK[@]}" -r "$PAIRS" -c 1
fields "$PAIRS" >"$E2E_TMP/pairs.txt"
pairs_are_linked() {
  /usr/bin/python3 - "$E2E_TMP/pairs.txt" <<'PY'
import sys, collections
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1]) if l.strip()]
by_id = collections.defaultdict(list)
for r in rows:
    by_id[r[0]].append(r)
assert len(rows) == 6 and len(by_id) == 3, rows
for pid, (rx, tx) in by_id.items():
    # Received on ipv6-side: an ICMPv6 echo request from the IPv6 host to pool6.
    assert rx[1] == "ipv6-side" and rx[2] == "in", rx
    assert rx[5] == "2001:db8:100::5" and rx[6] == "2001:db8:64::c000:20a" and rx[8] == "128", rx
    assert "received on ipv6-side: translated_6to4_icmp_echo" in rx[11], rx
    # Its translation, sent on ipv4-side: an ICMP echo request from the EAM address.
    assert tx[1] == "ipv4-side" and tx[2] == "out", tx
    assert tx[3] == "198.51.100.5" and tx[4] == "192.0.2.10" and tx[7] == "8", tx
    assert tx[9] == rx[10], (rx, tx)  # the same echo sequence number
    assert "sent on ipv4-side: translation of" in tx[11], tx
print("ok")
PY
}
check "each received packet and its translation share an id, port and direction" pairs_are_linked

# 2. Both directions on every port: the replies come in on ipv4-side and leave on ipv6-side. The
# filter keeps a pair when one of its packets matches: "icmp" keeps the ICMPv6 requests too.
BOTH=$E2E_TMP/both.pcapng
start_capture "$BOTH" -c 4 -f icmp || exit 1
ip netns exec "$H6" ping -c 2 -i 0.2 -W 2 2001:db8:64::192.0.2.10 >/dev/null
check "capture -c 4 (requests and replies) ends by itself" wait_capture 10
check "replies: received on ipv4-side, sent on ipv6-side as an echo reply" \
  output_has "ipv4-side|in|192.0.2.10|198.51.100.5|||0" fields "$BOTH"
check "... and their translation, sent on ipv6-side" \
  output_has "ipv6-side|out|||2001:db8:64::c000:20a|2001:db8:100::5||129" fields "$BOTH"

# 3. What siitd generated and what it dropped, with the counters' names. The IPv4 host's TTL 1
# expires in siitd (an ICMP Time Exceeded goes back to it); 127.0.0.1 is never translated.
EVENTS=$E2E_TMP/events.pcapng
start_capture "$EVENTS" --duration 3 || exit 1
ip netns exec "$H4" ping -c 1 -t 1 -W 1 198.51.100.5 >/dev/null
ip netns exec "$H6" ping -c 1 -W 1 2001:db8:64::7f00:1 >/dev/null
check "capture --duration 3 ends by itself" wait_capture 10
# (The error comes from RFC 7600's 192.0.0.8, as no pool6791v4 is set: tshark lists the outer
# and the inner header's addresses.)
check "an ICMP error siitd generated, sent back on the port the packet came in by" \
  output_has "ipv4-side|out|192.0.0.8,192.0.2.10|192.0.2.10,198.51.100.5|||11,8|" fields "$EVENTS"
generated_error_is_linked() {
  local id
  id=$(fields "$EVENTS" | grep -F "ipv4-side|out|192.0.0.8,192.0.2.10|" | cut -d'|' -f1)
  fields "$EVENTS" | grep "^$id|ipv4-side|in|192.0.2.10|198.51.100.5|" | grep -q "drop_ipv4_ttl_expired" &&
    fields "$EVENTS" | grep "^$id|ipv4-side|out|" | grep -q "ICMP error siitd generated for #"
}
check "... its comment names the rule, and its trigger carries the same id" generated_error_is_linked
check "a drop carries its counter's name" \
  output_has "received on ipv6-side: dropped: drop_never_translated_6to4" fields "$EVENTS"

# 4. Choices the operator makes, and refusals.
TX=$E2E_TMP/tx.pcapng
start_capture "$TX" --port ipv4-side --direction tx -c 2 -f icmp || exit 1
ip netns exec "$H6" ping -c 2 -i 0.2 -W 2 2001:db8:64::192.0.2.10 >/dev/null
check "--direction tx: what left ipv4-side, with what it was translated from" wait_capture 10
only_pairs_leaving_ipv4_side() {
  local got
  got=$(fields "$TX" | cut -d'|' -f2,3 | sort | uniq -c | tr -s ' ' | tr '\n' ';')
  [ "$got" = " 2 ipv4-side|out; 2 ipv6-side|in;" ] || { echo "$got"; fields "$TX"; return 1; }
}
check "... only pairs whose packet left on that port" only_pairs_leaving_ipv4_side
check "an unknown port is refused, naming the ports" \
  status_is 1 "$SIITCTL" capture --port nosuch -c 1 -w "$E2E_TMP/x.pcapng"
check "... with the reason" grep -q "no port 'nosuch' (ports: ipv4-side, ipv6-side" "$OUT"
check "... and leaves no file" test ! -e "$E2E_TMP/x.pcapng"
check "a filter libpcap refuses is refused with its reason" \
  status_is 1 "$SIITCTL" capture -f "icmp and and" -c 1 -w "$E2E_TMP/x.pcapng"
check "... naming the filter" grep -q "filter 'icmp and and'" "$OUT"
check "without -w on a terminal, siitctl says how to write it" \
  bash -c "script -qec '$SIITCTL capture -c 1' /dev/null | grep -q 'give -w FILE.pcapng'"

# 5. A reader that stalls: the capture loses records and counts them, traffic does not suffer.
# siitctl is stopped (SIGSTOP) while a flood of pings crosses siitd, then resumed and ended
# with Ctrl-C: siitd ends the stream with its statistics.
STALL=$E2E_TMP/stall.pcapng
start_capture "$STALL" -f icmp6 || exit 1
check "a second capture while one runs is refused" \
  status_is 1 "$SIITCTL" capture -c 1 -w "$E2E_TMP/y.pcapng"
check "... one at a time" grep -q "a capture is already running" "$OUT"
kill -STOP "$CAPTURE_PID"
ip netns exec "$H6" ping -f -c 6000 -s 1000 -W 1 2001:db8:64::192.0.2.10 >"$E2E_TMP/flood.txt" 2>&1
check "traffic flows while the capture's reader stalls: no ping lost" grep -q " 0% packet loss" "$E2E_TMP/flood.txt"
kill -CONT "$CAPTURE_PID"
kill -INT "$CAPTURE_PID"
check "Ctrl-C ends the capture cleanly" wait_capture 20
check "the capture counted what it lost" grep -qE "; [1-9][0-9]* lost by the capture" "$CAPTURE_ERR"
lost_in_file() {
  "${TSHARK[@]}" -r "$STALL" -q -z io,stat,0 >/dev/null 2>&1 || return 1
  /usr/bin/python3 - "$STALL" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
at, dropped = 0, 0
while at + 12 <= len(data):
    kind, length = struct.unpack_from("<II", data, at)
    if kind == 5:  # Interface Statistics: options after interface id and timestamp
        o = at + 20
        while o + 4 <= at + length - 4:
            code, size = struct.unpack_from("<HH", data, o)
            if code == 0: break
            if code == 7: dropped += struct.unpack_from("<Q", data, o + 4)[0]
            o += 4 + (size + 3) // 4 * 4
    at += length
assert dropped > 0, dropped
print("isb_osdrop", dropped)
PY
}
check "... in the pcapng's interface statistics too" lost_in_file
check "siitd sent no packet less: tx_dropped is 0" \
  bash -c "\"$SIITCTL\" stats -j | grep -q '\"tx_dropped\": 0'"

# 6. The stock dpdk-dumpcap attaches to siitd's ports.
DUMP=$E2E_TMP/dump.pcapng
timeout 30 dpdk-dumpcap --file-prefix="$PREFIX" -i net_af_packet1 -c 4 -w "$DUMP" -q \
  >"$E2E_TMP/dumpcap.out" 2>&1 &
DUMPCAP_PID=$!
sleep 2
ip netns exec "$H6" ping -c 4 -i 0.2 -W 2 2001:db8:64::192.0.2.10 >/dev/null
check "dpdk-dumpcap attaches to siitd and captures" wait "$DUMPCAP_PID"
check "... ipv6-side's echo requests and replies" \
  bash -c "[ \"\$(${TSHARK[*]} -r '$DUMP' -Y icmpv6 2>/dev/null | wc -l)\" -ge 4 ] || cat '$E2E_TMP/dumpcap.out'"

stop_siitd >/dev/null
e2e_summary
