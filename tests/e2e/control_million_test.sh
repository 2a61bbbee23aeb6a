#!/usr/bin/env bash
# A million EAMT entries through the real socket: siitctl replaces the table from a text
# file in one atomic request (streamed: siitctl stays small; siitd reads the list in one pass and
# peaks at a bounded multiple of the table), pages through it, looks the last
# entry up; single additions and removals keep a thousand a second at that size, each answered
# within milliseconds; and a million-line file with one bad line at the end is refused whole,
# naming the line's entry, the table untouched.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

cat >"$E2E_TMP/siitd.json" <<JSON
{
  "eal": ["--no-huge", "-m", "512", "--no-shconf", "--no-pci", "-l", "0", "--file-prefix", "$PREFIX",
          "--vdev", "net_null0,no-rx=1"],
  "ports": [{"name": "lan", "device": "net_null0", "role": "both"}],
  "translation": {"pool6": "2001:db8:64::/96"}
}
JSON
start_siitd "" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
C=$SIITCTL
/usr/bin/python3 -c "
for i in range(1000000): print(f'10.{i >> 16}.{(i >> 8) & 255}.{i & 255} 2001:db8:{i >> 16:x}:{i & 0xffff:x}::')
" >"$E2E_TMP/million.txt"

check "a million entries replace the table in one request" \
  bash -c "/usr/bin/time -f '%e %M' -o '$E2E_TMP/replace.time' '$C' eamt replace '$E2E_TMP/million.txt' | grep -qF 'the EAMT has 1000000 entries'"
read -r replace_seconds replace_kib <"$E2E_TMP/replace.time"
echo "eamt replace of a million lines: $replace_seconds s, siitctl's peak resident memory $((replace_kib / 1024)) MiB"
# The file alone is 45 MB; the JSON it once became held about 900 MB.
check "... with siitctl under 100 MB of memory" test "$replace_kib" -lt 102400
# The same million again over the million: the peak of siitd's resident memory while it reads the
# request and builds the new version, above what it held before (the old version among it), against
# the table's own size. Read as a JSON document the request once peaked at seven times the table.
rss_kib() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$SIITD_PID/status"; }
echo 5 >"/proc/$SIITD_PID/clear_refs" # the peak (VmHWM) starts again from now
before_kib=$(rss_kib VmRSS)
check "a million entries replace a million" bash -c "'$C' eamt replace '$E2E_TMP/million.txt' | grep -qF 'the EAMT has 1000000 entries'"
peak_kib=$(rss_kib VmHWM)
table_kib=$(( $("$C" --json stats | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["state"]["eamt_bytes"])') / 1024 ))
echo "replacing a million with a million: siitd's peak $(( (peak_kib - before_kib) / 1024 )) MiB above the $(( before_kib / 1024 )) MiB it held, the table $(( table_kib / 1024 )) MiB"
check "... peaks at no more than three times the table above what siitd held" \
  test $((peak_kib - before_kib)) -le $((3 * table_kib))
# One change at a time on one connection, as fast as siitd answers: 500 additions, then the 500
# removals, each a separate atomic request against the million-entry table.
/usr/bin/python3 - "$SIITCTL_SOCKET" >"$E2E_TMP/singles.txt" <<'PY'
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rwb")
took, refused = [], 0
def one(command, i):
    global refused
    entry = {"ipv4": f"100.{64 + (i >> 8)}.{i & 255}.1/32", "ipv6": f"2001:db8:ff:{i:x}::1/128"}
    t0 = time.monotonic()
    f.write((json.dumps({"command": command, "entries": [entry]}) + "\n").encode()); f.flush()
    refused += not json.loads(f.readline())["ok"]
    took.append(time.monotonic() - t0)
start = time.monotonic()
for i in range(500): one("eamt.add", i)
for i in range(500): one("eamt.remove", i)
rate = len(took) / (time.monotonic() - start)
took.sort()
print(len(took), refused, f"{rate:.0f}", f"{took[len(took) // 2] * 1000:.2f}", f"{took[int(len(took) * 0.99)] * 1000:.2f}")
PY
read -r singles refused rate median_ms p99_ms <"$E2E_TMP/singles.txt"
echo "single changes at a million entries: $singles ($refused refused), $rate per second, median $median_ms ms, p99 $p99_ms ms"
check "single changes to a million-entry table: at least 1000 a second, none refused" \
  /usr/bin/python3 -c "assert int('$singles') == 1000 and int('$refused') == 0 and float('$rate') >= 1000"
check "... and the table is a million again" bash -c "'$C' --json stats | grep -qF '\"eamt_entries\": 1000000'"
check "the last page of a million" bash -c "
  out=\$('$C' eamt list --offset 999998)
  grep -qF '10.15.66.62/32  2001:db8:f:423e::/128' <<<\"\$out\" && grep -qF '(2 of 1000000 entries)' <<<\"\$out\""
check "siitctl pages through all of them" bash -c "'$C' eamt list | tail -1 | grep -qF '(1000000 of 1000000 entries)'"
check "the millionth entry translates" bash -c "'$C' lookup 10.15.66.63 | grep -qF '10.15.66.63 -> 2001:db8:f:423f::  by EAMT entry'"
cp "$E2E_TMP/million.txt" "$E2E_TMP/million-bad.txt"
# RFC 7757 §3.2: an IPv6 suffix (8 bits) shorter than the IPv4 suffix (16 bits).
echo "10.200.0.0/16 2001:db8:ffff::/120" >>"$E2E_TMP/million-bad.txt"
check "a million and one lines with one bad one are refused, naming it" bash -c "
  '$C' eamt replace '$E2E_TMP/million-bad.txt' 2>&1; [ \$? = 1 ]" 
check "... by its prefixes" bash -c "'$C' eamt replace '$E2E_TMP/million-bad.txt' 2>&1 | grep -qF 2001:db8:ffff::/120"
check "... and the table still holds the million" bash -c "'$C' --json stats | grep -qF '\"eamt_entries\": 1000000'"
stop_siitd >/dev/null
e2e_summary
