// Pieces both directions share, and that the outer packet shares with the inner packet of an ICMP
// error: address mapping, header writers, checksum adjustments, and the ICMP errors the translator
// sends itself. Internal to lib/.
#pragma once

#include <algorithm>
#include <optional>

#include "siit/bytes.hpp"
#include "siit/checksum.hpp"
#include "siit/headers.hpp"
#include "siit/special_ipv4.hpp"
#include "siit/translator.hpp"

namespace siit::detail {

// How an address was translated, or why it was not. One answer for the outer packet, the inner
// packet of an ICMP error, the fast path and the control plane's lookup.
enum class AddressMapping : std::uint8_t {
    eam,              // through an EAM (RFC 7757 §3.3)
    pool6,            // through pool6 (RFC 6052 §2.2)
    untranslatable,   // no EAM and no pool6 form: none, outside pool6, multicast, or denylist4
    never_translated, // an IPv4 address no router forwards (special_ipv4.hpp)
    wkp_non_global,   // RFC 6052 §3.1: a non-global IPv4 address under the Well-Known Prefix
};

// Which address selection rules apply to one address.
struct MappingRules {
    // RFC 7757 §4.2: false where hairpinning asks for the RFC 6052 form even when an EAM matches.
    bool eam = true;
    // RFC 7915 §4.1: the source of an ICMPv4 error goes through pool6 even when no router would
    // forward it (127.0.0.1, 0.0.0.0), for troubleshooting. RFC 6052 §3.1 still applies.
    bool never_forwarded_ok = false;
};

template <typename Address> struct Mapped {
    Address address{};
    AddressMapping by = AddressMapping::untranslatable;
    explicit operator bool() const {
        return by == AddressMapping::eam || by == AddressMapping::pool6;
    }
    const Address& operator*() const { return address; }
    const Address* operator->() const { return &address; }
};

// IPv4 addresses the operator keeps out of pool6 (denylist4).
inline bool denylisted(const TranslatorConfig& config, Ipv4Address a) {
    for (const Ipv4Prefix& p : config.denylist4)
        if (p.contains(a)) return true;
    return false;
}

// Whether pool6 may translate IPv4 address `a` (either direction), and why not: the one home of
// RFC 6052 §3.1, the special-purpose registry and denylist4. `config.pool6` must be set.
[[gnu::always_inline]] inline AddressMapping pool6_mapping(const TranslatorConfig& config,
                                                           Ipv4Address a, MappingRules rules) {
    switch (ipv4_scope(a)) {
    case Ipv4Scope::global:
        break;
    case Ipv4Scope::multicast:
        return AddressMapping::untranslatable;
    case Ipv4Scope::never_translated:
        if (!rules.never_forwarded_ok) return AddressMapping::never_translated;
        [[fallthrough]];
    case Ipv4Scope::non_global:
        if (is_well_known_prefix(*config.pool6)) return AddressMapping::wkp_non_global;
        break;
    }
    return denylisted(config, a) ? AddressMapping::untranslatable : AddressMapping::pool6;
}

// RFC 7757 §3.3 and RFC 7915 §4.1 address selection: EAMT first, then pool6, as pool6_mapping
// allows. EAMs never cover an address no router forwards (eam_entry_error refuses them).
Mapped<Ipv6Address> map_address_4to6(const TranslatorConfig& config, const EamLookup* eamt,
                                     Ipv4Address address, MappingRules rules = {});
Mapped<Ipv4Address> map_address_6to4(const TranslatorConfig& config, const EamLookup* eamt,
                                     const Ipv6Address& address, MappingRules rules = {});

// RFC 7757 §4.2.2, intrinsic hairpinning: an address that pool6 translated into an EAM's IPv4
// prefix belongs to an IPv6 host behind this translator. Condition set A asks it of an outer
// packet's destination, B of an ICMPv6 error's inner source. `in_eamt()` answers whether the IPv4
// form lies in an EAM's IPv4 prefix; it is asked only when the rest holds (a lookup saved).
template <typename InEamt>
[[gnu::always_inline]] inline bool hairpins(const TranslatorConfig& config, AddressMapping by,
                                            InEamt&& in_eamt) {
    return config.hairpin_mode == HairpinMode::intrinsic && by == AddressMapping::pool6 &&
           in_eamt();
}

Ipv6Address own_ipv6(const TranslatorConfig& config);

// The header rules that the fast path (fast_path.cpp) and the full translation share, each in
// one place. Inline: the fast path calls them on every packet.
#define SIIT_RULE [[gnu::always_inline]] inline

// §4.1 Traffic Class: the IPv4 TOS, unless reset-traffic-class.
SIIT_RULE std::uint8_t traffic_class_4to6(const TranslatorConfig& config, std::uint8_t tos) {
    return config.reset_traffic_class ? 0 : tos;
}
// §5.1 Type of Service: the Traffic Class, unless reset-tos (then new-tos).
SIIT_RULE std::uint8_t tos_6to4(const TranslatorConfig& config, std::uint8_t traffic_class) {
    return config.reset_tos ? config.new_tos : traffic_class;
}
// §4.1 Next Header and §5.1 Protocol: ICMPv4 and ICMPv6 swap, every other protocol is kept.
SIIT_RULE std::uint8_t next_header_4to6(std::uint8_t protocol) {
    return protocol == kProtoIcmp ? kProtoIcmp6 : protocol;
}
SIIT_RULE std::uint8_t protocol_6to4(std::uint8_t next_header) {
    return next_header == kProtoIcmp6 ? kProtoIcmp : next_header;
}
// §4.1: the largest IPv6 packet an IPv4 packet may become without fragmentation: the IPv6 MTU;
// for DF=0, no more than lowest-ipv6-mtu either (IPv4 routers could have fragmented it).
SIIT_RULE std::uint32_t ipv6_size_limit(const TranslatorConfig& config, const LinkMtus& mtus,
                                        bool dont_fragment) {
    return dont_fragment ? mtus.ipv6 : std::min<std::uint32_t>(mtus.ipv6, config.lowest_ipv6_mtu);
}
// §5.1: an IPv6 packet that would not fit the IPv4 link is refused (Packet Too Big), never
// fragmented.
SIIT_RULE bool fits_ipv4_mtu(const LinkMtus& mtus, std::uint32_t upper_length) {
    return kIpv4HeaderSize + upper_length <= mtus.ipv4;
}
// §5.1 Identification and flags of a packet with no Fragment header: DF=1 above 1260 bytes, so
// that IPv4 routers send Fragmentation Needed that become Packet Too Big of at least 1280, with no
// Identification (an atomic datagram needs none, RFC 6864 §4.1); DF=0 up to 1260, so that IPv4
// routers may fragment, with a unique Identification.
struct Ipv4Identity {
    std::uint16_t identification = 0;
    std::uint16_t flags_offset = 0;
};
SIIT_RULE Ipv4Identity unfragmented_identity(Translator& translator, std::uint32_t total_length) {
    if (total_length > 1260) return {0, 0x4000};
    return {translator.next_ipv4_id(), 0};
}
// §5.1: the IPv4 header's ten words from its fields, checksum included; `src` and `dst` are the
// addresses as 32-bit values. Written as words: the sum of bytes just stored would stall on store
// forwarding.
SIIT_RULE void store_ipv4_header(std::uint8_t* out, std::uint8_t tos, std::uint16_t total_length,
                                 Ipv4Identity identity, std::uint8_t ttl, std::uint8_t protocol,
                                 std::uint32_t src, std::uint32_t dst) {
    const std::uint32_t word0 = 0x45000000u | std::uint32_t{tos} << 16 | total_length;
    const std::uint32_t word1 =
        std::uint32_t{identity.identification} << 16 | identity.flags_offset;
    const std::uint32_t word2 = std::uint32_t{ttl} << 24 | std::uint32_t{protocol} << 16;
    const std::uint64_t sum = std::uint64_t{word0} + word1 + word2 + src + dst;
    const auto header_checksum = static_cast<std::uint16_t>(~fold_sum64(sum, 0));
    store32(out, word0);
    store32(out + 4, word1);
    store32(out + 8, word2 | header_checksum);
    store32(out + 12, src);
    store32(out + 16, dst);
}
// §4.1: the IPv6 header's first eight bytes (Flow Label zero); the addresses follow.
SIIT_RULE void store_ipv6_first_words(std::uint8_t* out, std::uint8_t traffic_class,
                                      std::uint16_t payload_length, std::uint8_t next_header,
                                      std::uint8_t hop_limit) {
    store64(out, (std::uint64_t{6u << 28 | std::uint32_t{traffic_class} << 20} << 32) |
                     (std::uint64_t{payload_length} << 16) | (std::uint64_t{next_header} << 8) |
                     hop_limit);
}

#undef SIIT_RULE

// §5.1 Packet Too Big for an IPv6 packet that does not fit the IPv4 link: the IPv4 MTU plus the
// 20 bytes that IPv6's fixed header adds over IPv4's, never below 1280 (RFC 8200 §5). docs/mtu.md.
inline std::uint32_t packet_too_big_mtu6(std::uint32_t ipv4_mtu) {
    return ipv4_mtu + 20 < 1280 ? 1280 : ipv4_mtu + 20;
}

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

// RFC 7915 §4.5/§4.2 (4to6) and §5.5/§5.2 (6to4): the upper layer after the addresses changed,
// the one step for the outer packet, the fast path and the inner packet of an ICMP error (§4.3,
// §5.3). An echo becomes the other family's echo, its checksum gaining or losing the IPv6
// pseudo-header (`upper_length` bytes of ICMPv6); TCP and UDP get RFC 1624 updates from
// `removed` to `added` (the old and new address pairs' sums); anything else is left as it is.
// `available` is how much of the upper layer is here. Returns the outcome's counter, or
// drop_l4_truncated when a TCP or UDP header lacks its checksum field (the caller decides what a
// truncated inner packet means). A UDP checksum of zero is the caller's to handle first.
[[gnu::always_inline]] inline Counter upper_layer_4to6(std::uint8_t protocol, std::uint8_t* l4,
                                                       std::uint32_t available,
                                                       std::uint32_t upper_length,
                                                       std::uint16_t removed, std::uint16_t added) {
    if (protocol == kProtoIcmp) {
        if (available >= 4 && is_icmp4_echo(l4[0]))
            icmp4_echo_to_icmp6(l4, fold_sum(std::uint32_t{added} +
                                             ipv6_pseudo_tail_sum(upper_length, kProtoIcmp6)));
        return Counter::translated_4to6_icmp_echo;
    }
    if (!adjust_l4_checksum(protocol, l4, available, removed, added))
        return Counter::drop_l4_truncated;
    return protocol == kProtoTcp   ? Counter::translated_4to6_tcp
           : protocol == kProtoUdp ? Counter::translated_4to6_udp
                                   : Counter::translated_4to6_other;
}
[[gnu::always_inline]] inline Counter upper_layer_6to4(std::uint8_t protocol, std::uint8_t* l4,
                                                       std::uint32_t available,
                                                       std::uint32_t upper_length,
                                                       std::uint16_t removed, std::uint16_t added) {
    if (protocol == kProtoIcmp6) {
        if (available >= 4 && is_icmp6_echo(l4[0]))
            icmp6_echo_to_icmp4(l4, fold_sum(std::uint32_t{removed} +
                                             ipv6_pseudo_tail_sum(upper_length, kProtoIcmp6)));
        return Counter::translated_6to4_icmp_echo;
    }
    if (!adjust_l4_checksum(protocol, l4, available, removed, added))
        return Counter::drop_l4_truncated;
    return protocol == kProtoTcp   ? Counter::translated_6to4_tcp
           : protocol == kProtoUdp ? Counter::translated_6to4_udp
                                   : Counter::translated_6to4_other;
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

// What happens to an outer packet whose address (source or destination) was refused `by` the
// address selection rules: an address no router forwards or RFC 6052 §3.1 is a counted silent
// drop (RFC 1812 §5.3.7, RFC 7915 §4.1 and §5.1 "silently drop"); any other untranslatable address
// draws Destination Unreachable (§4.4 code 13, §5.4 code 1), counted as `untranslatable`.
Verdict refuse_address_4to6(Translator& translator, PacketBuffer& packet, AddressMapping by,
                            Counter untranslatable);
Verdict refuse_address_6to4(Translator& translator, PacketBuffer& packet, const Ipv6Info& v6,
                            AddressMapping by, Counter untranslatable);

// §5.4: an IPv6 packet discarded for a reason the RFC names no error for draws Destination
// Unreachable code 1, "unless the discarded packet is itself an ICMPv6 message".
Verdict discard_ipv6(Translator& translator, PacketBuffer& packet, const Ipv6Info& v6,
                     Counter counter);

// §5.1 Source Address: "If the translator gets an illegal source address (e.g., ::1, etc.), the
// translator SHOULD silently drop the packet": the unspecified and loopback addresses, link-local
// (RFC 4291 §2.5.6: never forwarded) and multicast sources.
inline bool is_illegal_ipv6_source(const std::uint8_t* address) {
    static constexpr std::uint8_t kZero[15] = {};
    if (address[0] == 0xff) return true;                                // multicast
    if (address[0] == 0xfe && (address[1] & 0xc0) == 0x80) return true; // fe80::/10
    return std::memcmp(address, kZero, 15) == 0 && address[15] <= 1;    // :: and ::1
}

} // namespace siit::detail
