#!/usr/bin/env bash
# The control plane against a careless or hostile operator: the real siitd (net_null port, no
# traffic needed), its real socket and the real siitctl. Who may do what (a member of
# control.group against root), where `config save` may write, that the running state always
# stays one siitd starts from, how siitctl treats files that are not what they seem (directories,
# devices, FIFOs, deep nesting, repeated keys, oversized), and what the audit log says.
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

# The configuration lives in a directory only root may enter, as /etc/siitd does on a box; the
# rest of the scenario's directory may be entered by the group member too.
chmod 0711 "$E2E_TMP"
CONF=$E2E_TMP/etc
mkdir -m 0700 "$CONF" "$E2E_TMP/saves"
null_port_config "$CONF/siitd.json" \
  "{\"group\": \"nogroup\", \"max-message-bytes\": 65536, \"save-directory\": \"$E2E_TMP/saves\"}"
chmod 0640 "$CONF/siitd.json"
chown root:nogroup "$CONF/siitd.json"
start_siitd "" "$CONF/siitd.json" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
C=$SIITCTL
# A member of control.group who is not root.
MEMBER=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

entries() { "$C" --json eamt list | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

# Least privilege: the socket lets the group in; whole-table, whole-configuration and
# file-writing commands also need root (or siitd's own user).
check "a group member adds an EAMT entry" output_has "the EAMT has 2 entries" \
  "${MEMBER[@]}" "$C" eamt add 192.0.2.0/24 2001:db8:1::/120
echo '192.0.2.0/24 2001:db8:1::/120' >"$E2E_TMP/one.txt"
chmod 0644 "$E2E_TMP/one.txt"
for cmd in "eamt flush" "denylist4 flush" "config save" "config save $CONF/siitd.json" \
           "config save $CONF/shadow" "eamt replace $E2E_TMP/one.txt"; do
  # shellcheck disable=SC2086 # cmd is several words
  check "a group member is refused '$cmd' (exit 1, saying why)" status_is 1 "${MEMBER[@]}" "$C" $cmd
  check "... naming the privilege it needs" grep -qF "needs root or siitd's own user" "$OUT"
done
check "... and nothing was written into the root-only directory" test ! -e "$CONF/shadow"
check "... and the table is as it was" test "$(entries)" = 2

# config save: the started-from file, or control.save-directory; owner and mode kept; no links.
cp "$CONF/siitd.json" "$E2E_TMP/before-save.json"
"$C" set new-tos 32 >/dev/null
check "config save writes the file siitd started from" output_has "saved to $CONF/siitd.json" "$C" config save
check "... naming what changed in it" grep -qx "  added translation.new-tos" "$OUT"
check "... its keys in the order the file had them (not sorted)" /usr/bin/python3 -c "
import json
before, after = list(json.load(open('$E2E_TMP/before-save.json'))), list(json.load(open('$CONF/siitd.json')))
assert before != sorted(before), before
assert [k for k in before if k in after] == [k for k in after if k in before], (before, after)"
"$C" unset new-tos >/dev/null
check "... keeping its owner, group and mode" test "$(stat -c '%U %G %a' "$CONF/siitd.json")" = "root nogroup 640"
check "... and siitd starts from what it wrote" "$SIITD" --check-config "$CONF/siitd.json"
check "config save into control.save-directory is allowed" output_has "saved to $E2E_TMP/saves/b.json" "$C" config save "$E2E_TMP/saves/b.json"
check "config save anywhere else is refused, even for root" status_is 1 "$C" config save "$E2E_TMP/elsewhere.json"
check "... naming the places it may write" grep -qF "saves only to the file it was started from" "$OUT"
check "... and writes nothing" test ! -e "$E2E_TMP/elsewhere.json"
check "config save through .. out of the save directory is refused" status_is 1 "$C" config save "$E2E_TMP/saves/../escaped.json"
echo precious >"$E2E_TMP/victim"
ln -s "$E2E_TMP/victim" "$E2E_TMP/saves/link.json"
check "config save onto a symbolic link is refused" status_is 1 "$C" config save "$E2E_TMP/saves/link.json"
check "... and the link's target is untouched" test "$(cat "$E2E_TMP/victim")" = precious

# The running state always stays one siitd starts from.
check "eamt flush (root) leaves pool6 translating" output_has "flushed 2 entries" "$C" eamt flush
check "pool6 unset with an empty EAMT is refused (exit 1)" status_is 1 "$C" pool6 unset
check "... saying nothing could be translated" grep -qF "neither pool6 nor an EAMT entry" "$OUT"
check "pool6791 add :: is refused (not a unicast address)" status_is 1 "$C" pool6791 add ::
check "... naming the rule" grep -qF "is not a unicast address" "$OUT"
check "a configuration saved now is one siitd starts from" \
  bash -c "'$C' config save '$E2E_TMP/saves/now.json' >/dev/null && '$SIITD' --check-config '$E2E_TMP/saves/now.json'"
"$C" eamt add 198.51.100.0/24 2001:db8:100::/120 >/dev/null

# siitctl and files that are not what they seem: each refused (exit 2) before anything is sent.
before=$(entries)
mkfifo "$E2E_TMP/fifo"
printf '[]\n' >"$E2E_TMP/empty.json"
: >"$E2E_TMP/empty.txt"
/usr/bin/python3 -c "print('[' * 30000 + ']' * 30000)" >"$E2E_TMP/deep.json"
/usr/bin/python3 -c "print('{\"translation\": {\"eamt\": ' + '[' * 30000 + ']' * 30000 + '}}')" >"$E2E_TMP/deep-config.json"
printf '{"eamt": [], "eamt": [{"ipv4": "192.0.2.0/24", "ipv6": "2001:db8:1::/120"}]}\n' >"$E2E_TMP/twice.json"
/usr/bin/python3 -c "
for i in range(4000): print(f'10.{i // 256}.{i % 256}.0/24 2001:db8:f:{i:x}::/120')" >"$E2E_TMP/big.txt"
for file in "$E2E_TMP" /dev/zero "$E2E_TMP/fifo" "$E2E_TMP/empty.json" "$E2E_TMP/empty.txt" \
            "$E2E_TMP/deep.json" "$E2E_TMP/twice.json" "$E2E_TMP/big.txt"; do
  check "eamt replace $(basename "$file") is refused as bad input (exit 2)" status_is 2 timeout 10 "$C" eamt replace "$file"
done
check "... a directory is named as one" bash -c "'$C' eamt replace '$E2E_TMP' 2>&1 | grep -qF 'not a regular file (a directory)'"
check "... a file over max-message-bytes names the limit" bash -c "'$C' eamt replace '$E2E_TMP/big.txt' 2>&1 | grep -qF 'control.max-message-bytes'"
check "... a key given twice is named" bash -c "'$C' eamt replace '$E2E_TMP/twice.json' 2>&1 | grep -qF 'eamt: given twice'"
check "... and the table is untouched" test "$(entries)" = "$before"
check "config apply of a deeply nested file is refused, no crash (exit 2)" status_is 2 "$C" config apply "$E2E_TMP/deep-config.json"
check "... saying it nests too deep" grep -qF "nests deeper than 32 levels" "$OUT"
check "import-jool of a deeply nested file is refused, no crash (exit 2)" status_is 2 "$C" import-jool "$E2E_TMP/deep.json"
check "import-jool --dry-run of a device is refused (exit 2)" status_is 2 timeout 10 "$C" import-jool --dry-run /dev/zero
check "siitd still serves" output_has "control API 1" "$C" version

# --check-config names accounts that do not exist.
sed 's/"group": "nogroup"/"group": "no-such-group-siitd", "owner": "no-such-user-siitd"/' "$CONF/siitd.json" >"$E2E_TMP/accounts.json"
check "--check-config refuses an unknown control.owner and control.group (exit 2)" status_is 2 "$SIITD" --check-config "$E2E_TMP/accounts.json"
check "... naming both" bash -c "grep -qF 'control.owner: no user' '$OUT' && grep -qF 'control.group: no group' '$OUT'"

# The audit log: who changed what.
"${MEMBER[@]}" "$C" set lowest-ipv6-mtu 1400 >/dev/null
check "the log names the peer and the setting's old and new value" \
  grep -qF "uid 65534 (nobody): global.set (change): lowest-ipv6-mtu 1280 -> 1400" "$E2E_TMP/siitd.err"
check "the log names the EAMT entries a change added" \
  grep -qF "uid 65534 (nobody): eamt.add (change): eamt +1 -0 (2 entries), +192.0.2.0/24 2001:db8:1::/120" "$E2E_TMP/siitd.err"
check "the log names refusals and their reason" \
  grep -qF "uid 65534 (nobody): eamt.flush (privileged): refused: eamt.flush needs root" "$E2E_TMP/siitd.err"
check "the log names the file config save wrote" grep -qF "wrote $CONF/siitd.json" "$E2E_TMP/siitd.err"

stop_siitd >/dev/null

# siitd itself as an unprivileged user (net_null needs no privilege, --no-huge no hugepages): it
# starts, and its own user may send the privileged commands.
UNPRIV=$E2E_TMP/unprivileged
mkdir "$UNPRIV" && chown nobody:nogroup "$UNPRIV"
edit_config "$CONF/siitd.json" "c['eal'][c['eal'].index('--file-prefix') + 1] = '${PREFIX}u'
c['control'] = {'group': 'nogroup'}" "$UNPRIV/siitd.json"
chown nobody:nogroup "$UNPRIV/siitd.json"
"${MEMBER[@]}" "$SIITD" --config "$UNPRIV/siitd.json" --socket "$UNPRIV/siitd.sock" --log-level info \
  >"$UNPRIV/out" 2>&1 &
unprivileged=$!
E2E_PIDS+=("$unprivileged")
for _ in $(seq 1 100); do grep -q "worker(s) translating" "$UNPRIV/out" && break; sleep 0.1; done
check "siitd runs as an unprivileged user (nobody) on a virtual port" grep -q "worker(s) translating" "$UNPRIV/out"
check "... and its own user may save its configuration (a privileged command)" \
  output_has "saved to $UNPRIV/siitd.json" "${MEMBER[@]}" "$C" --socket "$UNPRIV/siitd.sock" config save
kill "$unprivileged"; wait "$unprivileged" 2>/dev/null
rm -rf "/tmp/dpdk/${PREFIX}u" # an unprivileged EAL's runtime directory (no XDG_RUNTIME_DIR)
e2e_summary
