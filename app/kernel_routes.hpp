// The kernel's routes and neighbours on one kernel interface, as the workers read them: which MAC
// a translated packet leaving the port goes to. Longest-prefix match over the kernel's routes (a
// gateway, or on-link), then the neighbour table for the gateway or the destination itself. Built
// by the kernel mirror, immutable once published; plain data, tested without an EAL.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "siit/address.hpp"

namespace siitd {

using Mac = std::array<std::uint8_t, 6>;

struct KernelRoutes {
    struct Route4 {
        std::uint32_t prefix = 0;
        std::uint8_t length = 0;
        std::uint32_t gateway = 0; // 0: on-link (the destination is its own next hop)
    };
    struct Route6 {
        siit::Ipv6Address prefix;
        std::uint8_t length = 0;
        bool via = false; // a gateway, else on-link
        siit::Ipv6Address gateway;
    };
    std::vector<Route4> routes4; // longest prefix first
    std::vector<Route6> routes6;
    std::vector<std::pair<std::uint32_t, Mac>> neighbours4; // sorted by address; usable entries
    std::vector<std::pair<siit::Ipv6Address, Mac>> neighbours6;

    // Sorts what the mirror appended, as the lookups need it.
    void finish();
    // The MAC for a packet to `dst`; null when no route covers it (`routed` false) or its next hop
    // has no usable neighbour entry (`next_hop` then names the address to resolve).
    const Mac* resolve4(std::uint32_t dst, bool& routed, std::uint32_t& next_hop) const;
    const Mac* resolve6(const siit::Ipv6Address& dst, bool& routed,
                        siit::Ipv6Address& next_hop) const;
};

} // namespace siitd
