#!/usr/bin/env bash
# A million EAMT entries through the real socket: siitctl replaces the table from a text
# file in one atomic request, pages through it, looks the last entry up, and a million-line file
# with one bad line at the end is refused whole, naming the line's entry, the table untouched.
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
  bash -c "'$C' eamt replace '$E2E_TMP/million.txt' | grep -qF 'the EAMT has 1000000 entries'"
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
