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

namespace {

// Addresses as 128-bit integers, so that the suffix is one shift and one mask (the hot path).
__extension__ typedef unsigned __int128 U128;

U128 to_u128(const Ipv6Address& a) {
    return (static_cast<U128>(load64(a.bytes.data())) << 64) | load64(a.bytes.data() + 8);
}

Ipv6Address from_u128(U128 v) {
    Ipv6Address a;
    store64(a.bytes.data(), static_cast<std::uint64_t>(v >> 64));
    store64(a.bytes.data() + 8, static_cast<std::uint64_t>(v));
    return a;
}

} // namespace

Ipv6Address eam_map_4to6(const EamEntry& entry, Ipv4Address address) {
    const unsigned suffix_bits = 32u - entry.prefix4.length;
    if (suffix_bits == 0) return entry.prefix6.address;
    const std::uint64_t suffix = address.value & ((std::uint64_t{1} << suffix_bits) - 1);
    const unsigned shift = 128u - entry.prefix6.length - suffix_bits;
    return from_u128(to_u128(entry.prefix6.address) | (static_cast<U128>(suffix) << shift));
}

Ipv4Address eam_map_6to4(const EamEntry& entry, const Ipv6Address& address) {
    const unsigned suffix_bits = 32u - entry.prefix4.length;
    if (suffix_bits == 0) return entry.prefix4.address;
    const unsigned shift = 128u - entry.prefix6.length - suffix_bits;
    const auto suffix = static_cast<std::uint32_t>((to_u128(address) >> shift) &
                                                   ((std::uint64_t{1} << suffix_bits) - 1));
    return Ipv4Address{entry.prefix4.address.value | suffix};
}

} // namespace siit
