#!/usr/bin/env bash
# The package on a box whose PID 1 is systemd. A Debian 12 root, made by debootstrap from Debian's
# archive, gets the package built from this tree (apt installs it with its dependencies) and boots
# under systemd-nspawn inside the router namespace of the router-box topology: its siitd drives the
# router's veth ends, and the hosts' kernels send real traffic through it. Under that real systemd:
# `systemctl start` returns once siitd is ready; the unit's hardening is in force in siitd's
# process; the kernel interfaces get their addresses from the file; siitctl serves the siitd
# group and nobody else; the journal has each line once with its priority, and each control change
# with its user; `systemctl reload` applies a changed file or refuses it with the reason; a killed
# siitd is restarted; an enabled siitd comes back by itself after a reboot, before network.target;
# a newer package restarts it with the same table, and the outage is measured; AF_XDP ports run
# under the unit too; `systemctl stop` ends it cleanly; removing the package stops it first.
# SIITD_DEB: a package built already from this tree (skips the two-minute build).
# e2e-timeout: 900
set -u
source "$(dirname "$0")/lib.sh"

BOX_ROOT=$E2E_TMP/box
BOX_NSPAWN_PID=
BOX_LEADER=

# Boots the box: systemd-nspawn in the router namespace $RT, not registered with a host systemd
# (this host's PID 1 need not be systemd). nspawn's own system-call filter denies bpf() to a
# container, which a bare-metal box does not: allowed, for the AF_XDP ports. Sets BOX_LEADER, the
# container's PID 1 as the host sees it, and waits (bounded) until its systemd has started up.
boot_box() {
  systemd-nspawn -D "$BOX_ROOT" -M "$PREFIX" --boot --register=no --keep-unit --capability=all \
    --system-call-filter=bpf \
    --network-namespace-path="/run/netns/$RT" </dev/null >>"$E2E_TMP/box-console.log" 2>&1 &
  BOX_NSPAWN_PID=$!
  BOX_LEADER=
  for _ in $(seq 1 100); do
    BOX_LEADER=$(pgrep -P "$BOX_NSPAWN_PID" -x systemd) && break
    sleep 0.1
  done
  [ -n "$BOX_LEADER" ] || { echo "the box did not boot:"; tail -20 "$E2E_TMP/box-console.log"; return 1; }
  # Until its manager listens, systemctl cannot ask it ("Failed to connect to bus").
  local state
  for _ in $(seq 1 300); do
    state=$(timeout 60 nsenter -t "$BOX_LEADER" -a systemctl is-system-running --wait 2>/dev/null)
    [ -n "$state" ] && break
    sleep 0.1
  done
  echo "$state"
}

# Runs a command inside the box: its mounts, PID namespace and users; the test's SIITCTL_SOCKET
# does not follow, so siitctl uses the unit's socket.
in_box() {
  nsenter -t "$BOX_LEADER" -a env -u SIITCTL_SOCKET "$@"
}

# Shuts the box down (bounded), and makes sure systemd-nspawn is gone.
poweroff_box() {
  [ -n "$BOX_NSPAWN_PID" ] || return 0
  in_box systemctl poweroff >/dev/null 2>&1
  for _ in $(seq 1 300); do kill -0 "$BOX_NSPAWN_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$BOX_NSPAWN_PID" 2>/dev/null
  wait "$BOX_NSPAWN_PID" 2>/dev/null
  BOX_NSPAWN_PID=
}
trap 'poweroff_box; e2e_cleanup' EXIT

unit_property() { # property
  in_box systemctl show -p "$1" --value siitd
}
# The journal's entries of siitd's unit, as JSON lines (MESSAGE, PRIORITY, _PID ...).
siitd_journal() {
  in_box journalctl -u siitd -o json --no-pager
}
# True when siitd's table maps IPv4 address $1 by the EAM entry $2.
maps_by() { # ipv4-address eam-ipv4-prefix
  in_box siitctl lookup "$1" | grep -q "by EAMT entry $2"
}
# Everything in siitd's own mount namespace: what the unit's ProtectSystem, ReadWritePaths,
# ProtectHome and PrivateTmp make of the file system.
in_siitd_mounts() {
  in_box nsenter -t "$MAIN_PID" -m "$@"
}
# The checks run their commands in a new shell: these go with them.
export -f in_box unit_property siitd_journal maps_by in_siitd_mounts within_2s
export BOX_LEADER MAIN_PID=

