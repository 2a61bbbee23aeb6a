#!/usr/bin/env bash
# Sets up the kernel's side of a one-armed siitd on a veth pair served through AF_XDP (the fast
# replacement for a tun translator such as TAYGA; docs/af_xdp.md), from siitd's configuration
# file alone, so that nothing is done by hand:
#   - the veth pair: siitd's end is the interface of the file's net_af_xdp --vdev (iface=), the
#     kernel's end KERNEL_END (default "siit") gets the MAC the port's next-hop-mac names;
#   - the kernel's end is NOARP: the routes through it need no neighbour, and siitd answers no
#     ARP or NDP;
#   - checksum offload off on the kernel's end: an XDP socket sees the frames as the kernel
#     left them, and a partial checksum would reach the hosts unfinished;
#   - routes for pool6 and every EAM's IPv4 prefix into the kernel's end, and forwarding on.
# Idempotent: run it again after changing the file (routes are replaced, never duplicated).
# Usage: one-armed-veth.sh CONFIG [KERNEL_END]      as root; `down` as a third word removes it.
set -euo pipefail
config=${1:?usage: one-armed-veth.sh CONFIG [KERNEL_END] [down]}
kernel_end=${2:-siit}
action=${3:-up}

# What the file says: siitd's interface, the kernel end's MAC, pool6 and the EAM IPv4 prefixes.
read -r siitd_end mac pool6 prefixes4 < <(/usr/bin/python3 - "$config" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
ports = c.get("ports", [])
if len(ports) != 1 or ports[0].get("role") != "both":
    sys.exit("one-armed-veth.sh: the file must have one port of role both (one-armed)")
port = ports[0]
vdev = next((c["eal"][i + 1] for i, a in enumerate(c.get("eal", []))
             if a == "--vdev" and i + 1 < len(c["eal"])
             and c["eal"][i + 1].split(",")[0] == port["device"]), None)
if not port["device"].startswith("net_af_xdp") or vdev is None:
    sys.exit("one-armed-veth.sh: the port must be a net_af_xdp --vdev of the file's eal list")
iface = next((kv[6:] for kv in vdev.split(",")[1:] if kv.startswith("iface=")), None)
if not iface or "next-hop-mac" not in port:
    sys.exit("one-armed-veth.sh: the port needs iface= in its --vdev and a next-hop-mac (the MAC "
             "the kernel's end gets)")
t = c.get("translation", {})
prefixes = sorted({e["ipv4"] if "/" in e["ipv4"] else e["ipv4"] + "/32" for e in t.get("eamt", [])})
print(iface, port["next-hop-mac"], t.get("pool6") or "-", ",".join(prefixes) or "-")
PY
)

if [ "$action" = down ]; then
  ip link del "$kernel_end" 2>/dev/null || true
  echo "one-armed-veth: removed $kernel_end <-> $siitd_end"
  exit 0
fi

if ! ip link show "$siitd_end" >/dev/null 2>&1; then
  ip link add "$kernel_end" address "$mac" type veth peer name "$siitd_end"
fi
ip link set "$kernel_end" address "$mac"
sysctl -qw "net.ipv6.conf.$siitd_end.disable_ipv6=1"
ip link set "$kernel_end" arp off
ip link set "$kernel_end" up
ip link set "$siitd_end" up
ethtool -K "$kernel_end" tx off tso off gso off >/dev/null
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
[ "$pool6" = - ] || ip -6 route replace "$pool6" dev "$kernel_end"
if [ "$prefixes4" != - ]; then
  for p in ${prefixes4//,/ }; do ip route replace "$p" dev "$kernel_end"; done
fi
echo "one-armed-veth: $kernel_end ($mac, NOARP) <-> $siitd_end (siitd, AF_XDP); routed in: pool6 $pool6, EAM ${prefixes4//,/ }"
