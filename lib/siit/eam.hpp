// RFC 7757 Explicit Address Mappings: one entry's arithmetic, and the lookup the translator calls.
// The table itself (longest-prefix match, lock-free versions) lives behind EamLookup.
#pragma once

#include <optional>
#include <string>

#include "siit/address.hpp"

namespace siit {

struct EamEntry {
    Ipv4Prefix prefix4;
    Ipv6Prefix prefix6;
    auto operator<=>(const EamEntry&) const = default;
};

// RFC 7757 §3.2: the IPv6 side must hold every suffix bit of the IPv4 side. Returns a message a
// person can act on when `entry` is not valid, nothing when it is.
std::optional<std::string> eam_entry_error(const EamEntry& entry);

// RFC 7757 §3.2: the IPv4 suffix bits (after prefix4) are copied right after prefix6; any IPv6
// bits beyond them are zero. `address` must be inside entry.prefix4.
Ipv6Address eam_map_4to6(const EamEntry& entry, Ipv4Address address);
// The reverse: the suffix bits right after prefix6 become the IPv4 suffix; later IPv6 bits are
// ignored. `address` must be inside entry.prefix6.
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
