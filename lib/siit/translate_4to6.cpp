// RFC 7915 §4: IPv4 to IPv6, the outer packet. The common case (TCP, UDP, echo) is translated in
// place: the IPv6 header is written over and in front of the IPv4 one and the payload stays where
// it is. ICMP errors (icmp_4to6.cpp) and fragmentation (fragment.cpp) are out of line.
#include <algorithm>

#include "siit/bytes.hpp"
#include "siit/checksum.hpp"
#include "siit/fragment.hpp"
#include "siit/icmp_4to6.hpp"
#include "siit/translate_common.hpp"

namespace siit {

namespace {

using detail::dropped;

// §4.1: "if an unexpired source route option is present then the packet MUST instead be discarded,
// and an ICMPv4 Destination Unreachable, Source Route Failed (Type 3, Code 5) ... returned".
bool has_unexpired_source_route(const std::uint8_t* header, std::uint32_t header_length) {
    std::uint32_t i = kIpv4HeaderSize;
    while (i < header_length) {
        const std::uint8_t option = header[i];
        if (option == 0) break; // End of Option List
        if (option == 1) {      // No Operation
            ++i;
            continue;
        }
        if (i + 1 >= header_length) break;
        const std::uint8_t length = header[i + 1];
        if (length < 2 || i + length > header_length) break;
        constexpr std::uint8_t kLooseSourceRoute = 131, kStrictSourceRoute = 137;
        if ((option == kLooseSourceRoute || option == kStrictSourceRoute) && length >= 3 &&
            header[i + 2] <= length)
            return true;
        i += length;
    }
    return false;
}

} // namespace

Translator::Translator(const TranslatorConfig& config, const EamLookup* eamt, LinkMtus mtus)
    : config_(&config), mtus_(mtus) {
    adopt_eamt(eamt);
}

Verdict Translator::translate_4to6_impl(PacketBuffer& packet, PacketAllocator* allocator,
                                        bool hairpin) {
    using namespace detail;
    const TranslatorConfig& config = *config_;
    Ipv4Info v4;
    switch (parse_ipv4(packet.data, packet.length, true, v4)) {
    case ParseStatus::ok:
        break;
    case ParseStatus::truncated:
        return dropped(Counter::drop_ipv4_truncated);
    case ParseStatus::malformed:
        return dropped(Counter::drop_ipv4_malformed);
    }
    if (checksum_of(packet.data, v4.header_length) != 0)
        return dropped(Counter::drop_ipv4_header_checksum);
    // Link-layer padding after the total length is not part of the packet.
    packet.tailroom += packet.length - v4.total_length;
    packet.length = v4.total_length;

    std::uint8_t* const in = packet.data;
    std::uint8_t* const l4 = in + v4.header_length;
    const std::uint32_t l4_length = v4.total_length - v4.header_length;
    const bool first_fragment = v4.fragment_offset == 0;
    const bool icmp = v4.protocol == kProtoIcmp;
    const bool icmp_error = icmp && first_fragment && l4_length >= 1 && is_icmp4_error_type(l4[0]);

    // §4.2: IGMP is single-hop, and MLD no translation of it; silently dropped.
    constexpr std::uint8_t kProtoIgmp = 2;
    if (v4.protocol == kProtoIgmp) return dropped(Counter::drop_igmp);

    // RFC 7757 §4.2: the rules for a packet on its way back to IPv6 (the second half of an
    // intrinsic hairpin) apply to every packet in simple mode, where the IPv4 network sends it
    // back.
    const bool hairpin_rules = hairpin || config.hairpin_mode == HairpinMode::simple;
    // §4.2.2: there, the source is written in its RFC 6052 form, not through its EAM; for an
    // ICMPv4 error, when its source is the inner destination (the error came from the host the
    // IPv6 sender addressed in that form).
    const bool source_through_pool6 =
        hairpin_rules && (!icmp_error || (l4_length >= 8 + kIpv4HeaderSize &&
                                          load32(in + 12) == load32(l4 + 8 + 16)));

    // Addresses before the TTL: a packet that is not ours to translate must not draw a Time
    // Exceeded from us (Jool issue #167, routing protocol hellos with TTL 1).
    const auto dst6 = map_address_4to6(config, eamt_, Ipv4Address::from_bytes(in + 16));
    if (!dst6)
        return refuse_address_4to6(*this, packet, dst6.by, Counter::drop_untranslatable_dst4);
    auto src6 = map_address_4to6(config, eamt_, Ipv4Address::from_bytes(in + 12),
                                 {.eam = !source_through_pool6, .never_forwarded_ok = icmp_error});
    if (!src6) {
        // RFC 6791: an error from an IPv4 router with no IPv6 form takes a pool6791v6 source.
        if (!icmp_error)
            return refuse_address_4to6(*this, packet, src6.by, Counter::drop_untranslatable_src4);
        src6 = {config.pool6791v6 ? *config.pool6791v6 : own_ipv6(config),
                AddressMapping::untranslatable};
    }
    // §4.1 Hop Limit: the translator is a router and decrements it.
    if (v4.ttl <= 1 && !hairpin)
        return reply_icmp4_error(*this, packet, 11, 0, 0, Counter::drop_ipv4_ttl_expired);
    if (has_unexpired_source_route(in, v4.header_length))
        return reply_icmp4_error(*this, packet, 3, 5, 0, Counter::drop_ipv4_source_route);
    const auto hop_limit = static_cast<std::uint8_t>(hairpin ? v4.ttl : v4.ttl - 1);

    if (icmp) {
        // §4.2: the ICMPv6 checksum covers the whole message, which a fragment does not hold.
        if (v4.is_fragment()) return dropped(Counter::drop_icmp4_fragmented);
        if (l4_length < 8) return dropped(Counter::drop_icmp4_truncated);
        if (icmp_error)
            return detail::translate_icmp4_error(*this, packet, v4, *src6, *dst6, hop_limit,
                                                 hairpin_rules);
        if (!is_icmp4_echo(l4[0])) return dropped(Counter::drop_icmp4_unknown_type);
    }

    // §4.1 fragmentation: DF=0 packets are split to fit lowest-ipv6-mtu; DF=1 packets that do not
    // fit the IPv6 link get Fragmentation Needed with the IPv4 MTU that would (RFC 1191).
    bool with_fragment_header = v4.is_fragment();
    const std::uint32_t limit = ipv6_size_limit(config, mtus_, v4.dont_fragment);
    const std::uint32_t headers =
        kIpv6HeaderSize + (with_fragment_header ? kFragmentHeaderSize : 0);
    const bool split = headers + l4_length > limit;
    if (split) {
        if (v4.dont_fragment) {
            const std::uint32_t mtu4 = mtus_.ipv6 - (headers - kIpv4HeaderSize);
            return reply_icmp4_error(*this, packet, 3, 4, mtu4 & 0xffff,
                                     Counter::drop_ipv4_fragmentation_needed);
        }
        with_fragment_header = true;
    }

    // §4.5 and §4.2: the upper-layer checksum, in the first fragment only.
    Counter counter = Counter::translated_4to6_fragment;
    std::uint8_t src6_bytes[16], dst6_bytes[16];
    src6->to_bytes(src6_bytes);
    dst6->to_bytes(dst6_bytes);
    if (first_fragment) {
        const std::uint16_t added = ipv6_address_sum(src6_bytes, dst6_bytes);
        if (v4.protocol == kProtoUdp && l4_length >= 8 && load16(l4 + 6) == 0) {
            // §4.5: IPv6 forbids a zero UDP checksum. Whole packets get one computed; fragments
            // cannot, since the rest of the datagram is not here.
            // Either way the sender learns why, as from any other discard (§4.4 code 13).
            if (v4.is_fragment())
                return reply_icmp4_error(*this, packet, 3, 13, 0,
                                         Counter::drop_udp4_checksum_zero_fragment);
            if (!config.amend_udp_checksum_zero)
                return reply_icmp4_error(*this, packet, 3, 13, 0, Counter::drop_udp4_checksum_zero);
            std::uint32_t acc = added;
            acc += ipv6_pseudo_tail_sum(l4_length, kProtoUdp);
            auto sum = static_cast<std::uint16_t>(~fold_sum(add_to_sum(acc, l4, l4_length)));
            store16(l4 + 6, sum == 0 ? 0xffff : sum);
            counter = Counter::translated_4to6_udp;
        } else {
            counter = upper_layer_4to6(v4.protocol, l4, l4_length, l4_length,
                                       ipv4_address_sum(in + 12, in + 16), added);
            if (counter == Counter::drop_l4_truncated) return dropped(counter);
        }
    }

    const std::uint32_t out_headers =
        kIpv6HeaderSize + (with_fragment_header ? kFragmentHeaderSize : 0);
    std::uint8_t* const out = l4 - out_headers;
    write_ipv6_header(out, v4, config, *src6, *dst6, hop_limit, l4_length, with_fragment_header);
    packet.headroom = packet.headroom + v4.header_length - out_headers;
    packet.data = out;
    packet.length = out_headers + l4_length;
    if (!split) return Verdict{Action::forward, counter, 0};

    bool ok = false;
    const std::uint16_t extra = split_into_ipv6_fragments(packet, limit, allocator, ok);
    if (!ok) return Verdict{Action::drop, Counter::drop_fragment_no_buffer, extra};
    return Verdict{Action::forward, counter, extra};
}

} // namespace siit
