// RFC 7757 Explicit Address Mappings: one entry's arithmetic, and the lookup the translator calls.
// The table itself (longest-prefix match, lock-free versions) lives behind EamLookup.
#pragma once

#include <optional>
#include <string>

#include "siit/address.hpp"
#include "siit/bytes.hpp"

namespace siit {

struct EamEntry {
    Ipv4Prefix prefix4;
    Ipv6Prefix prefix6;
    auto operator<=>(const EamEntry&) const = default;
};

// An entry as messages name it: "192.0.2.0/24 <-> 2001:db8::/120".
std::string eam_text(const EamEntry& entry);

// RFC 7757 §3.2: the IPv6 side must hold every suffix bit of the IPv4 side; and no IPv4 address
// of the entry may be one no router forwards (special_ipv4.hpp: such addresses are never
// translated). Returns a message a person can act on when `entry` is not valid, nothing when it is.
std::optional<std::string> eam_entry_error(const EamEntry& entry);

// An IPv6 address as one integer, its first byte most significant (two load64 halves): the
// suffix arithmetic below is then one shift and one mask.
__extension__ typedef unsigned __int128 U128;

inline U128 ipv6_u128(const std::uint8_t* bytes) {
    return (static_cast<U128>(load64(bytes)) << 64) | load64(bytes + 8);
}

// RFC 7757 §3.2: the IPv4 suffix bits (after prefix4) are copied right after prefix6; any IPv6
// bits beyond them are zero. `address` must be inside entry.prefix4. Inline, on integers: the
// translator's fast path maps an address so on every packet (called, through Ipv6Address, it
// cost 1-2 ns per packet).
inline U128 eam_map_4to6_u128(const EamEntry& entry, Ipv4Address address) {
    const U128 prefix = ipv6_u128(entry.prefix6.address.bytes.data());
    const unsigned suffix_bits = 32u - entry.prefix4.length;
    if (suffix_bits == 0) return prefix;
    const std::uint64_t suffix = address.value & ((std::uint64_t{1} << suffix_bits) - 1);
    const unsigned shift = 128u - entry.prefix6.length - suffix_bits;
    return prefix | (static_cast<U128>(suffix) << shift);
}
// The reverse: the suffix bits right after prefix6 become the IPv4 suffix; later IPv6 bits are
// ignored. `address` must be inside entry.prefix6.
inline Ipv4Address eam_map_6to4_u128(const EamEntry& entry, U128 address) {
    const unsigned suffix_bits = 32u - entry.prefix4.length;
    if (suffix_bits == 0) return entry.prefix4.address;
    const unsigned shift = 128u - entry.prefix6.length - suffix_bits;
    const auto suffix =
        static_cast<std::uint32_t>((address >> shift) & ((std::uint64_t{1} << suffix_bits) - 1));
    return Ipv4Address{entry.prefix4.address.value | suffix};
}
// The same on addresses.
Ipv6Address eam_map_4to6(const EamEntry& entry, Ipv4Address address);
Ipv4Address eam_map_6to4(const EamEntry& entry, const Ipv6Address& address);

// Longest-prefix match over the EAMT in each direction (RFC 7757 §3.3, §3.4). Workers call these
// concurrently; an implementation must be safe for any number of simultaneous readers.
class EamLookup {
  public:
    virtual ~EamLookup() = default;
    // The entry whose prefix4 is the longest one containing `address`, or null.
    virtual const EamEntry* find4(Ipv4Address address) const = 0;
    // The entry whose prefix6 is the longest one containing `address`, or null.
    virtual const EamEntry* find6(const Ipv6Address& address) const = 0;
};

} // namespace siit
