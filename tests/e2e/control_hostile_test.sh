#!/usr/bin/env bash
# The control plane against the files and requests a careless operator or a hostile group member
# can hand it, through the real socket (control_probe.py measures): siitd's own configuration
# path turned into a FIFO or a link to /dev/zero, a 60 MB request of 31 million bad entries, a
# 300 000-entry file that `status` must not read again, impatient clients, a million-entry
# replace while others ask, captures back to back, a capture reader that stalls, and SIGTERM
# while the control worker parses a huge reload or a capture stalls. Figures are printed.
# e2e-timeout: 600
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT
C=$SIITCTL
PROBE=(/usr/bin/python3 "$E2E_ROOT/tests/e2e/control_probe.py" "$SIITCTL_SOCKET")
field() { /usr/bin/python3 -c "import json,sys; v=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
export -f field
kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$SIITD_PID/status"; }
# Seconds until siitd has exited after SIGTERM (at most 10).
term_seconds() {
  local start; start=$(date +%s.%N)
  kill -TERM "$SIITD_PID"
  for _ in $(seq 1 100); do
    state=$(awk '{print $3}' "/proc/$SIITD_PID/stat" 2>/dev/null)
    { [ -z "$state" ] || [ "$state" = Z ]; } && break
    sleep 0.1
  done
  wait "$SIITD_PID" 2>/dev/null
  awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.2f\n", a - b }'
}
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; } # whether $1 < $2

# A net_null port that receives (zero-filled frames, counted drop_not_ip): traffic to capture.
CONF=$E2E_TMP/siitd.json
null_port_config "$CONF" '{"client-timeout-ms": 1000, "group": "nogroup"}'
edit_config "$CONF" "c['eal'][c['eal'].index('net_null0,no-rx=1')] = 'net_null0'"
cp "$CONF" "$E2E_TMP/siitd.json.good"
start_siitd "" "$CONF" || { echo "e2e: 0 passed, 1 failed"; exit 1; }

# siitd's configuration path as a FIFO, then as a link to /dev/zero: refused with the reason, at
# once, and siitd still answers and stops.
rm "$CONF" && mkfifo "$CONF"
check "status with a FIFO at the configuration path answers (the file's state unknown)" \
  output_has "unsaved changes: unknown" timeout 5 "$C" status
kill -HUP "$SIITD_PID"
check "a reload from a FIFO is refused, naming it" \
  within_2s grep -qF "$CONF: not a regular file (a FIFO)" "$E2E_TMP/siitd.err"
check "... and siitd still answers" output_has "siitd" timeout 5 "$C" version
rm "$CONF" && ln -s /dev/zero "$CONF"
rss_before=$(kib VmRSS)
check "status with a link to /dev/zero answers" output_has "unsaved changes: unknown" timeout 5 "$C" status
kill -HUP "$SIITD_PID"
check "a reload from /dev/zero is refused as a character device" \
  within_2s grep -qF "$CONF: not a regular file (a character device)" "$E2E_TMP/siitd.err"
check "... having read nothing of it (resident memory grew less than 20 MB)" \
  test $(( $(kib VmRSS) - rss_before )) -lt 20480
rm "$CONF" && cp "$E2E_TMP/siitd.json.good" "$CONF"
check "the file back: status says nothing is unsaved" output_has "unsaved changes: none" timeout 5 "$C" status

# A 60 MB request of 31 million bad entries: a refusal listing 100 of them and counting the rest,
# in bounded time and memory, all of it handed back afterwards.
rss_before=$(kib VmRSS)
"${PROBE[@]}" bad-apply 60 >"$E2E_TMP/bad.json"
echo "    60 MB of bad entries: $(cat "$E2E_TMP/bad.json"); peak resident $(kib VmHWM) KiB, before $rss_before KiB, after $(kib VmRSS) KiB"
check "a 60 MB translation.apply of 31 million bad entries is refused" \
  test "$(field 'v["ok"]' <"$E2E_TMP/bad.json")" = False
check "... listing 100 problems and counting the rest" bash -c "
  [ \$(field 'v[\"errors\"]' <'$E2E_TMP/bad.json') = 101 ] &&
  field 'v[\"last\"]' <'$E2E_TMP/bad.json' | grep -qxE 'and 29[0-9]{6} more problems'"
check "... within 30 s" test "$(field 'int(v["seconds"] < 30)' <"$E2E_TMP/bad.json")" = 1
check "... its peak resident memory under 10 times the request's size" \
  test $(( $(kib VmHWM) - rss_before )) -lt $(( 10 * 60 * 1000 ))
check "... and siitd hands that memory back (resident within 100 MB of before)" \
  test $(( $(kib VmRSS) - rss_before )) -lt 102400
check "... and the audit log line is as bounded" \
  test "$(grep -F 'translation.apply' "$E2E_TMP/siitd.err" | tail -1 | wc -c)" -lt 20000

# Captures: back to back, each one's slot free before its stream ends; bad requests refused.
"${PROBE[@]}" captures 100 >"$E2E_TMP/captures.json"
check "100 captures one right after the other: none refused" \
  test "$(field 'v["refused"]' <"$E2E_TMP/captures.json")" = 0