# --- The box: a Debian 12 root with systemd and the package ---------------------------------------

deb=${SIITD_DEB:-$(build_package "$E2E_TMP/package")}
check "the package is built from this tree" test -f "$deb"
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
check "debootstrap makes a Debian 12 root with systemd" bash -c "
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,iproute2 bookworm '$BOX_ROOT' \
    '${mirror:-http://deb.debian.org/debian}' >'$E2E_TMP/debootstrap.log' 2>&1 ||
    { tail -20 '$E2E_TMP/debootstrap.log'; false; }"
# The box takes its packages from where this host does (the same release and security updates).
cp /etc/apt/sources.list.d/*.sources "$BOX_ROOT/etc/apt/sources.list.d/" 2>/dev/null &&
  rm -f "$BOX_ROOT/etc/apt/sources.list"
cp /etc/resolv.conf "$BOX_ROOT/etc/resolv.conf"
cp "$deb" "$BOX_ROOT/tmp/siitd.deb"
box_apt() { # apt-get arguments...
  chroot "$BOX_ROOT" env DEBIAN_FRONTEND=noninteractive apt-get -q "$@" >>"$E2E_TMP/box-apt.log" 2>&1 ||
    { tail -20 "$E2E_TMP/box-apt.log"; false; }
}
export -f box_apt
export BOX_ROOT E2E_TMP
check "apt installs the package in it with its dependencies (and without what it recommends)" \
  bash -c "box_apt update && box_apt install -y --no-install-recommends /tmp/siitd.deb"
# An operator ("noc": Debian has an "operator" group already) in the siitd group, and a user
# outside it.
chroot "$BOX_ROOT" useradd -m -G siitd noc
chroot "$BOX_ROOT" useradd -m outsider

# The operator's configuration: the router box, its addresses, the example's control section.
router_box_topology
configure_box_addresses
# It is one box of a fleet: its announce interface tells a routing daemon when to announce it,
# and the unit drains it before every stop (deploy/fleet.md).
edit_config "$E2E_TMP/siitd.json" \
  'c["control"] = {"socket": "/run/siitd/siitd.sock", "group": "siitd", "mode": "0660"}; c["announce-interface"] = "siitd-up"'
cp "$E2E_TMP/siitd.json" "$BOX_ROOT/etc/siitd/siitd.json"

# Its ports are net_af_packet, a driver the package only recommends: --check-config (the unit's
# ExecStartPre) says which package to install, and the operator installs the one it names.
ip netns exec "$RT" chroot "$BOX_ROOT" siitd --check-config /etc/siitd/siitd.json >"$E2E_TMP/check.out" 2>&1
driver_package=$(sed -n 's/.*net_af_packet driver, which is not installed.*apt install \([a-z0-9-]*\)$/\1/p' "$E2E_TMP/check.out" | head -1)
check "without the af_packet driver, --check-config refuses the file, naming the package to install" \
  bash -c "[ '$driver_package' = librte-net-af-packet23 ] || { cat '$E2E_TMP/check.out'; false; }"
check "... and with that package installed, it accepts the file" bash -c "
  box_apt install -y --no-install-recommends '${driver_package:-librte-net-af-packet23}' &&
  ip netns exec '$RT' chroot '$BOX_ROOT' siitd --check-config /etc/siitd/siitd.json"
# The other recommended driver, for the AF_XDP ports further on (the box has no network then).
box_apt install -y --no-install-recommends "${driver_package%af-packet23}af-xdp23" >/dev/null

boot_box >"$E2E_TMP/boot.out" 2>&1
check "systemd boots the box as its PID 1, the system running with no unit failed" bash -c "
  grep -qx running '$E2E_TMP/boot.out' && [ \"\$(in_box cat /proc/1/comm)\" = systemd ] ||
    { cat '$E2E_TMP/boot.out'; in_box systemctl --failed --no-pager; tail -20 '$E2E_TMP/box-console.log'; false; }"
[ "$E2E_FAILED" -eq 0 ] || { e2e_summary; exit 1; }

# --- Start: ready means translating --------------------------------------------------------------

# Type=notify: `systemctl start` returns when siitd says READY=1. Nothing waits after it: what
# siitd shows at once (its ports, its addresses, the kernel's) is what it had when it said ready.
in_box systemctl start siitd >"$E2E_TMP/start.out" 2>&1
started=$?
in_box siitctl ports >"$E2E_TMP/ports.out" 2>&1
in_box siitctl addresses >"$E2E_TMP/addresses.out" 2>&1
ip -n "$RT" -o addr show >"$E2E_TMP/kernel-addresses.out" 2>&1
check "systemctl start returns once siitd is ready" bash -c "
  [ $started = 0 ] || { cat '$E2E_TMP/start.out'; in_box journalctl -u siitd --no-pager | tail -20; false; }"
check "... by then both ports up, siitctl answering" bash -c "
  [ \"\$(grep -cE '^ipv[46]-side .* up ' '$E2E_TMP/ports.out')\" = 2 ] || { cat '$E2E_TMP/ports.out'; false; }"
check "... each kernel interface listed with its port's MAC" bash -c "
  awk '\$1 == \"ipv4-side\" {port = \$5} \$1 == \"k4\" {kernel = \$5}
       END {exit !(port != \"\" && port == kernel)}' '$E2E_TMP/ports.out'"
check "... and the configured addresses on the kernel interfaces, in siitd's view too" bash -c "
  grep -q 'k4 .*inet 192.0.2.1/24' '$E2E_TMP/kernel-addresses.out' &&
  grep -q 'k6 .*inet6 2001:db8:100::1/64' '$E2E_TMP/kernel-addresses.out' &&
  grep -qx 192.0.2.1 '$E2E_TMP/addresses.out' && grep -qx 2001:db8:100::1 '$E2E_TMP/addresses.out' ||
    { cat '$E2E_TMP/kernel-addresses.out' '$E2E_TMP/addresses.out'; false; }"
check "... as a notify service, active and running, its status line saying what it does" bash -c "
  [ \"\$(unit_property Type) \$(unit_property ActiveState) \$(unit_property SubState)\" = 'notify active running' ] &&
  unit_property StatusText | grep -qx 'translating; 1 worker(s), EAMT 1 entries'"
MAIN_PID=$(unit_property MainPID)

# --- The unit's hardening, as the kernel sees it in siitd's process ------------------------------

check "siitd's capability bounding set is the unit's, no more" bash -c "
  mask=\$(in_box sed -n 's/^CapBnd:\t//p' /proc/$MAIN_PID/status)
  have=\$(capsh --decode=\$mask | sed 's/.*=//' | tr , '\n' | sort)
  want=\$(unit_property CapabilityBoundingSet | tr ' ' '\n' | sort)
  [ -n \"\$want\" ] && [ \"\$have\" = \"\$want\" ] || { echo \"have: \$have\"; echo \"want: \$want\"; false; }"
check "... with no new privileges, and a seccomp filter (the address families)" bash -c "
  in_box grep -q '^NoNewPrivs:[[:space:]]*1' /proc/$MAIN_PID/status &&
  in_box grep -q '^Seccomp:[[:space:]]*2' /proc/$MAIN_PID/status"
in_box touch /tmp/outside-siitd
check "... the system read-only to it but for /etc/siitd, /home hidden, /tmp its own" \
  in_siitd_mounts sh -c '! touch /usr/lib/probe 2>/dev/null && ! touch /etc/probe 2>/dev/null &&
    touch /etc/siitd/probe && rm /etc/siitd/probe && [ -z "$(ls -A /home)" ] &&
    [ ! -e /tmp/outside-siitd ]'

# --- Traffic, and the operator's tools ------------------------------------------------------------

check "the IPv6 host reaches the IPv4 host through the unit's siitd" \
  bash -c "ip netns exec '$H6' ping -6 -c 3 -i 0.2 -W 2 2001:db8:64::192.0.2.10 || { in_box siitctl stats; false; }"
check "... and the IPv4 host the IPv6 host" \
  bash -c "ip netns exec '$H4' ping -c 3 -i 0.2 -W 2 198.51.100.5 || { in_box siitctl stats; false; }"
check "the box answers on its configured address (the kernel path)" \
  ip netns exec "$H4" ping -c 2 -i 0.2 -W 2 192.0.2.1
# siitctl capture under the unit's restrictions: the filter compiled, the stream on the control
# connection, nothing written by siitd.
(sleep 1; ip netns exec "$H4" ping -c 3 -i 0.2 -W 2 198.51.100.5 >/dev/null 2>&1) &
ping_pid=$!
check "siitctl capture records the translated traffic from the hardened siitd" bash -c "
  in_box timeout 20 siitctl capture -f icmp -c 4 -w - >'$E2E_TMP/box.pcapng' 2>'$E2E_TMP/capture.err' &&
  [ \"\$(head -c 4 '$E2E_TMP/box.pcapng' | od -An -tx1 | tr -d ' ')\" = 0a0d0d0a ] &&
  tshark -r '$E2E_TMP/box.pcapng' 2>/dev/null | grep -c 'Echo (ping) request' | grep -qx '[2-9]' ||
    { cat '$E2E_TMP/capture.err'; tshark -r '$E2E_TMP/box.pcapng' 2>&1 | head; false; }"
wait "$ping_pid"
check "a member of the siitd group changes the table with siitctl" \
  in_box runuser -u noc -- siitctl eamt add 203.0.113.0/24 2001:db8:200::/120
check "... and a user outside it is refused" bash -c "
  ! in_box runuser -u outsider -- siitctl stats >/dev/null 2>&1"
check "siitctl config save writes the conffile through the unit's ReadWritePaths, keeping a .bak" \
  bash -c "in_box siitctl config save >/dev/null && grep -q 203.0.113.0/24 '$BOX_ROOT/etc/siitd/siitd.json' &&
    [ -f '$BOX_ROOT/etc/siitd/siitd.json.bak' ]"

# --- Reload -------------------------------------------------------------------------------------

edit_config "$BOX_ROOT/etc/siitd/siitd.json" \
  'c["translation"]["eamt"].append({"ipv4": "203.0.114.0/24", "ipv6": "2001:db8:300::/120"})'
check "systemctl reload applies the file's new EAM entry, in the same process" bash -c "
  in_box systemctl reload siitd && within_2s maps_by 203.0.114.7 203.0.114.0/24 &&
  [ \"\$(unit_property MainPID)\" = $MAIN_PID ]"
edit_config "$BOX_ROOT/etc/siitd/siitd.json" 'c["burst"] = 16; c["translation"]["eamt"].pop()'
in_box systemctl reload siitd
refused_in_journal() {
  siitd_journal | /usr/bin/python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    if "reload of /etc/siitd/siitd.json (SIGHUP) refused: config: burst" in e.get("MESSAGE", ""):
        sys.exit(0 if e.get("PRIORITY") == "4" else "priority " + str(e.get("PRIORITY")))
sys.exit(1)'
}
check "a reload that needs a restart is refused, in the journal as a warning with the reason" \
  within_2s refused_in_journal
check "... nothing of it applied, siitd still running and translating" bash -c "
  maps_by 203.0.114.7 203.0.114.0/24 &&
  [ \"\$(unit_property MainPID) \$(unit_property SubState)\" = '$MAIN_PID running' ] &&
  ip netns exec '$H4' ping -c 2 -i 0.2 -W 2 198.51.100.5"
edit_config "$BOX_ROOT/etc/siitd/siitd.json" 'del c["burst"]'

# --- The journal ---------------------------------------------------------------------------------

# Every line siitd logged in this run came once: through its stderr, which journald reads, and not
# also through syslog (DPDK alone writes each line to both); with its "<N>" priority prefix taken as
# the PRIORITY, not left in the text; the ready line an info; the operator's change with the uid
# and name.
journal_is_clean() {
  siitd_journal | /usr/bin/python3 -c '
import collections, json, sys
main_pid = sys.argv[1]
lines = [json.loads(l) for l in sys.stdin]
mine = [e for e in lines if e.get("_PID") == main_pid and isinstance(e.get("MESSAGE"), str)]
assert len(mine) > 5, f"only {len(mine)} lines"
transports = collections.Counter(e.get("_TRANSPORT") for e in mine)
assert set(transports) == {"stdout"}, f"transports: {dict(transports)}"
assert not any(e["MESSAGE"].startswith("<") for e in mine), "a priority prefix was left in"
ready = [e for e in mine if "worker(s) translating" in e["MESSAGE"]]
assert len(ready) == 1 and ready[0]["PRIORITY"] == "6", ready
change = [e for e in mine if "control:" in e["MESSAGE"] and "(noc)" in e["MESSAGE"]]
assert change and "203.0.113.0/24" in change[0]["MESSAGE"], "no control change with its user"
' "$MAIN_PID"
}
check "the journal holds each siitd line once, with its priority, and the control change's user" \
  journal_is_clean

# --- Restart after a crash, and reboot ------------------------------------------------------------

in_box systemctl kill -s KILL siitd
restarted() {
  [ "$(unit_property SubState)" = running ] && [ "$(unit_property MainPID)" != "$MAIN_PID" ] &&
    [ "$(unit_property NRestarts)" = 1 ]
}
export -f restarted
check "a killed siitd is restarted by systemd (Restart=on-failure)" bash -c "
  for _ in \$(seq 1 100); do restarted && exit 0; sleep 0.2; done; restarted"
check "... with its addresses, the saved table and traffic back" bash -c "
  ip -n '$RT' -o addr show k4 | grep -q 192.0.2.1/24 && maps_by 203.0.113.7 203.0.113.0/24 &&
  ip netns exec '$H6' ping -6 -c 2 -i 0.2 -W 2 2001:db8:64::192.0.2.10"

# At boot: siitd enabled, and a stand-in for a routing daemon (BIRD, FRR) ordered after
# network.target, which it pulls in as a network manager would. It notes whether siitd was ready.
cat >"$BOX_ROOT/etc/systemd/system/routing-daemon.service" <<'UNIT'
[Unit]
Wants=network.target
After=network.target
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'systemctl is-active siitd >/var/lib/routing-daemon-saw'
[Install]
WantedBy=multi-user.target
UNIT
in_box systemctl enable siitd routing-daemon >/dev/null 2>&1
poweroff_box
check "the box powers off cleanly, siitd's kernel interfaces gone with it" bash -c "
  ! ip -n '$RT' link show k4 >/dev/null 2>&1"
boot_box >"$E2E_TMP/boot.out" 2>&1
MAIN_PID=$(unit_property MainPID)
check "after a reboot, the enabled siitd runs, started by systemd at boot" bash -c "
  grep -qx running '$E2E_TMP/boot.out' && [ \"\$(unit_property SubState)\" = running ] ||
    { cat '$E2E_TMP/boot.out'; in_box systemctl status siitd --no-pager; false; }"
check "... before network.target: a routing daemon ordered after it found siitd ready" bash -c "
  [ \"\$(cat '$BOX_ROOT/var/lib/routing-daemon-saw')\" = active ] ||
    { cat '$BOX_ROOT/var/lib/routing-daemon-saw'; false; }"
check "... with the box's addresses, the saved table, and traffic both ways" bash -c "
  ip -n '$RT' -o addr show k6 | grep -q 2001:db8:100::1/64 && maps_by 203.0.113.7 203.0.113.0/24 &&
  ip netns exec '$H6' ping -6 -c 2 -i 0.2 -W 2 2001:db8:64::192.0.2.10 &&
  ip netns exec '$H4' ping -c 2 -i 0.2 -W 2 198.51.100.5"

# --- Upgrade: a newer package restarts the running siitd ------------------------------------------

# The same build as a newer version (repacked), installed in the running box. The old siitd
# translates while dpkg unpacks; the package's postinst restarts it (try-restart) with the new
# files. A ping every 10 ms across it: the largest gap between replies is the outage.
repack_newer "$deb" "$BOX_ROOT/var/tmp/siitd-newer.deb"
# The unit drains the box first (ExecStop): with no routing daemon here the traffic never moves,
# so the drain gives up after its 10 s and the stop goes on; the ping lasts longer than that.
ip netns exec "$H6" ping -6 -D -n -i 0.01 -w 22 2001:db8:64::192.0.2.10 >"$E2E_TMP/upgrade-ping.out" 2>&1 &
ping_pid=$!
sleep 2
in_box dpkg -i /var/tmp/siitd-newer.deb >"$E2E_TMP/upgrade.log" 2>&1
upgraded=$?
wait "$ping_pid"
largest_gap() {
  /usr/bin/python3 - "$E2E_TMP/upgrade-ping.out" <<'PY'
import re, sys
times = [float(m.group(1)) for m in re.finditer(r"^\[(\d+\.\d+)\] \d+ bytes from", open(sys.argv[1]).read(), re.M)]
print(f"{max(b - a for a, b in zip(times, times[1:])):.2f}" if len(times) > 1 else "none")
PY
}
gap=$(largest_gap)
echo "upgrade: the largest gap between replies to a ping every 10 ms was $gap s"
check "a newer package installs over it and restarts the running siitd, with the same table" bash -c "
  [ $upgraded = 0 ] || { cat '$E2E_TMP/upgrade.log'; false; } &&
  [ \"\$(in_box dpkg-query -W -f='\${Version}' siitd)\" = '$(dpkg-deb -f "$deb" Version)+upgrade1' ] &&
  [ \"\$(unit_property MainPID)\" != $MAIN_PID ] && [ \"\$(unit_property SubState)\" = running ] &&
  maps_by 203.0.113.7 203.0.113.0/24"
drained_first() {
  in_box journalctl -u siitd --no-pager | grep -q "drain (privileged): began draining: announce interface siitd-up down" ||
    { in_box journalctl -u siitd --no-pager | tail -20; return 1; }
}
check "... the unit drained the box before stopping it (ExecStop: siitctl drain --wait), translating meanwhile" drained_first
check "... traffic stopped for less than 3 s across the upgrade (largest gap: $gap s)" bash -c "
  [ '$gap' != none ] && /usr/bin/python3 -c 'import sys; sys.exit(not $gap < 3)'"

# --- AF_XDP ports under the unit -------------------------------------------------------------------

# The same veth ends through XDP sockets: what the unit allows net_af_xdp (AF_XDP, CAP_BPF, the
# locked UMEM) is enough. The box has no bpffs: libxdp then loads its program without the
# dispatcher, which siitd warns about.
sed -i 's/net_af_packet/net_af_xdp/g' "$BOX_ROOT/etc/siitd/siitd.json"
check "with AF_XDP ports, systemctl restart brings siitd back ready on XDP sockets" bash -c "
  in_box systemctl restart siitd && [ \"\$(unit_property SubState)\" = running ] &&
  [ \"\$(in_box siitctl ports | grep -cE '^ipv[46]-side .*net_af_xdp .* up ')\" = 2 ] ||
    { in_box journalctl -u siitd --no-pager -n 20; false; }"
# Up to four rounds of five pings a direction, until one is answered: on a loaded machine the XDP
# sockets of a just-restarted siitd can take seconds to pass their first frames. When it fails: the
# counters that moved, then (last, so that it is never cut off) the direction that failed.
pings_answered() { # namespace ping-arguments...
  local ns=$1; shift
  for _ in 1 2 3 4; do
    ip netns exec "$ns" ping -q -c 5 -i 0.3 -W 2 "$@" >/dev/null && return 0
  done
  return 1
}
xdp_both_ways() {
  local failed=
  pings_answered "$H6" -6 2001:db8:64::192.0.2.10 || failed='IPv6 -> IPv4'
  [ -n "$failed" ] || pings_answered "$H4" 198.51.100.5 || failed='IPv4 -> IPv6'
  [ -z "$failed" ] && return 0
  in_box journalctl -u siitd --no-pager -n 4; in_box siitctl stats | grep -vE ' 0$'
  echo "$failed: no reply in four rounds of five pings"
  return 1
}
check "... translating both ways" xdp_both_ways
MAIN_PID=$(unit_property MainPID)

# --- Stop ---------------------------------------------------------------------------------------

check "systemctl stop ends siitd cleanly: exit status 0, the unit inactive, its interfaces gone" bash -c "
  in_box systemctl stop siitd &&
  [ \"\$(unit_property ActiveState) \$(unit_property Result) \$(unit_property ExecMainStatus)\" = 'inactive success 0' ] &&
  ! ip -n '$RT' link show k4 >/dev/null 2>&1 || { in_box systemctl status siitd --no-pager; false; }"

# --- Removal ------------------------------------------------------------------------------------

in_box systemctl start siitd
check "removing the package stops the running siitd first; purging leaves no unit or file" bash -c "
  in_box dpkg --purge siitd >'$E2E_TMP/purge.log' 2>&1 || { cat '$E2E_TMP/purge.log'; false; } &&
  ! in_box pgrep -x siitd >/dev/null && ! ip -n '$RT' link show k4 >/dev/null 2>&1 &&
  [ ! -e '$BOX_ROOT/lib/systemd/system/siitd.service' ] && [ ! -e '$BOX_ROOT/etc/siitd' ] &&
  [ ! -e '$BOX_ROOT/usr/sbin/siitd' ]"
e2e_summary
