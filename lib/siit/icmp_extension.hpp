// RFC 4884 multi-part ICMP messages: where the "original datagram" ends and extensions begin, and
// how the two are laid out again after translation; and the translated error message's body, which
// both directions (icmp_4to6.cpp, icmp_6to4.cpp) build the same way.
#pragma once

#include <cstdint>

#include "siit/counters.hpp"

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

// An ICMP error's header in the other family, as each direction's type and code table gives it.
struct TranslatedIcmpHeader {
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    std::uint32_t rest = 0;  // bytes 4-7
    bool may_extend = false; // the translated type has an RFC 4884 length attribute
    Counter refusal;         // why the error is dropped when !ok
    bool ok = false;
};

// Writes the translated error message at `icmp`: its 8-byte header (checksum zero: the caller's,
// which knows its family's pseudo-header), then the `inner_headers` bytes of translated inner
// header that the caller already wrote at icmp + 8, as much of the inner packet's
// `inner_payload` bytes at `inner_l4` as fits, padding, and the `extension_length` bytes of
// extension at `extension` (RFC 4884: length attribute in byte `length_byte`, in `unit`s), in at
// most `budget` bytes after the header. Returns the message's length and the inner payload bytes
// copied.
struct IcmpErrorBody {
    std::uint32_t message_length = 0;
    std::uint32_t copied = 0;
};
IcmpErrorBody write_icmp_error_body(std::uint8_t* icmp, const TranslatedIcmpHeader& header,
                                    std::uint32_t inner_headers, const std::uint8_t* inner_l4,
                                    std::uint32_t inner_payload, const std::uint8_t* extension,
                                    std::uint32_t extension_length, std::uint32_t unit,
                                    unsigned length_byte, std::uint32_t budget);

} // namespace siit::detail
