#!/usr/bin/env bash
# siitd as systemd runs it: READY=1 on NOTIFY_SOCKET only once it translates, STOPPING=1 on the
# way down; each log line once, prefixed with its priority for the journal; SIGHUP reloads the configuration file in one atomic change (a refused change leaves
# the running version working) while traffic flows throughout; the unit passes
# systemd-analyze verify. A Python listener stands in for systemd's notify socket.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

two_armed_topology
CONFIG=$E2E_TMP/siitd.json
NOTIFY_LOG=$E2E_TMP/notify.log
/usr/bin/python3 - "$E2E_TMP/notify.sock" "$NOTIFY_LOG" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        log.write(s.recv(4096).decode().replace("\n", " ") + "\n")
PY
E2E_PIDS+=($!)
for _ in $(seq 1 50); do [ -S "$E2E_TMP/notify.sock" ] && break; sleep 0.1; done

# As systemd starts it: a notify socket, and stderr connected to the journal.
export NOTIFY_SOCKET=$E2E_TMP/notify.sock JOURNAL_STREAM=8:1
start_siitd "$RT" "$CONFIG" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
unset NOTIFY_SOCKET JOURNAL_STREAM
ready_then_answers() {
  for _ in $(seq 1 100); do
    grep -q "READY=1" "$NOTIFY_LOG" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "READY=1 STATUS=translating; 1 worker(s), EAMT 1 entries" "$NOTIFY_LOG" &&
    "$SIITCTL" version >/dev/null && "$SIITCTL" --json stats | grep -q rx_packets
}
check "READY=1 (with a STATUS) reaches the notify socket, and by then siitd answers and counts" \
  ready_then_answers

# Traffic all along: one ping every 0.1 s, counted at the end.
ip netns exec "$H6" ping -6 -c 80 -i 0.1 -W 1 2001:db8:64::192.0.2.10 >"$E2E_TMP/ping.txt" 2>&1 &
PING=$!
E2E_PIDS+=($PING)
sleep 1

edit_config "$CONFIG" "c['translation']['eamt'].append({'ipv4': '203.0.113.0/24', 'ipv6': '2001:db8:200::/120'})
c['translation']['lowest-ipv6-mtu'] = 1400"
kill -HUP "$SIITD_PID"
reloaded() {
  for _ in $(seq 1 30); do
    "$SIITCTL" lookup 203.0.113.5 2>/dev/null | grep -q "by EAMT entry 203.0.113.0/24" && break
    sleep 0.1
  done
  "$SIITCTL" lookup 203.0.113.5 | grep -q "by EAMT entry 203.0.113.0/24" &&
    "$SIITCTL" get lowest-ipv6-mtu | grep -qx 1400
}
check "SIGHUP applies the file's new EAM entry and setting together" reloaded
check "... and the log names the change" \
  bash -c "grep -F 'reload of $CONFIG (SIGHUP): lowest-ipv6-mtu 1280 -> 1400; eamt +1' '$E2E_TMP/siitd.err'"

# It would remove 203.0.113.0/24, but burst needs a restart.
edit_config "$CONFIG" "c['translation']['eamt'] = c['translation']['eamt'][:1]
c['burst'] = 16"
kill -HUP "$SIITD_PID"
refused_logged() {
  for _ in $(seq 1 30); do
    grep -q "^<4>siitd: reload of .* refused: config: burst: differs from the running one" \
      "$E2E_TMP/siitd.err" && return 0
    sleep 0.1
  done
  return 1
}
check "a reload that changes a restart-only setting is refused, saying which" refused_logged
check "... nothing of it applied: the entry it removes is still there" \
  output_has "by EAMT entry 203.0.113.0/24" "$SIITCTL" lookup 203.0.113.5
check "... and siitd keeps running" kill -0 "$SIITD_PID"
echo '{"not": "a siitd file"' >"$CONFIG"
kill -HUP "$SIITD_PID"
sleep 0.5
check "a reload of a broken file is refused too, the table unchanged" \
  output_has "by EAMT entry 203.0.113.0/24" "$SIITCTL" lookup 203.0.113.5

wait "$PING"
check "traffic flowed throughout: no ping lost across the reloads" \
  grep -q " 80 received, 0% packet loss" "$E2E_TMP/ping.txt"
