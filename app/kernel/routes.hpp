// The kernel's routes and neighbours on one kernel interface, as the workers read them: which MAC
// a translated packet leaving the port goes to. Longest-prefix match over the kernel's routes (a
// gateway, or on-link), then the neighbour table for the gateway or the destination itself. Built
// by the kernel mirror, immutable once published; plain data, tested without an EAL.
//
// The longest-prefix match is one binary search: finish() flattens the routes, which nest or are
// disjoint, into the sorted boundaries of address ranges that each belong to one most specific
// route (or to none). A full Internet table (some 10^6 routes) costs about 21 steps a lookup, and
// the mirror thread, not the workers, pays for the rebuild.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "siit/address.hpp"
#include "siit/eam.hpp"

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
    std::vector<Route4> routes4; // what the mirror appends; finish() indexes them
    std::vector<Route6> routes6;
    std::vector<std::pair<std::uint32_t, Mac>> neighbours4; // sorted by address; usable entries
    std::vector<std::pair<siit::Ipv6Address, Mac>> neighbours6;

    // Indexes what the mirror appended, as the lookups need it. Of two routes to the same prefix
    // the first appended wins.
    void finish();
    // The MAC for a packet to `dst`; null when no route covers it (`routed` false) or its next hop
    // has no usable neighbour entry (`next_hop` then names the address to resolve).
    const Mac* resolve4(std::uint32_t dst, bool& routed, std::uint32_t& next_hop) const;
    const Mac* resolve6(const siit::Ipv6Address& dst, bool& routed,
                        siit::Ipv6Address& next_hop) const;

  private:
    // From `start` on (up to the next boundary) the most specific route is `route`, or none (-1).
    template <typename Address> struct Boundary {
        Address start;
        std::int32_t route;
    };
    std::vector<Boundary<std::uint32_t>> ranges4_;
    std::vector<Boundary<siit::U128>> ranges6_;
};

} // namespace siitd
