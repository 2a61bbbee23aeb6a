#!/usr/bin/env bash
# The control plane end to end: the real siitd (net_null ports, no traffic needed), its
# real Unix socket, and the real siitctl. Each operation and each refusal, exit statuses, the
# socket's permissions, a second daemon on a held socket, persistence across a restart through
# `config save`, the Jool import, and hostile or concurrent clients (control_abuse.py).
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

write_config() { # file
  null_port_config "$1" '{"group": "nogroup", "max-clients": 128, "max-message-bytes": 1048576, "client-timeout-ms": 500}'
}
write_config "$E2E_TMP/siitd.json"
start_siitd "" "$E2E_TMP/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
C=$SIITCTL

eamt_json() { "$C" --json eamt list | /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["entries"], sort_keys=True))'; }

check "siitctl version reaches siitd" output_has "control API 1" "$C" version
check "siitctl status shows version, ports, workers, the EAMT and its digest on one screen" bash -c "
  out=\$('$C' status); grep -q '^siitd 0.1.0, up' <<<\"\$out\" && grep -q '^ports: lan up' <<<\"\$out\" &&
  grep -qE '^EAMT: 1 entries, version [0-9]+, digest [0-9a-f]{16}' <<<\"\$out\" &&
  grep -q '^unsaved changes: none' <<<\"\$out\""
check "siitctl ports shows the port's driver, device, link and its RX queue's worker" \
  bash -c "'$C' ports | grep -E '^lan +net_null0 +net_null +-?[0-9]+ +[0-9a-f:]{17} +1500 +up.* 0\(0\)'"
check "siitctl ports --xstats adds the driver's extended statistics" \
  bash -c "'$C' --json ports --xstats | /usr/bin/python3 -c '