stop_siitd >/dev/null
check "STOPPING=1 on the way down" grep -q "STOPPING=1" "$NOTIFY_LOG"
check "each log line once, on stderr, with its priority for the journal" bash -c "
  grep -q '^<6>siitd: stopping' '$E2E_TMP/siitd.err' &&
  ! grep -v '^<[0-7]>' '$E2E_TMP/siitd.err' | grep -q . && ! grep -q 'EAL:' '$E2E_TMP/siitd.out'"
check "... siitd's own, without DPDK's USER1 prefix, and none of DPDK's account of itself at the default level" bash -c "
  ! grep -q 'USER1' '$E2E_TMP/siitd.err' && ! grep -qE '^<6>(EAL|TELEMETRY): ' '$E2E_TMP/siitd.err'"

# The unit as systemd reads it (its binary paths pointed at this build).
sed "s|/[a-z/]*/sbin/siitd|$SIITD|g" "$E2E_ROOT/build/deploy/siitd.service" >"$E2E_TMP/siitd.service"
# Its Documentation= names the man pages, which systemd-analyze looks up: the ones this build made.
mkdir -p "$E2E_TMP/man/man1" "$E2E_TMP/man/man5" "$E2E_TMP/man/man8"
cp "$E2E_ROOT"/build/docs/*.1 "$E2E_TMP/man/man1/" && cp "$E2E_ROOT"/build/docs/*.8 "$E2E_TMP/man/man8/" &&
  cp "$E2E_ROOT"/build/docs/*.5 "$E2E_TMP/man/man5/"
check "the unit meson installs (deploy/siitd.service.in) passes systemd-analyze verify" \
  bash -c "MANPATH='$E2E_TMP/man' systemd-analyze verify '$E2E_TMP/siitd.service' 2>&1 | tee /dev/stderr | { ! grep -q .; }"
check "... as a notify unit that reloads with SIGHUP" \
  bash -c "grep -qx 'Type=notify' '$E2E_TMP/siitd.service' && grep -qx 'ExecReload=/bin/kill -HUP \$MAINPID' '$E2E_TMP/siitd.service'"
# systemd's own rating of the hardening (0 best, 10 worst): 6.1 before the file-system, kernel-log,
# hostname and system-call restrictions, 4.2 with them. A change that loosens the unit shows here.
check "systemd-analyze security rates the unit's exposure at 4.5 or less" bash -c "
  systemd-analyze security --offline=true '$E2E_TMP/siitd.service' 2>&1 | tail -1 |
    /usr/bin/python3 -c 'import re, sys; line = sys.stdin.read(); print(line)
sys.exit(not float(re.search(r\"level for siitd.service: ([0-9.]+)\", line).group(1)) <= 4.5)'"
# The template: one siitd per file /etc/siitd/INSTANCE.json, each with its own socket directory.
sed "s|/[a-z/]*/sbin/siitd|$SIITD|g" "$E2E_ROOT/build/deploy/siitd@.service" >"$E2E_TMP/siitd@edge.service"
check "the template siitd@.service passes systemd-analyze verify, as instance edge" \
  bash -c "MANPATH='$E2E_TMP/man' systemd-analyze verify '$E2E_TMP/siitd@edge.service' 2>&1 | tee /dev/stderr | { ! grep -q .; }"
check "... the instance's own file, socket and runtime directory" bash -c "
  grep -qE '^ExecStart=.* --config /[a-z/]*etc/siitd/%i.json .*--socket /run/siitd/%i/siitd.sock\$' '$E2E_TMP/siitd@edge.service' &&
  grep -qE '^ExecStop=-.*siitctl --socket /run/siitd/%i/siitd.sock drain ' '$E2E_TMP/siitd@edge.service' &&
  grep -qx 'RuntimeDirectory=siitd/%i' '$E2E_TMP/siitd@edge.service' &&
  diff <(grep -vE '^(#|Description|ExecStart|ExecStartPre|ExecStop|RuntimeDirectory)=?' '$E2E_TMP/siitd.service') \
       <(grep -vE '^(#|Description|ExecStart|ExecStartPre|ExecStop|RuntimeDirectory)=?' '$E2E_TMP/siitd@edge.service')"
e2e_summary
