// The exception path (docs/router-box.md): which frames belong to the box's kernel rather than to
// the translator. The kernel stays the control plane: ARP, Neighbour Discovery, routing protocols
// (OSPF hellos with TTL 1, Jool issue #167) and traffic for the box's own addresses reach it
// through a kernel interface (DPDK net_tap) with the port's MAC, and what it sends leaves by the
// port. Plain bytes in, a yes or no out: tested without an EAL.
#pragma once

#include <cstdint>
#include <vector>

#include "siit/address.hpp"

namespace siitd {

// The addresses the operator gave the box's kernel interfaces (learned through netlink).
struct HostAddresses {
    std::vector<siit::Ipv4Address> ipv4;
    std::vector<siit::Ipv6Address> ipv6;
};

// Whether the frame with `ethertype` whose L3 packet starts at `packet` (`length` bytes) goes to
// the kernel: anything but IPv4 and IPv6 (ARP, LLDP, ...); IPv4 to a multicast or the limited
// broadcast address or to one of the box's addresses; IPv6 to a multicast (Neighbour Discovery,
// MLD, OSPFv3) or link-local address or to one of the box's addresses, and Neighbour Discovery
// (ICMPv6 133-137 right after the fixed header) to any address. A packet too short to tell
// goes to the translator, which counts it as malformed.
bool for_kernel(std::uint16_t ethertype, const std::uint8_t* packet, std::uint32_t length,
                const HostAddresses& host);

} // namespace siitd
