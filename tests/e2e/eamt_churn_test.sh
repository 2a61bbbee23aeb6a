#!/usr/bin/env bash
# The EAMT changes 1000 times a second while traffic flows: siitd two-armed on
# net_af_packet, the IPv4 host sends numbered UDP datagrams to 198.51.100.5 at a steady rate, and a
# control client flips the EAM for 198.51.100.0/24 between 2001:db8:100::/120 and
# 2001:db8:101::/120 with atomic replaces. The IPv6 host holds both addresses and records where each
# datagram arrived. Every datagram sent must arrive at the old or the new mapping, or be counted in
# a named drop: none lost silently. No worker stalls: datagrams keep arriving throughout (no gap
# over 100 ms), and retired table versions are freed.
#
# With SIIT_CHURN_TABLE=N (eamt_churn_million_test.sh sets a million), the table first holds N
# other entries besides 198.51.100.0/24 <-> 2001:db8:100::/120, and the churn is single changes,
# each its own atomic request: 198.51.100.5/32 <-> 2001:db8:101::5/128 added, then removed, and
# so on, so that the /24 answers whenever the /32 is away and no moment lacks a mapping.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT
SECONDS_OF_CHURN=${SIIT_CHURN_SECONDS:-3}
CHURN_TABLE=${SIIT_CHURN_TABLE:-0}

two_armed_topology
ip -n "$H6" addr add 2001:db8:101::5/64 dev eth0 nodad
start_siitd "$RT" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
if [ "$CHURN_TABLE" -gt 0 ]; then
  /usr/bin/python3 -c "
print('198.51.100.0/24 2001:db8:100::/120')
for i in range($CHURN_TABLE): print(f'10.{i >> 16}.{(i >> 8) & 255}.{i & 255} 2001:db8:ee:{i >> 16:x}:{i & 0xffff:x}::')
" >"$E2E_TMP/table.txt"
  check "the table holds $CHURN_TABLE entries and the /24 before the churn" bash -c \
    "'$SIITCTL' eamt replace '$E2E_TMP/table.txt' | grep -qF 'the EAMT has $((CHURN_TABLE + 1)) entries'"
fi

# Receiver: every datagram's sequence number and the address it arrived at.
ip netns exec "$H6" /usr/bin/python3 - "$E2E_TMP/received.txt" "$((SECONDS_OF_CHURN + 4))" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
s.bind(("::", 9000))
s.settimeout(0.5)
end = time.monotonic() + float(sys.argv[2])
with open(sys.argv[1], "w") as out:
    while time.monotonic() < end:
        try:
            data, ancillary, _, _ = s.recvmsg(2048, 1024)
        except socket.timeout:
            continue
        dst = socket.inet_ntop(socket.AF_INET6, ancillary[0][2][:16])
        out.write(f"{data.decode()} {dst} {time.monotonic():.6f}\n")
PY
receiver=$!
E2E_PIDS+=($receiver)
sleep 0.5

# Churn: atomic replaces on one connection, paced to 1000 per second, from the moment the sender
# starts until it stops (files mark both, so a slow start on a busy machine shifts nothing).
/usr/bin/python3 - "$SIITCTL_SOCKET" "$E2E_TMP" "$SECONDS_OF_CHURN" "$CHURN_TABLE" >"$E2E_TMP/churn.txt" <<'PY' &
import json, os, socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rwb")
sending, sent = os.path.join(sys.argv[2], "sending"), os.path.join(sys.argv[2], "sent")
limit = time.monotonic() + 30
while not os.path.exists(sending) and time.monotonic() < limit: time.sleep(0.001)
start = time.monotonic(); done = refused = 0
while not os.path.exists(sent) and time.monotonic() - start < float(sys.argv[3]) + 10:
    if int(sys.argv[4]) > 0:
        command = "eamt.add" if done % 2 == 0 else "eamt.remove"
        request = {"command": command, "entries": [{"ipv4": "198.51.100.5/32", "ipv6": "2001:db8:101::5/128"}]}
    else:
        six = "2001:db8:101::/120" if done % 2 == 0 else "2001:db8:100::/120"
        request = {"command": "eamt.replace", "entries": [{"ipv4": "198.51.100.0/24", "ipv6": six}]}
    f.write((json.dumps(request) + "\n").encode()); f.flush()
    refused += not json.loads(f.readline())["ok"]
    done += 1
    ahead = start + done / 1000.0 - time.monotonic()
    if ahead > 0: time.sleep(ahead)
