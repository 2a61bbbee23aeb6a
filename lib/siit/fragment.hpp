// RFC 7915 §4.1: IPv4 packets with DF=0 that are too large for IPv6 are split into IPv6 fragments.
#pragma once

#include "siit/translator.hpp"

namespace siit::detail {

// `packet` holds an IPv6 header and a Fragment header (48 bytes) followed by the payload. Splits
// it so that no fragment exceeds `limit` bytes: the first stays in `packet`, the others are
// allocated from `allocator`, each with a copy of the headers and its offset and M flag.
// Returns the number of extra packets written; `ok` is false when a buffer was missing.
std::uint16_t split_into_ipv6_fragments(PacketBuffer& packet, std::uint32_t limit,
                                        PacketAllocator* allocator, bool& ok);

} // namespace siit::detail
