// RFC 7757 §3.2 suffix arithmetic; see eam.hpp.
#include "siit/eam.hpp"

#include "siit/bytes.hpp"
#include "siit/special_ipv4.hpp"

namespace siit {

namespace {

// An address of `range` that no router forwards. The blocks that hold forwardable exceptions
// (192.0.0.9 inside 192.0.0.0/24) are /24s, so a larger range is never translated throughout and
// a smaller one is checked address by address.
std::optional<Ipv4Address> never_forwarded_address(const Ipv4Prefix& range) {
    if (range.length < 24) return range.address;
    for (std::uint32_t i = 0; i < (std::uint32_t{1} << (32 - range.length)); ++i)
        if (ipv4_scope(Ipv4Address{range.address.value + i}) == Ipv4Scope::never_translated)
            return Ipv4Address{range.address.value + i};
    return std::nullopt;
}

// An address inside `prefix` that no router forwards (special_ipv4.hpp), if there is one.
std::optional<Ipv4Address> never_forwarded_inside(const Ipv4Prefix& prefix) {
    for (const Ipv4SpecialBlock& block : ipv4_special_blocks()) {
        if (block.scope != Ipv4Scope::never_translated) continue;
        // The overlap of two prefixes is the longer one, when they overlap at all.
        if (prefix.length <= block.prefix.length && prefix.contains(block.prefix.address)) {
            if (const auto address = never_forwarded_address(block.prefix)) return address;
        } else if (block.prefix.contains(prefix.address)) {
            if (const auto address = never_forwarded_address(prefix)) return address;
        }
    }
    return std::nullopt;
}

} // namespace

std::string eam_text(const EamEntry& entry) {
    return entry.prefix4.to_string() + " <-> " + entry.prefix6.to_string();
}

std::optional<std::string> eam_entry_error(const EamEntry& entry) {
    const unsigned suffix4 = 32 - entry.prefix4.length;
    const unsigned suffix6 = 128 - entry.prefix6.length;
    if (suffix6 < suffix4)
        return "EAM " + eam_text(entry) + ": the IPv6 prefix leaves " + std::to_string(suffix6) +
               " suffix bits but the IPv4 prefix needs " + std::to_string(suffix4) +
               " (RFC 7757 §3.2); use an IPv6 prefix of length " + std::to_string(128 - suffix4) +
               " or shorter";
    if (const auto address = never_forwarded_inside(entry.prefix4)) {
        const Ipv4SpecialBlock* block = ipv4_special_block(*address);
        return "EAM " + eam_text(entry) + ": its IPv4 prefix holds " + address->to_string() + " (" +
               std::string(block->name) + ", " + std::string(block->rfc) +
               "), an address no router forwards, which is never translated";
    }
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