import json, sys; p = json.load(sys.stdin)[0]
assert p[\"driver\"] == \"net_null\" and p[\"link\"] == \"up\" and \"rx_good_packets\" in p[\"xstats\"], p'"
check "global options go anywhere on the line (siitctl stats -j)" \
  bash -c "'$C' stats -j | /usr/bin/python3 -c 'import json, sys; assert \"counters\" in json.load(sys.stdin)'"
check "siitd --check-config of a file that does not exist exits 2" \
  status_is 2 "$SIITD" --check-config "$E2E_TMP/no-such-file.json"
check "the socket is created 0660 and owned by control.group" \
  bash -c "[ \"\$(stat -c '%a %G' '$SIITCTL_SOCKET')\" = '660 nogroup' ]"

# EAMT
check "eamt add" output_has "the EAMT has 2 entries" "$C" eamt add 192.0.2.0/24 2001:db8:1::/120
check "eamt list shows both entries as a table" output_has "192.0.2.0/24     2001:db8:1::/120" "$C" eamt list
before=$(eamt_json)
check "eamt add of a conflicting entry is refused (exit 1), naming both entries" \
  status_is 1 "$C" eamt add 192.0.2.0/24 2001:db8:2::/120
check "... and the refusal names both entries" \
  grep -qF "conflicts with 192.0.2.0/24 <-> 2001:db8:1::/120" "$OUT"
check "eamt add violating RFC 7757 §3.2 (suffix lengths differ) is refused" \
  status_is 1 "$C" eamt add 203.0.113.0/24 2001:db8:3::/124
printf '203.0.113.0/25 2001:db8:5::/121\n# a comment\n203.0.113.128/25 2001:db8:6::/122\n10.0.0.0/8 2001:db8:7::/104\n' >"$E2E_TMP/bad.txt"
check "eamt replace with one bad line is refused whole, the bad entry named" \
  status_is 1 "$C" eamt replace "$E2E_TMP/bad.txt"
check "... naming the bad entry" grep -qF "203.0.113.128/25" "$OUT"
check "... and the running table is untouched" test "$(eamt_json)" = "$before"
check "eamt replace with an unreadable file is a usage error (exit 2)" status_is 2 "$C" eamt replace /nonexistent
printf '203.0.113.0/25 2001:db8:5::/121\n300.1.1.1 2001:db8:8::/128\n# a comment\n203.0.113.129/25 2001:db8:6::/121\n' >"$E2E_TMP/typos.txt"
check "eamt replace names every line it cannot read by its number, in one run (exit 2)" \
  status_is 2 "$C" eamt replace "$E2E_TMP/typos.txt"
check "... each once, the value unquoted" bash -c "grep -qxF 'siitctl: $E2E_TMP/typos.txt:2: 300.1.1.1: not an IPv4 address' '$OUT' &&
  grep -qxF '$E2E_TMP/typos.txt:4: 203.0.113.129/25: host bits are set after /25 (the prefix is 203.0.113.128/25)' '$OUT'"
check "an unknown subcommand is named with the nearest one (exit 2)" status_is 2 "$C" eamt ad 192.0.2.0/24 2001:db8:1::/120
check "... 'did you mean add'" grep -qF "unknown subcommand 'ad' for 'siitctl eamt'; did you mean 'add'?" "$OUT"
check "set of an unknown setting names the nearest one (exit 2)" status_is 2 "$C" set lowest-ipv6-mt 1300
check "... 'did you mean lowest-ipv6-mtu'" grep -qF "did you mean 'lowest-ipv6-mtu'?" "$OUT"
check "set of a refused value says what the setting takes" status_is 1 "$C" set eam-hairpin-mode both
check "... from the settings table" grep -qF "eam-hairpin-mode takes off, simple or intrinsic (or Jool's 0, 1, 2)" "$OUT"
check "set takes Jool's spellings as the file and import-jool do (eam-hairpin-mode 1 is simple)" \
  output_has "eam-hairpin-mode simple" "$C" set eam-hairpin-mode 1
"$C" unset eam-hairpin-mode >/dev/null
check "eamt add of a bad address says it is not an address, the value shown once" status_is 1 "$C" eamt add 300.1.1.1 2001:db8:9::/128
check "... unquoted" bash -c "grep -qF '300.1.1.1: not an IPv4 address' '$OUT' && [ \$(grep -o '300.1.1.1' '$OUT' | wc -l) = 1 ]"
/usr/bin/python3 -c "
for i in range(3000): print(f'10.{i // 256}.{i % 256}.0/24 2001:db8:f:{i:x}::/120')" >"$E2E_TMP/big.txt"
check "eamt replace loads 3000 entries atomically" output_has "the EAMT has 3000 entries" "$C" eamt replace "$E2E_TMP/big.txt"
check "eamt list pages through all 3000" output_has "(3000 of 3000 entries)" "$C" eamt list
digest() { "$C" --json status | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["eamt"]["digest"])'; }
forward_digest=$(digest)
tac "$E2E_TMP/big.txt" >"$E2E_TMP/big-reversed.txt"
"$C" eamt replace "$E2E_TMP/big-reversed.txt" >/dev/null
check "the EAMT digest is the same whatever order the table was loaded in" test "$(digest)" = "$forward_digest"
"$C" eamt remove 10.0.0.0/24 >/dev/null
check "... and differs when one entry differs" test "$(digest)" != "$forward_digest"
"$C" eamt add 10.0.0.0/24 2001:db8:f::/120 >/dev/null
check "... and is back with the entry" test "$(digest)" = "$forward_digest"
check "eamt list --offset --limit" bash -c "[ \"\$('$C' --json eamt list --offset 2990 --limit 20 | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)[\"entries\"]))')\" = 10 ]"
check "eamt replace from JSON (a siitd configuration file)" output_has "the EAMT has 1 entries" "$C" eamt replace "$E2E_TMP/siitd.json"
check "eamt add again" output_has "the EAMT has 2 entries" "$C" eamt add 192.0.2.0/24 2001:db8:1::/120
check "eamt remove by IPv6 prefix" output_has "the EAMT has 1 entries" "$C" eamt remove 2001:db8:1::/120
check "eamt remove of an absent entry is refused" status_is 1 "$C" eamt remove 192.0.2.0/24
check "eamt flush" output_has "flushed 1 entries" "$C" eamt flush
check "eamt list of an empty table says (empty)" bash -c "[ \"\$('$C' eamt list)\" = '(empty)' ]"
check "eamt add after flush" output_has "the EAMT has 1 entries" "$C" eamt add 198.51.100.0/24 2001:db8:100::/120

# lookup, pool6, denylist4, pool6791
check "lookup of an EAM address names the entry" \
  output_has "2001:db8:100::7 -> 198.51.100.7  by EAMT entry 198.51.100.0/24 2001:db8:100::/120" "$C" lookup 2001:db8:100::7
check "lookup of an IPv4 address under pool6" output_has "203.0.113.9 -> 2001:db8:64::cb00:7109  by pool6" "$C" lookup 203.0.113.9
check "pool6 set to an RFC 6052-invalid length is refused" status_is 1 "$C" pool6 set 2001:db8::/80
check "lookup of an address no router forwards says it is never translated" \
  output_has "169.254.1.1 -> (not translatable)  (no router forwards this IPv4 address: never translated)" "$C" lookup 169.254.1.1
check "pool6 set to the Well-Known Prefix" output_has "64:ff9b::/96" "$C" pool6 set 64:ff9b::/96
check "... which represents global IPv4 addresses" output_has "8.8.8.8 -> 64:ff9b::808:808  by pool6" "$C" lookup 8.8.8.8
check "... and never a non-global one (RFC 6052 §3.1)" \
  output_has "203.0.113.9 -> (not translatable)  (RFC 6052 §3.1: a non-global IPv4 address under 64:ff9b::/96)" "$C" lookup 203.0.113.9
check "... nor its pool6 form" output_has "wkp-non-global" "$C" --json lookup 64:ff9b::203.0.113.9
check "pool6 set" output_has "2001:db8:46::/96" "$C" pool6 set 2001:db8:46::/96
check "pool6 get prints the prefix as plain text" bash -c "[ \"\$('$C' pool6 get)\" = 2001:db8:46::/96 ]"
check "the lookup follows the new pool6" output_has "-> 2001:db8:46::cb00:7109" "$C" lookup 203.0.113.9
check "denylist4 add" output_has "done" "$C" denylist4 add 203.0.113.0/24 192.0.2.0/28
check "denylist4 add of a listed prefix is refused, nothing added" status_is 1 "$C" denylist4 add 10.0.0.0/8 203.0.113.0/24
check "denylist4 list" bash -c "[ \"\$('$C' denylist4 list | tr '\n' ' ')\" = '203.0.113.0/24 192.0.2.0/28 ' ]"
check "lookup says denylist4 keeps an address from pool6" output_has "denylist4 keeps it" "$C" lookup 203.0.113.9
check "denylist4 remove" output_has "done" "$C" denylist4 remove 203.0.113.0/24
check "pool6791 add (IPv4)" output_has "done" "$C" pool6791 add 192.0.2.254
check "pool6791 add of a second IPv4 address is refused" status_is 1 "$C" pool6791 add 192.0.2.253
check "pool6791 list" output_has "192.0.2.254" "$C" pool6791 list
check "pool6791 remove" output_has "done" "$C" pool6791 remove 192.0.2.254

# Global settings
check "set lowest-ipv6-mtu" output_has "lowest-ipv6-mtu 1400" "$C" set lowest-ipv6-mtu 1400
check "get lowest-ipv6-mtu" output_has "1400" "$C" get lowest-ipv6-mtu
check "set with a value out of range is refused with the range" status_is 1 "$C" set lowest-ipv6-mtu 1000
check "... naming the range" grep -qF "must be between 1280 and 65535" "$OUT"
check "set of an unknown setting is refused as a bad command line" status_is 2 "$C" set lowest-mtu 1400
check "set a list setting from a comma-separated value" output_has "[1500,1400,1280]" "$C" set mtu-plateaus 1500,1400,1280
check "set eam-hairpin-mode" output_has "eam-hairpin-mode simple" "$C" set eam-hairpin-mode simple
check "unset puts a setting back to its default" output_has "lowest-ipv6-mtu 1280" "$C" unset lowest-ipv6-mtu
check "get lists every setting" output_has "reset-traffic-class" "$C" get

# Counters
check "stats --json carries every counter" bash -c "'$C' --json stats --all | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); assert \"rx_packets\" in r[\"counters\"] and \"drop_ipv4_truncated\" in r[\"counters\"], r'"
check "stats --per-worker shows each worker's queues" output_has "lan:0" "$C" stats --per-worker
check "... as a table, a header and a row each" bash -c "'$C' stats --per-worker | grep -qE '^worker +lcore +queues +rx/tx by port +busy ns/packet +counters\$' &&
  '$C' stats --per-worker | grep -qE '^0 +0 +lan:0 +lan [0-9]+/[0-9]+ +[0-9]+ +'"
check "stats --explain says what each counter counts" output_has "frames neither IPv4 nor IPv6" "$C" stats --all --explain

# Exit statuses for an unreachable daemon and a user outside the group
check "a wrong socket path is 'unreachable' (exit 3)" status_is 3 "$C" --socket /nonexistent/siitd.sock version
check "a user outside control.group is refused by the socket (exit 3, says why)" \
  status_is 3 setpriv --reuid=daemon --regid=daemon --clear-groups "$C" version
check "... and the message names the group" grep -qF "not in the socket's group" "$OUT"
check "a user in control.group is served" \
  output_has "control API 1" setpriv --reuid=nobody --regid=nogroup --clear-groups "$C" version
check "siitctl --help describes every subcommand" output_has "import-jool" "$C" --help
check "a bad command line is a usage error (exit 2)" status_is 2 "$C" eamt add 192.0.2.0/24
check "bash completion is generated from the command tree" output_has '"eamt add")' "$C" completion bash

# A second daemon on the same socket refuses to start
write_config "$E2E_TMP/second.json"
sed -i "s/\"--file-prefix\", \"$PREFIX\"/\"--file-prefix\", \"${PREFIX}b\"/" "$E2E_TMP/second.json"
check "a second siitd refuses a socket held by a live daemon" \
  status_is 2 timeout 20 "$SIITD" --config "$E2E_TMP/second.json" --socket "$SIITCTL_SOCKET"
check "... saying so" grep -qF "held by a running siitd" "$OUT"
rm -rf "/var/run/dpdk/${PREFIX}b"

# Hostile and concurrent clients
while read -r line; do
  echo "$line"
  case $line in "ok e2e"*) E2E_PASSED=$((E2E_PASSED + 1)) ;; "FAILED e2e"*) E2E_FAILED=$((E2E_FAILED + 1)) ;; esac
