// RFC 7757 §3.2 suffix arithmetic; see eam.hpp.
#include "siit/eam.hpp"

#include "siit/bytes.hpp"

namespace siit {

std::optional<std::string> eam_entry_error(const EamEntry& entry) {
    const unsigned suffix4 = 32 - entry.prefix4.length;
    const unsigned suffix6 = 128 - entry.prefix6.length;
    if (suffix6 < suffix4)
        return "EAM " + entry.prefix4.to_string() + " <-> " + entry.prefix6.to_string() +
               ": the IPv6 prefix leaves " + std::to_string(suffix6) +
               " suffix bits but the IPv4 prefix needs " + std::to_string(suffix4) +
               " (RFC 7757 §3.2); use an IPv6 prefix of length " + std::to_string(128 - suffix4) +
               " or shorter";
    return std::nullopt;
}

Ipv6Address eam_map_4to6(const EamEntry& entry, Ipv4Address address) {
    const U128 v = eam_map_4to6_u128(entry, address);
    Ipv6Address a;
    store64(a.bytes.data(), static_cast<std::uint64_t>(v >> 64));
    store64(a.bytes.data() + 8, static_cast<std::uint64_t>(v));
    return a;
}

Ipv4Address eam_map_6to4(const EamEntry& entry, const Ipv6Address& address) {
    return eam_map_6to4_u128(entry, ipv6_u128(address.bytes.data()));
}

} // namespace siit
