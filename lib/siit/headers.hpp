// Parsing of IPv4 and IPv6 headers, shared by the outer packet and by the inner packet of an ICMP
// error (which may be truncated: then only the header itself must be present).
#pragma once

#include <cstdint>

namespace siit {

inline constexpr std::uint8_t kProtoHopByHop = 0;
inline constexpr std::uint8_t kProtoIcmp = 1;
inline constexpr std::uint8_t kProtoTcp = 6;
inline constexpr std::uint8_t kProtoUdp = 17;
inline constexpr std::uint8_t kProtoRouting = 43;
inline constexpr std::uint8_t kProtoFragment = 44;
inline constexpr std::uint8_t kProtoIcmp6 = 58;
inline constexpr std::uint8_t kProtoDestOptions = 60;

inline constexpr std::uint32_t kIpv4HeaderSize = 20;
inline constexpr std::uint32_t kIpv6HeaderSize = 40;
inline constexpr std::uint32_t kFragmentHeaderSize = 8;

enum class ParseStatus : std::uint8_t { ok, truncated, malformed };

struct Ipv4Info {
    std::uint32_t header_length = 0; // IHL * 4
    std::uint16_t total_length = 0;
    std::uint16_t identification = 0;
    std::uint16_t fragment_offset = 0; // in bytes
    bool dont_fragment = false;
    bool more_fragments = false;
    std::uint8_t tos = 0;
    std::uint8_t ttl = 0;
    std::uint8_t protocol = 0;

    bool is_fragment() const { return more_fragments || fragment_offset != 0; }
};

// Reads the IPv4 header at `p` with `available` bytes. Checks version, IHL and that the header is
// present; total_length is checked against `available` only when `whole` (outer packets).
ParseStatus parse_ipv4(const std::uint8_t* p, std::uint32_t available, bool whole, Ipv4Info& out);

struct Ipv6Info {
    std::uint32_t header_length = 0; // fixed header plus every extension header walked
    std::uint16_t payload_length = 0;
    std::uint8_t traffic_class = 0;
    std::uint8_t hop_limit = 0;
    std::uint8_t protocol = 0; // the upper-layer protocol after the extension headers
    bool has_fragment_header = false;
    bool more_fragments = false;
    std::uint16_t fragment_offset = 0; // in bytes
    std::uint32_t identification = 0;
    // Offset of a Routing header's Segments Left field when it is non-zero (§5.1), else 0.
    std::uint32_t segments_left_offset = 0;
    // Offset of the Fragment header's Next Header field when it names another extension header
    // (§5.1.1), else 0. The walk stops there: `protocol` is that header, not an upper layer.
    std::uint32_t extension_after_fragment_offset = 0;

    bool is_fragment() const { return more_fragments || fragment_offset != 0; }
};

// Reads the IPv6 header at `p` and walks its extension headers (Hop-by-Hop first only, Routing,
// Destination Options, one Fragment). A non-first fragment stops the walk at its Fragment header.
// The walk must fit in `available`; payload_length is checked against it only when `whole`.
ParseStatus parse_ipv6(const std::uint8_t* p, std::uint32_t available, bool whole, Ipv6Info& out);

// RFC 8200 §4 and the IANA "IPv6 Extension Header Types" registry, ESP (50) aside: ESP is an
// upper layer as far as a translator can see (RFC 7915 §5.1.1 lets it follow a Fragment header).
inline bool is_extension_header(std::uint8_t next) {
    switch (next) {
    case kProtoHopByHop:
    case kProtoRouting:
    case kProtoFragment:
    case kProtoDestOptions:
    case 51:  // Authentication Header
    case 135: // Mobility
    case 139: // Host Identity Protocol
    case 140: // Shim6
    case 253: // experimentation and testing (RFC 3692)
    case 254:
        return true;
    default:
        return false;
    }
}

inline bool is_icmp4_error_type(std::uint8_t type) {
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}
inline bool is_icmp6_error_type(std::uint8_t type) {
    return type < 128;
}

} // namespace siit