done < <(timeout 120 /usr/bin/python3 "$E2E_ROOT/tests/e2e/control_abuse.py" "$SIITCTL_SOCKET" "$C" 2>&1 || echo "FAILED e2e control socket: control_abuse.py exited with $?")
check "siitd survived the hostile clients" kill -0 "$SIITD_PID"

# config show / save / apply, and persistence across a restart
"$C" eamt flush >/dev/null
"$C" eamt replace "$E2E_TMP/big.txt" >/dev/null
"$C" set lowest-ipv6-mtu 1300 >/dev/null
check "config show is a file siitd accepts" bash -c "'$C' config show >'$E2E_TMP/shown.json' && '$SIITD' --check-config '$E2E_TMP/shown.json'"
check "config diff shows the unsaved changes, the file's value first" \
  output_has "lowest-ipv6-mtu 1280 -> 1300" "$C" config diff
check "config save writes the running configuration to the file siitd started from" output_has "saved to $E2E_TMP/siitd.json" "$C" config save
check "... keeping the previous file as .bak" grep -q '"eamt"' "$E2E_TMP/siitd.json.bak"
check "... leaving out the settings at their defaults" \
  bash -c "! grep -q icmp-error-burst '$E2E_TMP/siitd.json' && grep -q '\"lowest-ipv6-mtu\": 1300' '$E2E_TMP/siitd.json'"