print(done, refused, done / (time.monotonic() - start))
PY
churn=$!

# Sender: numbered datagrams at about 5000 per second for the whole churn.
sent=$(ip netns exec "$H4" /usr/bin/python3 - "$SECONDS_OF_CHURN" "$E2E_TMP" <<'PY'
import os, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
open(os.path.join(sys.argv[2], "sending"), "w").close()
start = time.monotonic(); n = 0
while time.monotonic() - start < float(sys.argv[1]):
    for _ in range(50):
        s.sendto(str(n).encode(), ("198.51.100.5", 9000)); n += 1
    ahead = start + n / 5000.0 - time.monotonic()
    if ahead > 0: time.sleep(ahead)
open(os.path.join(sys.argv[2], "sent"), "w").close()
print(n)
PY
)
wait "$churn"
wait "$receiver"
stats=$(stop_siitd)
[ -n "$stats" ] || { echo "siitd printed no counters:"; tail -5 "$E2E_TMP/siitd.err"; }
read -r updates refused rate <"$E2E_TMP/churn.txt"
echo "churn: $updates updates ($rate per second), $refused refused; $sent datagrams sent"

check "the control client sustained at least 900 EAMT updates per second, none refused" \
  /usr/bin/python3 -c "assert float('$rate') >= 900 and int('$refused') == 0 and int('$updates') >= 900 * $SECONDS_OF_CHURN * 0.9"
check "every datagram arrived at the old or the new mapping, both seen" /usr/bin/python3 - "$E2E_TMP/received.txt" <<PY
import sys
rows = [l.split() for l in open(sys.argv[1])]
dsts = {r[1] for r in rows}
assert dsts <= {"2001:db8:100::5", "2001:db8:101::5"}, dsts
assert len(dsts) == 2, dsts
seqs = [int(r[0]) for r in rows]
assert len(seqs) == len(set(seqs)), "duplicates"
print(len(rows), "received")
PY
check "sent = translated + named drops, and translated = received: none lost silently" /usr/bin/python3 - "$E2E_TMP/received.txt" <<PY
import json, sys
s = json.loads('''$stats''')
received = sum(1 for _ in open(sys.argv[1]))
sent = int("$sent")
drops4 = sum(v for k, v in s.items() if k.startswith("drop_") and ("4" in k or k in ("drop_not_ip", "drop_runt_frame")) and "6" not in k)
assert s["translated_4to6_udp"] + drops4 == sent, (sent, s["translated_4to6_udp"], drops4)
assert s["tx_dropped"] == 0, s
assert received == s["translated_4to6_udp"], (received, s["translated_4to6_udp"])
PY
if [ "$CHURN_TABLE" -gt 0 ]; then
  check "at $CHURN_TABLE entries, single changes lose no datagram: every one sent was translated" \
    /usr/bin/python3 -c "import json; assert json.loads('''$stats''')['translated_4to6_udp'] == int('$sent')"
fi
check "no worker stalled: no gap over 100 ms between datagrams" /usr/bin/python3 - "$E2E_TMP/received.txt" <<'PY'
import sys
t = sorted(float(l.split()[2]) for l in open(sys.argv[1]))
gap = max(b - a for a, b in zip(t, t[1:]))
assert gap < 0.1, gap
PY
e2e_summary
