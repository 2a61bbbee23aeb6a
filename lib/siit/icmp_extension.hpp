// RFC 4884 multi-part ICMP messages: where the "original datagram" ends and extensions begin, and
// how the two are laid out again after translation. Shared by both directions.
#pragma once

#include <cstdint>

namespace siit::detail {

struct IcmpPayloadLayout {
    std::uint32_t original_length = 0;  // bytes of the original datagram field
    std::uint32_t extension_length = 0; // bytes of extension structure after it (0: none)
};

// RFC 4884 §4/§5: `length_units` is the message's Length field (0: no extension), `unit` 4 for
// ICMPv4 and 8 for ICMPv6, `available` the bytes after the 8-byte ICMP header. A Length that
// points past the message, or below the 128 bytes §4 requires, means no extension (§5.4).
IcmpPayloadLayout icmp_payload_layout(std::uint32_t length_units, std::uint32_t unit,
                                      std::uint32_t available);

// Lays out the translated payload: `translated_original` bytes of original datagram and
// `extension_length` bytes of extension in at most `budget` bytes. Returns the bytes of original
// datagram to keep, `padded` (original field size, RFC 4884 §4: a multiple of `unit`, at least
// 128) and whether the extension still fits (when not, it is left out and Length is zero).
struct IcmpPayloadPlan {
    std::uint32_t keep_original = 0;
    std::uint32_t padded_original = 0;
    bool keep_extension = false;
};
IcmpPayloadPlan plan_icmp_payload(std::uint32_t translated_original, std::uint32_t extension_length,
                                  std::uint32_t unit, std::uint32_t budget);

} // namespace siit::detail