check "... after which config diff has nothing to show" output_has "no difference" "$C" config diff
cp "$E2E_TMP/shown.json" "$E2E_TMP/apply-bad.json"
edit_config "$E2E_TMP/apply-bad.json" "c['translation']['eamt'] += [
    {'ipv4': '172.16.0.0/12', 'ipv6': '2001:db8:99::/100'},
    {'ipv4': '172.16.0.0/12', 'ipv6': '2001:db8:98::/108'}]
c['translation']['lowest-ipv6-mtu'] = 1500"
eamt_json >"$E2E_TMP/before.json"
check "config apply with two bad entries is refused, listing both" status_is 1 "$C" config apply "$E2E_TMP/apply-bad.json"
check "... naming each" bash -c "grep -qF '2001:db8:99::/100' '$OUT' && grep -qF '2001:db8:98::/108' '$OUT'"
eamt_json >"$E2E_TMP/after.json"
check "... and nothing changed (EAMT and settings)" bash -c "[ \"\$('$C' get lowest-ipv6-mtu)\" = 1300 ] && cmp '$E2E_TMP/before.json' '$E2E_TMP/after.json'"
edit_config "$E2E_TMP/shown.json" "c['ports'][0]['mtu'] = 9000" "$E2E_TMP/apply-ports.json"
check "config apply that changes a port is refused: it needs a restart" status_is 1 "$C" config apply "$E2E_TMP/apply-ports.json"
edit_config "$E2E_TMP/shown.json" "c['translation']['eamt'] = [{'ipv4': '198.51.100.0/24', 'ipv6': '2001:db8:100::/120'}]
c['translation']['pool6'] = '2001:db8:4646::/96'" "$E2E_TMP/apply-good.json"
check "config apply changes EAMT and settings in one step" output_has "the EAMT has 1 entries" "$C" config apply "$E2E_TMP/apply-good.json"
check "... pool6 included" output_has "2001:db8:4646::/96" "$C" pool6 get

