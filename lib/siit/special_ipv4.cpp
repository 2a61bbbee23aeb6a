// The IANA IPv4 Special-Purpose Address Registry as siitd applies it; see special_ipv4.hpp.
#include "siit/special_ipv4.hpp"

#include <array>

namespace siit {

namespace {

constexpr Ipv4Prefix block(std::uint32_t address, std::uint8_t length) {
    return Ipv4Prefix{Ipv4Address{address}, length};
}

using enum Ipv4Scope;

// The registry's rows (forwardable as it states it), then multicast, which has its own registry.
// 192.88.99.0/24 (6to4 relay anycast) is deprecated by RFC 7526 and left out: it is ordinary
// unicast space again. The blocks the registry marks global and forwardable (AS112, AMT) need no
// row either.
constexpr std::array kBlocks = {
    Ipv4SpecialBlock{block(0x00000000, 8), never_translated, false, "\"This network\"",
                     "RFC 791 §3.2"},
    Ipv4SpecialBlock{block(0x0a000000, 8), non_global, true, "Private-Use", "RFC 1918"},
    Ipv4SpecialBlock{block(0x64400000, 10), non_global, true, "Shared Address Space", "RFC 6598"},
    Ipv4SpecialBlock{block(0x7f000000, 8), never_translated, false, "Loopback",
                     "RFC 1122 §3.2.1.3"},
    Ipv4SpecialBlock{block(0xa9fe0000, 16), never_translated, false, "Link Local", "RFC 3927 §2.7"},
    Ipv4SpecialBlock{block(0xac100000, 12), non_global, true, "Private-Use", "RFC 1918"},
    Ipv4SpecialBlock{block(0xc0000000, 24), never_translated, false, "IETF Protocol Assignments",
                     "RFC 6890 §2.1"},
    Ipv4SpecialBlock{block(0xc0000000, 29), non_global, true, "IPv4 Service Continuity Prefix",
                     "RFC 7335"},
    Ipv4SpecialBlock{block(0xc0000008, 32), never_translated, false, "IPv4 dummy address",
                     "RFC 7600"},
    Ipv4SpecialBlock{block(0xc0000009, 32), global, true, "Port Control Protocol Anycast",
                     "RFC 7723"},
    Ipv4SpecialBlock{block(0xc000000a, 32), global, true,
                     "Traversal Using Relays around NAT Anycast", "RFC 8155"},
    Ipv4SpecialBlock{block(0xc00000aa, 32), never_translated, false, "NAT64/DNS64 Discovery",
                     "RFC 8880 §2.2"},
    Ipv4SpecialBlock{block(0xc00000ab, 32), never_translated, false, "NAT64/DNS64 Discovery",
                     "RFC 8880 §2.2"},
    Ipv4SpecialBlock{block(0xc0000200, 24), non_global, false, "Documentation (TEST-NET-1)",
                     "RFC 5737"},
    Ipv4SpecialBlock{block(0xc0a80000, 16), non_global, true, "Private-Use", "RFC 1918"},
    Ipv4SpecialBlock{block(0xc6120000, 15), non_global, true, "Benchmarking", "RFC 2544"},
    Ipv4SpecialBlock{block(0xc6336400, 24), non_global, false, "Documentation (TEST-NET-2)",
                     "RFC 5737"},
    Ipv4SpecialBlock{block(0xcb007100, 24), non_global, false, "Documentation (TEST-NET-3)",
                     "RFC 5737"},
    Ipv4SpecialBlock{block(0xe0000000, 4), multicast, true, "Multicast", "RFC 5771"},
    Ipv4SpecialBlock{block(0xf0000000, 4), never_translated, false, "Reserved", "RFC 1112 §4"},
    Ipv4SpecialBlock{block(0xffffffff, 32), never_translated, false, "Limited Broadcast",
                     "RFC 8190, RFC 919 §7"},
};

} // namespace

std::span<const Ipv4SpecialBlock> ipv4_special_blocks() {
    return kBlocks;
}

const Ipv4SpecialBlock* ipv4_special_block(Ipv4Address address) {
    const Ipv4SpecialBlock* best = nullptr;
    for (const Ipv4SpecialBlock& b : kBlocks)
        if (b.prefix.contains(address) && (!best || b.prefix.length > best->prefix.length))
            best = &b;
    return best;
}

std::string_view ipv4_scope_name(Ipv4Scope scope) {
    switch (scope) {
    case global:
        return "global";
    case non_global:
        return "non-global";
    case never_translated:
        return "never translated";
    case multicast:
        return "multicast";
    }
    return "?";
}

} // namespace siit
