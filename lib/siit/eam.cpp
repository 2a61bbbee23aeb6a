// RFC 7757 §3.2 suffix arithmetic; see eam.hpp.
#include "siit/eam.hpp"

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
    Ipv6Address out = entry.prefix6.address;
    const unsigned suffix_bits = 32u - entry.prefix4.length;
    for (unsigned i = 0; i < suffix_bits; ++i) {
        const bool bit = (address.value >> (suffix_bits - 1 - i)) & 1;
        out.set_bit(entry.prefix6.length + i, bit);
    }
    return out;
}

Ipv4Address eam_map_6to4(const EamEntry& entry, const Ipv6Address& address) {
    std::uint32_t value = entry.prefix4.address.value;
    const unsigned suffix_bits = 32u - entry.prefix4.length;
    for (unsigned i = 0; i < suffix_bits; ++i)
        if (address.bit(entry.prefix6.length + i))
            value |= std::uint32_t{1} << (suffix_bits - 1 - i);
    return Ipv4Address{value};
}

} // namespace siit
