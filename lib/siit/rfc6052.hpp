// RFC 6052: IPv4-embedded IPv6 addresses under a translation prefix (pool6).
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>

#include "siit/address.hpp"
#include "siit/bytes.hpp"

namespace siit {

// True for the prefix lengths RFC 6052 §2.2 allows: 32, 40, 48, 56, 64 and 96.
bool rfc6052_valid_length(unsigned length);

// RFC 6052 §2.2: places `v4` after `prefix`, skipping bits 64-71 (the u-octet), which are written
// as zero, as is the suffix. `prefix` must have a valid length.
Ipv6Address rfc6052_embed(const Ipv6Prefix& prefix, Ipv4Address v4);

// RFC 6052 §2.2 in reverse. Returns nothing when `v6` is not inside `prefix`. The u-octet and the
// suffix are ignored, not checked (RFC 6052 §2.2: "SHOULD ignore"), so such packets still pass.
std::optional<Ipv4Address> rfc6052_extract(const Ipv6Prefix& prefix, const Ipv6Address& v6);

// RFC 6052 §2.2 with a /96 prefix (64:ff9b::/96 and its kind), the common case: the IPv4
// address is the last 32 bits. Inline, on raw bytes, because the fast path takes it on every
// packet; rfc6052_embed and rfc6052_extract take it too. `prefix` is the prefix's 16 bytes.
inline void rfc6052_embed_96(const std::uint8_t* prefix, std::uint32_t v4, std::uint8_t* out) {
    std::memcpy(out, prefix, 12);
    store32(out + 12, v4);
}
// Two loads, not memcmp: the library's memcmp was a call on every 6->4 packet.
inline bool rfc6052_extract_96(const std::uint8_t* prefix, const std::uint8_t* v6,
                               std::uint32_t& v4) {
    if (load64(v6) != load64(prefix) || load32(v6 + 8) != load32(prefix + 8)) return false;
    v4 = load32(v6 + 12);
    return true;
}

} // namespace siit
