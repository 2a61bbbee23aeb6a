// A random EAMT for the benchmarks (eamt-bench, dataplane-bench): the same realistic mix in both.
#pragma once

#include <cstdint>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "siit/eam.hpp"

namespace siit::bench {

// A realistic mix: 70% single addresses (/32 <-> /128), 30% ranges /20-/31; each IPv6 side keeps
// exactly the IPv4 suffix bits (RFC 7757 §3.2), under 2001:db8::/32 with random bits between.
// `singles_only`: single addresses only, one prefix length each side.
inline std::vector<EamEntry> make_entries(std::size_t n, std::mt19937_64& rng,
                                          bool singles_only = false) {
    std::vector<EamEntry> entries;
    std::set<std::pair<std::uint32_t, std::uint8_t>> seen4;
    entries.reserve(n);
    while (entries.size() < n) {
        const unsigned l4 = singles_only || rng() % 10 < 7 ? 32 : 20 + rng() % 12;
        Ipv4Prefix p4{Ipv4Address{static_cast<std::uint32_t>(rng())},
                      static_cast<std::uint8_t>(l4)};
        p4.address.value &= p4.mask();
        if (!seen4.insert({p4.address.value, p4.length}).second) continue;
        Ipv6Address v6;
        const std::uint64_t r = rng();
        v6.bytes = {0x20, 0x01, 0x0d, 0xb8};
        for (int i = 0; i < 8; ++i)
            v6.bytes[4 + i] = static_cast<std::uint8_t>(r >> (8 * i));
        const auto l6 = static_cast<std::uint8_t>(128 - (32 - l4));
        for (unsigned bit = l6; bit < 128; ++bit)
            v6.set_bit(bit, false);
        const EamEntry entry{p4, Ipv6Prefix{v6, l6}};
        if (eam_entry_error(entry)) continue; // over an address no router forwards
        entries.push_back(entry);
    }
    return entries;
}

} // namespace siit::bench