# Jool's atomic configuration
cat >"$E2E_TMP/jool.json" <<'JSON'
{
  "instance": "default", "framework": "netfilter",
  "global": {"pool6": "64:ff9b:1::/96", "manually-enabled": true, "zeroize-traffic-class": true,
             "lowest-ipv6-mtu": 1420, "eam-hairpin-mode": 1, "rfc6791v4-prefix": "192.0.2.8/32"},
  "eamt": [{"ipv6 prefix": "2001:db8:a::/120", "ipv4 prefix": "198.51.100.0/24"},
           {"ipv6 prefix": "2001:db8:b::1", "ipv4 prefix": "192.0.2.1"}],
  "denylist4": ["203.0.113.0/24"]
}
JSON
check "import-jool applies pool6, the EAMT, denylist4, pool6791 and shared globals" \
  output_has "the EAMT has 2 entries" "$C" import-jool "$E2E_TMP/jool.json"
check "... with the Jool globals translated" bash -c "'$C' --json get | /usr/bin/python3 -c '
import json, sys; g = json.load(sys.stdin)
assert g[\"pool6\"] == \"64:ff9b:1::/96\" and g[\"reset-traffic-class\"] is True and g[\"lowest-ipv6-mtu\"] == 1420, g
assert g[\"eam-hairpin-mode\"] == \"simple\" and g[\"pool6791v4\"] == \"192.0.2.8\" and g[\"denylist4\"] == [\"203.0.113.0/24\"], g'"
check "... naming the Jool settings siitd ignores" grep -qF "manually-enabled" "$OUT"
check "... and the EAM entry with Jool's default lengths" output_has "2001:db8:b::1 -> 192.0.2.1" "$C" lookup 2001:db8:b::1
sed 's/"192.0.2.1"}/"192.0.2.1\/24"}/' "$E2E_TMP/jool.json" >"$E2E_TMP/jool-bad.json"
"$C" set lowest-ipv6-mtu 1280 >/dev/null
check "a Jool file with a bad entry changes nothing" status_is 1 "$C" import-jool "$E2E_TMP/jool-bad.json"
check "... (settings included)" output_has "1280" "$C" get lowest-ipv6-mtu
"$C" set new-tos 32 >/dev/null
check "import-jool replaces the whole translation, as Jool's file handle does" \
  output_has "the EAMT has 2 entries" "$C" import-jool "$E2E_TMP/jool.json"
check "... warning where Jool's default is not siitd's" \
  grep -qF "amend-udp-checksum-zero is not in the file: Jool's default is false" "$OUT"
check "... what the file leaves out back to its default" output_has "0" "$C" get new-tos
"$C" set new-tos 32 >/dev/null
"$C" eamt add 198.18.0.0/24 2001:db8:18::/120 >/dev/null
check "import-jool --merge keeps what the file leaves out" \
  output_has "the EAMT has 2 entries" "$C" import-jool --merge "$E2E_TMP/jool.json"
check "... its settings" output_has "32" "$C" get new-tos
check "... but Jool's tables as the file gives them (its EAMT in place of the running one)" \
  bash -c "'$C' lookup 198.18.0.1 | grep -q 'by pool6'"
cp "$E2E_TMP/siitd.json" "$E2E_TMP/offline.json"
check "import-jool -o writes the translation into a siitd configuration file, no daemon needed" \
  bash -c "'$C' --socket /nonexistent import-jool -o '$E2E_TMP/offline.json' '$E2E_TMP/jool.json' &&
    '$SIITD' --check-config '$E2E_TMP/offline.json' &&
    grep -q '64:ff9b:1::/96' '$E2E_TMP/offline.json'"
cp "$E2E_TMP/siitd.json" "$E2E_TMP/offline-doc.json"
check "import-jool -o takes Jool's documented SIIT example (comments repeated, plateaus below 68), and siitd starts from the result" \
  bash -c "'$C' --socket /nonexistent import-jool -o '$E2E_TMP/offline-doc.json' '$E2E_ROOT/tests/fixtures/jool/atomic-siit.json' 2>'$E2E_TMP/doc.err' &&
    grep -qF 'global.mtu-plateaus: 1, 2, 3, 4, 5, 6 left out' '$E2E_TMP/doc.err' &&
    '$SIITD' --check-config '$E2E_TMP/offline-doc.json' && grep -q '2001:db8:3::/124' '$E2E_TMP/offline-doc.json'"
/usr/bin/python3 - "$E2E_TMP/jool.json" "$E2E_TMP/jool-overlap.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["eamt"].append({"ipv6 prefix": "2001:db8:c::1", "ipv4 prefix": "192.0.2.1"})
json.dump(j, open(sys.argv[2], "w"))
PY
cp "$E2E_TMP/offline.json" "$E2E_TMP/offline-before.json"
check "import-jool -o of a file siitd would refuse fails (exit 2) with siitd's reason" \
  status_is 2 "$C" --socket /nonexistent import-jool -o "$E2E_TMP/offline.json" "$E2E_TMP/jool-overlap.json"
check "... naming the entries that overlap" grep -qF "siitd would refuse translation.eamt" "$OUT"
check "... and writes nothing" cmp "$E2E_TMP/offline.json" "$E2E_TMP/offline-before.json"
check "import-jool --dry-run holds its output to the same checks" \
  status_is 2 "$C" import-jool --dry-run "$E2E_TMP/jool-overlap.json"

# siitd.conf(5)'s EXAMPLES, each a file siitd starts from, on a machine with its interfaces.
EX=${PREFIX}ex
e2e_ns "$EX"
ip -n "$EX" link add eth1 type veth peer name peer1
ip -n "$EX" link add eth2 type veth peer name peer2
/usr/bin/python3 - "$E2E_ROOT/docs/siitd.conf.md" "$E2E_TMP/example" <<'PY'
import re, sys
text = open(sys.argv[1]).read().split("## EXAMPLES", 1)[1].split("\n## ", 1)[0]
blocks = re.findall(r"```json\n(.*?)```", text, re.S)
assert len(blocks) == 2, blocks
for i, block in enumerate(blocks):
    open(f"{sys.argv[2]}{i}.json", "w").write(block)
PY
for i in 0 1; do
  check "siitd.conf(5) example $((i + 1)) passes siitd --check-config" \
    ip netns exec "$EX" "$SIITD" --check-config "$E2E_TMP/example$i.json"
done

# TAYGA's configuration, written from tayga.conf(5)
cat >"$E2E_TMP/tayga.conf" <<'CONF'
# TAYGA on the old box
tun-device nat64
ipv4-addr 192.0.2.200
prefix 2001:db8:64::/96
map 192.0.2.5 2001:db8:d::5
map 203.0.113.0/28 2001:db8:e::/124
data-dir /var/spool/tayga
CONF
check "import-tayga replaces pool6 and the EAMT with tayga.conf's prefix and maps" \
  output_has "the EAMT has 2 entries" "$C" import-tayga "$E2E_TMP/tayga.conf"
check "... with TAYGA's ipv4-addr as siitd's own IPv4 address" output_has "192.0.2.200" "$C" get own-ipv4
check "... and its prefix as pool6" output_has "2001:db8:64::/96" "$C" pool6 get
check "... naming what siitd ignores" bash -c "'$C' import-tayga --dry-run '$E2E_TMP/tayga.conf' 2>&1 | grep -qF 'tun-device: ignored'"
printf 'ipv4-addr 192.0.2.200\ndynamic-pool 192.168.255.0/24\n' >"$E2E_TMP/tayga-dynamic.conf"
check "import-tayga refuses dynamic-pool (exit 2), saying why" status_is 2 "$C" import-tayga "$E2E_TMP/tayga-dynamic.conf"
check "... siitd is stateless" grep -qF "siitd is stateless" "$OUT"

# Restart from the saved configuration: the same table and settings come back.
saved_table=$(/usr/bin/python3 -c "import json; print(len(json.load(open('$E2E_TMP/siitd.json'))['translation']['eamt']))")
stop_siitd >/dev/null
check "a stopped siitd removes its socket" test ! -e "$SIITCTL_SOCKET"
start_siitd "" "$E2E_TMP/siitd.json" || true
check "siitd restarts from the saved configuration with the same table" output_has "($saved_table of $saved_table entries)" "$C" eamt list
check "... and the same settings" output_has "1300" "$C" get lowest-ipv6-mtu
kill -9 "$SIITD_PID"; wait "$SIITD_PID" 2>/dev/null
# Not inside check: check runs its command in a subshell, which would lose track of this siitd.
start_siitd "" "$E2E_TMP/siitd.json" >"$E2E_TMP/restart.log" 2>&1; restarted=$?
check "a stale socket left by a killed siitd is replaced at start" test "$restarted" = 0
check "... and served" output_has "control API 1" "$C" version
stop_siitd >/dev/null
e2e_summary
