#!/usr/bin/env bash
# Installs every package siitd needs to build, test and run, from Debian 12's archive by name.
# Idempotent: packages already present are skipped without touching the network.
set -euo pipefail

packages=(
  build-essential g++ pkg-config meson ninja-build clang-format
  dpdk dpdk-dev libdpdk-dev libpcap-dev
  libnl-3-dev libnl-route-3-dev libsystemd-dev libmicrohttpd-dev pandoc
  catch2 libcli11-dev nlohmann-json3-dev
  python3-scapy tshark iputils-ping iputils-tracepath traceroute iproute2 ethtool util-linux time
  bird2 systemd prometheus tayga iperf3
  debhelper lintian debootstrap systemd-container libcap2-bin
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root (or with sudo) to install them" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The packages are tools here (bird2, prometheus, tayga): the tests and benchmarks start them in
# their own namespaces.
# Their services are not started on the host by the installation (Debian's policy-rc.d), unless
# the host already has a policy of its own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
