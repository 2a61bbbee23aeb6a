// Pieces both directions share, and that the outer packet shares with the inner packet of an ICMP
// error: address mapping, header writers, checksum adjustments, and the ICMP errors the translator
// sends itself. Internal to lib/.
#pragma once

#include <optional>

#include "siit/headers.hpp"
#include "siit/translator.hpp"

namespace siit::detail {

// RFC 6052 §3.1 and RFC 7915 §4.1: addresses that must not be translated through pool6:
// "this network" 0/8, loopback 127/8, multicast 224/4, reserved 240/4 and broadcast.
inline bool is_special_ipv4(Ipv4Address a) {
    const std::uint32_t top = a.value >> 24;
    return top == 0 || top == 127 || top >= 224;
}

// IPv4 addresses the operator keeps out of pool6 (denylist4).
inline bool denylisted(const TranslatorConfig& config, Ipv4Address a) {
    for (const Ipv4Prefix& p : config.denylist4)
        if (p.contains(a)) return true;
    return false;
}

// RFC 7757 §3.3 and RFC 7915 §4.1 address selection: EAMT first, then pool6 (never for
// denylist4 or the IPv4 addresses RFC 6052 §3.1 says not to embed). Nothing when untranslatable.
std::optional<Ipv6Address> map_address_4to6(const TranslatorConfig& config, const EamLookup* eamt,
                                            Ipv4Address address);
std::optional<Ipv4Address> map_address_6to4(const TranslatorConfig& config, const EamLookup* eamt,
                                            const Ipv6Address& address);
Ipv6Address own_ipv6(const TranslatorConfig& config);

// RFC 7915 §4.1: writes the IPv6 header for IPv4 header `v4` at `out`, followed by a Fragment
// header when `with_fragment` (§4.1: when the IPv4 packet is a fragment, or is fragmented here).
// `upper_length` counts the bytes after the IPv4 header. Returns the bytes written (40 or 48).
std::uint32_t write_ipv6_header(std::uint8_t* out, const Ipv4Info& v4,
                                const TranslatorConfig& config, const Ipv6Address& src,
                                const Ipv6Address& dst, std::uint8_t hop_limit,
                                std::uint32_t upper_length, bool with_fragment);

// RFC 7915 §5.1: writes the 20-byte IPv4 header for IPv6 header `v6` at `out`, checksum included.
// `upper_length` counts the bytes after the IPv6 extension headers.
void write_ipv4_header(std::uint8_t* out, const Ipv6Info& v6, Translator& translator,
                       Ipv4Address src, Ipv4Address dst, std::uint8_t ttl,
                       std::uint32_t upper_length);

// RFC 7915 §4.5, §5.5: TCP and UDP checksums cover the pseudo-header, so an address change is an
// RFC 1624 update: `removed` and `added` are the sums of the old and new address pairs. Works on
// truncated inner packets and keeps a wrong checksum exactly as wrong. Needs the header's first
// `checksum offset + 2` bytes in `available`; returns false when they are missing.
// A UDP checksum of zero is left alone (the caller decides what zero means).
bool adjust_l4_checksum(std::uint8_t protocol, std::uint8_t* l4, std::uint32_t available,
                        std::uint16_t removed, std::uint16_t added);

// RFC 7915 §4.2 / §5.2 echo translation of the 8-byte header at `icmp`, checksum adjusted:
// ICMPv6 adds the IPv6 pseudo-header whose sum is `pseudo_sum`; ICMPv4 removes it.
void icmp4_echo_to_icmp6(std::uint8_t* icmp, std::uint16_t pseudo_sum);
void icmp6_echo_to_icmp4(std::uint8_t* icmp, std::uint16_t pseudo_sum);
inline bool is_icmp4_echo(std::uint8_t type) {
    return type == 0 || type == 8;
}
inline bool is_icmp6_echo(std::uint8_t type) {
    return type == 128 || type == 129;
}

// The translator's own ICMP errors (RFC 7915 §4.4, §5.4, and the router duties of §4.1/§5.1):
// `packet`, as received, becomes an error about itself addressed to its source. RFC 1812
// §4.3.2.7: no error about an ICMP error or a non-first fragment; those become plain drops.
Verdict reply_icmp4_error(Translator& translator, PacketBuffer& packet, std::uint8_t type,
                          std::uint8_t code, std::uint32_t rest_of_header, Counter counter);
Verdict reply_icmp6_error(Translator& translator, PacketBuffer& packet, std::uint8_t type,
                          std::uint8_t code, std::uint32_t rest_of_header, Counter counter);

inline Verdict dropped(Counter counter) {
    return Verdict{Action::drop, counter, 0};
}

} // namespace siit::detail
