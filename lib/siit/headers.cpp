// IPv4 and IPv6 header parsing; see headers.hpp.
#include "siit/headers.hpp"

#include "siit/bytes.hpp"

namespace siit {

ParseStatus parse_ipv4(const std::uint8_t* p, std::uint32_t available, bool whole, Ipv4Info& out) {
    if (available < kIpv4HeaderSize) return ParseStatus::truncated;
    if ((p[0] >> 4) != 4) return ParseStatus::malformed;
    out.header_length = (p[0] & 0x0fu) * 4u;
    if (out.header_length < kIpv4HeaderSize) return ParseStatus::malformed;
    if (out.header_length > available) return ParseStatus::truncated;
    out.total_length = load16(p + 2);
    if (out.total_length < out.header_length) return ParseStatus::malformed;
    if (whole && out.total_length > available) return ParseStatus::truncated;
    out.tos = p[1];
    out.identification = load16(p + 4);
    const std::uint16_t flags_offset = load16(p + 6);
    out.dont_fragment = flags_offset & 0x4000;
    out.more_fragments = flags_offset & 0x2000;
    out.fragment_offset = static_cast<std::uint16_t>((flags_offset & 0x1fff) * 8);
    out.ttl = p[8];
    out.protocol = p[9];
    return ParseStatus::ok;
}

ParseStatus parse_ipv6(const std::uint8_t* p, std::uint32_t available, bool whole, Ipv6Info& out) {
    if (available < kIpv6HeaderSize) return ParseStatus::truncated;
    if ((p[0] >> 4) != 6) return ParseStatus::malformed;
    out = Ipv6Info{};
    out.traffic_class = static_cast<std::uint8_t>((load16(p) >> 4) & 0xff);
    out.payload_length = load16(p + 4);
    out.hop_limit = p[7];
    // Payload Length zero is a jumbogram only with a Hop-by-Hop Jumbo Payload option (RFC 2675
    // §3), which needs a payload to sit in: the walk below refuses it. Without one, zero is an
    // empty packet (Next Header 59, for instance), translated like any other.
    if (whole && kIpv6HeaderSize + out.payload_length > available) return ParseStatus::truncated;
    // Walk no further than the packet's own end, nor than the bytes we were given.
    const std::uint32_t end = whole ? kIpv6HeaderSize + out.payload_length : available;

    std::uint8_t next = p[6];
    std::uint32_t offset = kIpv6HeaderSize;
    std::uint32_t fragment_offset_field = 0; // where the Fragment header is, once walked
    bool first = true;
    for (;;) {
        // RFC 7915 §5.1.1: an extension header after the Fragment header (ESP aside) is noted,
        // not walked: the translator refuses such packets, and the walk stops here.
        if (out.has_fragment_header && is_extension_header(next)) {
            out.extension_after_fragment_offset = fragment_offset_field;
            out.protocol = next;
            out.header_length = offset;
            return ParseStatus::ok;
        }
        switch (next) {
        case kProtoHopByHop:
            // RFC 8200 §4.1: Hop-by-Hop may only follow the fixed header.
            if (!first) return ParseStatus::malformed;
            [[fallthrough]];
        case kProtoDestOptions:
        case kProtoRouting: {
            if (offset + 8 > end) return whole ? ParseStatus::malformed : ParseStatus::truncated;
            const std::uint32_t length = (p[offset + 1] + 1u) * 8u;
            if (offset + length > end)
                return whole ? ParseStatus::malformed : ParseStatus::truncated;
            if (next == kProtoRouting && p[offset + 3] != 0 && out.segments_left_offset == 0)
                out.segments_left_offset = offset + 3;
            next = p[offset];
            offset += length;
            break;
        }
        case kProtoFragment: {
            if (out.has_fragment_header) return ParseStatus::malformed;
            if (offset + kFragmentHeaderSize > end)
                return whole ? ParseStatus::malformed : ParseStatus::truncated;
            out.has_fragment_header = true;
            fragment_offset_field = offset;
            const std::uint16_t offset_flags = load16(p + offset + 2);
            out.fragment_offset = static_cast<std::uint16_t>(offset_flags & 0xfff8);
            out.more_fragments = offset_flags & 1;
            out.identification = load32(p + offset + 4);
            next = p[offset];
            offset += kFragmentHeaderSize;
            // The headers after a non-first fragment's Fragment header are payload.
            if (out.fragment_offset != 0 && !is_extension_header(next)) {
                out.protocol = next;
                out.header_length = offset;
                return ParseStatus::ok;
            }
            break;
        }
        default:
            out.protocol = next;
            out.header_length = offset;
            return ParseStatus::ok;
        }
        first = false;
    }
}

} // namespace siit
