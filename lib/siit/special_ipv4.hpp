// IPv4 addresses that are not ordinary unicast: the IANA IPv4 Special-Purpose Address Registry
// (RFC 6890 and its updates) and multicast, as the translator must treat them. One list, here:
// `ipv4_special_blocks()` is the registry as data (for the control plane, the documentation and
// the tests), `ipv4_scope()` the same answers as code for the per-packet path; a unit test checks
// that the two agree on every block.
//
// What each scope means for translation:
//   never_translated: no router forwards it (the registry's Forwardable = False: RFC 1812 §5.3.7
//     martians, RFC 3927 §2.7 link-local, ...). Never translated in either direction, as source
//     or destination, through pool6 or an EAM; an EAM covering such an address is refused.
//     One exception, RFC 7915 §4.1: the source of an ICMPv4 error goes through pool6 all the same.
//   non_global: forwarded, but not globally reachable (RFC 1918, RFC 6598, ...). RFC 6052 §3.1:
//     never represented with the Well-Known Prefix 64:ff9b::/96; a network-specific prefix and
//     EAMs translate it.
//   multicast: never translated through pool6 (a stateless translator maps unicast only).
//
// The documentation blocks (RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are marked
// Forwardable = False in the registry. siitd treats them as non_global on purpose: RFC 7757's own
// example EAMT (§3.3) and every RFC example this translator is checked against use them, so a
// translator that refused them could not run those examples; they are routed nowhere on the
// Internet, so translating them harms no one. docs/conformance.md lists this difference.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "siit/address.hpp"
#include "siit/bytes.hpp"

namespace siit {

enum class Ipv4Scope : std::uint8_t { global, non_global, never_translated, multicast };

struct Ipv4SpecialBlock {
    Ipv4Prefix prefix;
    Ipv4Scope scope;           // what siitd does with it (the most specific block decides)
    bool registry_forwardable; // the registry's own Forwardable column
    std::string_view name;     // the registry's name
    std::string_view rfc;      // where it is defined
};

// Every block, most specific ones included (192.0.0.9/32 inside 192.0.0.0/24).
std::span<const Ipv4SpecialBlock> ipv4_special_blocks();
// The most specific block holding `address`, or null for an ordinary global unicast address.
const Ipv4SpecialBlock* ipv4_special_block(Ipv4Address address);

std::string_view ipv4_scope_name(Ipv4Scope scope);

// ipv4_special_block(address)->scope, global when there is none: a switch on the first byte, so
// that an ordinary address costs one jump.
[[gnu::always_inline]] inline Ipv4Scope ipv4_scope(Ipv4Address address) {
    const std::uint32_t a = address.value;
    const std::uint32_t top = a >> 24;
    switch (top) {
    case 0:   // "this network"
    case 127: // loopback
        return Ipv4Scope::never_translated;
    case 10: // private use
        return Ipv4Scope::non_global;
    case 100: // shared address space 100.64.0.0/10
        return (a & 0xffc00000u) == 0x64400000u ? Ipv4Scope::non_global : Ipv4Scope::global;
    case 169: // link local 169.254.0.0/16
        return (a >> 16) == 0xa9feu ? Ipv4Scope::never_translated : Ipv4Scope::global;
    case 172: // private use 172.16.0.0/12
        return (a & 0xfff00000u) == 0xac100000u ? Ipv4Scope::non_global : Ipv4Scope::global;
    case 192:
        if ((a >> 8) == 0xc00000u) { // 192.0.0.0/24, IETF protocol assignments
            const std::uint32_t low = a & 0xffu;
            if (low == 9 || low == 10) return Ipv4Scope::global; // PCP and TURN anycast
            return low < 8 ? Ipv4Scope::non_global : Ipv4Scope::never_translated;
        }
        if ((a >> 8) == 0xc00002u || (a >> 16) == 0xc0a8u) // documentation, private use
            return Ipv4Scope::non_global;
        return Ipv4Scope::global;
    case 198: // benchmarking 198.18.0.0/15, documentation 198.51.100.0/24
        return (a & 0xfffe0000u) == 0xc6120000u || (a >> 8) == 0xc63364u ? Ipv4Scope::non_global
                                                                         : Ipv4Scope::global;
    case 203: // documentation 203.0.113.0/24
        return (a >> 8) == 0xcb0071u ? Ipv4Scope::non_global : Ipv4Scope::global;
    default:
        if (top >= 240) return Ipv4Scope::never_translated; // reserved, limited broadcast
        return top >= 224 ? Ipv4Scope::multicast : Ipv4Scope::global;
    }
}

// RFC 6052 §2.1: the Well-Known Prefix.
[[gnu::always_inline]] inline bool is_well_known_prefix(const Ipv6Prefix& prefix) {
    const std::uint8_t* p = prefix.address.bytes.data();
    return prefix.length == 96 && load64(p) == 0x0064ff9b00000000ull && load32(p + 8) == 0;
}

} // namespace siit