for bad in '{"command": "capture", "filter": "tcp\u0000 and and"}' \
           '{"command": "capture", "count": 1, "colour": "red"}' \
           '{"command": "capture", "duration": -0.0}'; do
  check "capture refuses $bad" bash -c "'${PROBE[0]}' '${PROBE[1]}' '${PROBE[2]}' ask '$bad' | grep -q '\"ok\": false'"
done
check "... an unprivileged capture is refused naming what capture does" bash -c "
  setpriv --reuid=nobody --regid=nogroup --clear-groups '$C' capture -c 1 -w /dev/null 2>&1 |
    grep -qF 'it shows the traffic itself'"
# A reader that takes nothing is cut off after control.client-timeout-ms (1 s here), counted.
"${PROBE[@]}" stall-capture 3 >"$E2E_TMP/stall.json"
check "a capture reader that stalls is cut off" test "$(field 'v["ended"]' <"$E2E_TMP/stall.json")" = True
check "... counted" bash -c "'$C' --json stats | grep -qE '\"captures_cut_off\": [1-9]'"
check "... and logged with its losses" grep -qE "capture cut off: .* [0-9]+ pairs written, [0-9]+ lost" "$E2E_TMP/siitd.err"
check "... and the next capture runs" bash -c "'${PROBE[0]}' '${PROBE[1]}' '${PROBE[2]}' captures 1 | grep -q '\"refused\": 0'"

# A million-entry replace on the control worker: other clients are answered meanwhile.
"${PROBE[@]}" during-replace 1000000 >"$E2E_TMP/replace.json"
echo "    during a 1M-entry replace: $(cat "$E2E_TMP/replace.json")"
check "a 1M-entry replace is applied" test "$(field 'v["replace_ok"]' <"$E2E_TMP/replace.json")" = True
check "... while it ran, version, stats and status were asked" \
  test "$(field 'int(v["asked_during"] >= 9)' <"$E2E_TMP/replace.json")" = 1
check "... and each answered within 100 ms" \
  test "$(field 'int(max(v["slowest"].values()) < 0.1)' <"$E2E_TMP/replace.json")" = 1
check "... and the config.show of five clients that left before their turn was never computed" \
  test "$(field 'int(v["abandoned"] >= 5)' <"$E2E_TMP/replace.json")" = 1

# SIGTERM while a capture's reader stalls: siitd stops within 2 s.
"${PROBE[@]}" stall-capture 5 >/dev/null 2>&1 &
sleep 0.5
seconds=$(term_seconds)
echo "    stopped in $seconds s with a stalled capture"
check "SIGTERM with a stalled capture stops siitd within 2 s" below "$seconds" 2
wait

# A 300 000-entry file: status does not read it again; impatient clients cost nothing.
edit_config "$CONF" "c['eal'][c['eal'].index('net_null0')] = 'net_null0,no-rx=1'
c['translation']['eamt'] = [{'ipv4': '10.%d.%d.%d/32' % (i >> 16, (i >> 8) & 255, i & 255),
                             'ipv6': '2001:db8:%x:%x::/128' % (i >> 16, i & 0xffff)} for i in range(300000)]"
start_siitd "" "$CONF" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
slowest=0
for _ in $(seq 1 20); do
  s=$("${PROBE[@]}" ask '{"command": "status"}' | field 'v["seconds"]')
  below "$slowest" "$s" && slowest=$s
done
echo "    status with a 300 000-entry file: slowest of 20 in $slowest s"
check "status with a 300 000-entry file answers within 10 ms (slowest of 20)" below "$slowest" 0.01
check "... and says nothing is unsaved" output_has "unsaved changes: none" "$C" status
"${PROBE[@]}" impatient 10 >"$E2E_TMP/impatient.json"
echo "    after 10 impatient status clients: $(cat "$E2E_TMP/impatient.json")"
check "10 clients that send status and hang up: stats is answered within 100 ms" \
  test "$(field 'int(v["stats_seconds"] < 0.1)' <"$E2E_TMP/impatient.json")" = 1
"$C" eamt add 192.0.2.0/24 2001:db8:1::/120 >/dev/null
check "after a change, status says it is unsaved" output_has "unsaved changes: yes" "$C" status
check "... config diff names it" output_has "+192.0.2.0/24" "$C" config diff
"$C" eamt remove 192.0.2.0/24 2001:db8:1::/120 >/dev/null
check "... and once undone, nothing is unsaved" output_has "unsaved changes: none" "$C" status

# SIGTERM while the control worker parses a 60 MB reload: siitd stops within 2 s.
edit_config "$CONF" "c['translation']['eamt'] = [
    {'ipv4': '11.%d.%d.%d/32' % (i >> 16, (i >> 8) & 255, i & 255),
     'ipv6': '2001:db8:1%x:%x::/128' % (i >> 16, i & 0xffff)} for i in range(1000000)]"
echo "    the reloaded file: $(stat -c %s "$CONF") bytes"
kill -HUP "$SIITD_PID"
sleep 0.3
seconds=$(term_seconds)
echo "    stopped in $seconds s during the reload of a $(stat -c %s "$CONF")-byte file"
check "SIGTERM during a huge reload stops siitd within 2 s" below "$seconds" 2
check "... saying what it did not wait for" grep -qF "control worker is still busy with the reload of $CONF" "$E2E_TMP/siitd.err"
e2e_summary
