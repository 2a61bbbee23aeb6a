// RFC 6052: IPv4-embedded IPv6 addresses under a translation prefix (pool6).
#pragma once

#include <optional>

#include "siit/address.hpp"

namespace siit {

// True for the prefix lengths RFC 6052 §2.2 allows: 32, 40, 48, 56, 64 and 96.
bool rfc6052_valid_length(unsigned length);

// RFC 6052 §2.2: places `v4` after `prefix`, skipping bits 64-71 (the u-octet), which are written
// as zero, as is the suffix. `prefix` must have a valid length.
Ipv6Address rfc6052_embed(const Ipv6Prefix& prefix, Ipv4Address v4);

// RFC 6052 §2.2 in reverse. Returns nothing when `v6` is not inside `prefix`. The u-octet and the
// suffix are ignored, not checked (RFC 6052 §2.2: "SHOULD ignore"), so such packets still pass.
std::optional<Ipv4Address> rfc6052_extract(const Ipv6Prefix& prefix, const Ipv6Address& v6);

} // namespace siit
