#!/usr/bin/env bash
# The Debian package: built from this tree with dpkg-buildpackage, checked by lintian (no error),
# installed, used (the installed siitd validates the installed configuration and carries the
# two-armed traffic check between two real kernels), upgraded (to the same build with a higher
# version: the operator's configuration and saved table survive), and purged without a trace.
# It builds the whole package, with LTO, before anything else: more than the usual 300 s allowed.
# e2e-timeout: 900
set -u
source "$(dirname "$0")/lib.sh"
trap e2e_cleanup EXIT

if dpkg-query -W -f='${Status}' siitd 2>/dev/null | grep -q "install ok installed"; then
  echo "package_test: a siitd package is installed already; not touching it"
  echo "e2e: 0 passed, 1 failed"; exit 1
fi
work=$E2E_TMP/package
deb=$(build_package "$work")
check "dpkg-buildpackage builds the package" test -f "$deb"
check "lintian finds no error in it" \
  bash -c "lintian --fail-on error '$work'/siitd_*.changes >'$work/lintian.log' 2>&1 || { cat '$work/lintian.log'; false; }"
check "it holds the binaries, unit, group, configuration, man pages and completion" bash -c "
  files=\$(dpkg -c '$deb' | awk '{print \$6}')
  for f in ./usr/sbin/siitd ./usr/bin/siitctl ./lib/systemd/system/siitd.service \
      ./lib/systemd/system/siitd@.service \
      ./usr/lib/sysusers.d/siitd.conf ./etc/siitd/siitd.json ./usr/share/man/man8/siitd.8.gz \
      ./usr/share/man/man1/siitctl.1.gz ./usr/share/man/man5/siitd.conf.5.gz \
      ./usr/share/bash-completion/completions/siitctl; do
    grep -qx \"\$f\" <<<\"\$files\" || { echo \"missing \$f\"; exit 1; }
  done"
check "... and depends on no build or test tool" bash -c "
  ! dpkg -I '$deb' | grep -E '^ (Depends|Recommends):' | grep -qE 'g\\+\\+|meson|scapy|bird|catch2|python'"
check "dpkg installs it, /etc/siitd/siitd.json a conffile" \
  bash -c "dpkg -i '$deb' >'$work/install.log' 2>&1 && dpkg-query -W -f='\${Conffiles}' siitd | grep -q /etc/siitd/siitd.json"
check "its postinst created the siitd group" getent group siitd
check "the installed siitd accepts the installed configuration" /usr/sbin/siitd --check-config /etc/siitd/siitd.json
check "the installed man pages are found, siitctl in section 1 (it is in /usr/bin)" bash -c "man -w siitd && man -w 1 siitctl && man -w 5 siitd.conf"
check "... and man --warnings finds nothing to say about them" bash -c "
  for page in 8:siitd 1:siitctl 5:siitd.conf; do
    MANWIDTH=80 man --warnings \${page%%:*} \${page#*:} 2>&1 >/dev/null | grep . && exit 1
  done; true"

# The traffic check, with the installed binaries and /etc/siitd/siitd.json edited by the operator.
SIITD=/usr/sbin/siitd SIITCTL=/usr/bin/siitctl
two_armed_topology
cp "$E2E_TMP/siitd.json" /etc/siitd/siitd.json
start_siitd "$RT" /etc/siitd/siitd.json || { echo "e2e: 0 passed, 1 failed"; dpkg --purge siitd >/dev/null; exit 1; }
check "installed: IPv6 host pings the IPv4 host at its pool6 address" \
  ip netns exec "$H6" ping -6 -c 3 -i 0.2 -W 2 2001:db8:64::192.0.2.10
check "installed: IPv4 host pings the IPv6 host at its EAM address" \
  ip netns exec "$H4" ping -c 3 -i 0.2 -W 2 198.51.100.5
check "installed: siitctl changes the table and saves it in the conffile" bash -c "
  '$SIITCTL' eamt add 203.0.113.0/24 2001:db8:200::/120 >/dev/null && '$SIITCTL' config save >/dev/null &&
  grep -q 203.0.113.0/24 /etc/siitd/siitd.json"
stop_siitd >/dev/null

# An upgrade: the same build as a newer version (repacked), installed over it, then a restart.
repack_newer "$deb" "$work/siitd_newer.deb"
check "the newer package installs over it, keeping the edited configuration" bash -c "
  dpkg -i '$work/siitd_newer.deb' >'$work/upgrade.log' 2>&1 &&
  dpkg-query -W -f='\${Version}' siitd | grep -q upgrade1 && grep -q 203.0.113.0/24 /etc/siitd/siitd.json"
start_siitd "$RT" /etc/siitd/siitd.json || { echo "e2e: 0 passed, 1 failed"; dpkg --purge siitd >/dev/null; exit 1; }
check "after the upgrade and a restart, the same table" \
  output_has "by EAMT entry 203.0.113.0/24" "$SIITCTL" lookup 203.0.113.7
check "... and traffic through it" ip netns exec "$H4" ping -c 3 -i 0.2 -W 2 198.51.100.5
stop_siitd >/dev/null

check "dpkg purges it without a trace" bash -c "dpkg --purge siitd >'$work/purge.log' 2>&1 &&
  [ ! -e /usr/sbin/siitd ] && [ ! -e /etc/siitd ] && [ ! -e /lib/systemd/system/siitd.service ]"
e2e_summary
