// RFC 7915 §4.2 (ICMPv4 error types and codes to ICMPv6) and §4.3 (the inner packet).
// Rare path: the message is rebuilt in a scratch buffer and copied back, since the inner header
// grows in the middle of the payload.
#include "siit/icmp_4to6.hpp"

#include <algorithm>
#include <cstring>

#include "siit/bytes.hpp"
#include "siit/checksum.hpp"
#include "siit/icmp_extension.hpp"
#include "siit/translate_common.hpp"

namespace siit::detail {

namespace {

constexpr std::uint32_t kIcmpv6ErrorMax = 1280; // RFC 4443 §2.4(c)

// §4.2 Parameter Problem pointer table, IPv4 header offset to IPv6 header offset; -1: none.
constexpr int kPointer4to6[20] = {0,  1,  4, 4, -1, -1, -1, -1, 7,  6,
                                  -1, -1, 8, 8, 8,  8,  24, 24, 24, 24};

// §4.2 Fragmentation Needed: "minimum(advertised MTU+20, MTU_of_IPv6_nexthop,
// (MTU_of_IPv4_nexthop)+20)", with the RFC 1191 plateau below the inner Total Length when the
// router sent zero, and never below the IPv6 minimum MTU.
std::uint32_t packet_too_big_mtu(const TranslatorConfig& config, const LinkMtus& mtus,
                                 std::uint16_t advertised, std::uint16_t inner_total_length) {
    std::uint32_t mtu4 = advertised;
    if (mtu4 == 0) {
        mtu4 = kSmallestIpv4Mtu; // when no plateau is below the packet
        for (std::uint16_t plateau : config.mtu_plateaus)
            if (plateau < inner_total_length) {
                mtu4 = plateau;
                break;
            }
    }
    const std::uint32_t mtu6 = std::min({mtu4 + 20, mtus.ipv6, mtus.ipv4 + 20});
    return std::max<std::uint32_t>(mtu6, 1280);
}

// §4.2's table. The ICMPv6 types that carry an RFC 4884 length (byte 4) may keep an extension.
TranslatedIcmpHeader map_icmp4_error(const TranslatorConfig& config, const LinkMtus& mtus,
                                     const std::uint8_t* icmp, std::uint16_t inner_total_length) {
    TranslatedIcmpHeader h;
    h.refusal = Counter::drop_icmp4_untranslatable_code;
    const std::uint8_t code = icmp[1];
    switch (icmp[0]) {
    case 3: // Destination Unreachable
        h.type = 1;
        h.may_extend = true;
        switch (code) {
        case 0:
        case 1:
        case 5:
        case 6:
        case 7:
        case 8:
        case 11:
        case 12:
            h.code = 0;
            break;
        case 2: // Protocol Unreachable -> Parameter Problem, pointer to Next Header
            h.type = 4;
            h.code = 1;
            h.rest = 6;
            h.may_extend = false;
            break;
        case 3:
            h.code = 4;
            break;
        case 4: // Fragmentation Needed -> Packet Too Big
            h.type = 2;
            h.code = 0;
            h.rest = packet_too_big_mtu(config, mtus, load16(icmp + 6), inner_total_length);
            h.may_extend = false;
            break;
        case 9:
        case 10:
        case 13:
        case 15:
            h.code = 1;
            break;
        default:
            return h; // 14 (Host Precedence Violation) and unknown codes: silently dropped
        }
        break;
    case 11: // Time Exceeded: code unchanged
        h.type = 3;
        h.code = code;
        h.may_extend = true;
        break;
    case 12:                                  // Parameter Problem
        if (code != 0 && code != 2) return h; // 1 (Missing a Required Option) and unknown
        if (icmp[4] >= 20 || kPointer4to6[icmp[4]] < 0) {
            h.refusal = Counter::drop_icmp4_untranslatable_pointer;
            return h;
        }
        h.type = 4;
        h.code = 0;
        h.rest = static_cast<std::uint32_t>(kPointer4to6[icmp[4]]);
        break;
    default: // Source Quench, Redirect and the rest: silently dropped
        h.refusal = Counter::drop_icmp4_unknown_type;
        return h;
    }
    h.ok = true;
    return h;
}

} // namespace

Verdict translate_icmp4_error(Translator& translator, PacketBuffer& packet, const Ipv4Info& outer,
                              const Ipv6Address& src6, const Ipv6Address& dst6,
                              std::uint8_t hop_limit, bool hairpin_rules) {
    const TranslatorConfig& config = translator.config();
    const std::uint8_t* icmp = packet.data + outer.header_length;
    const std::uint32_t icmp_length = outer.total_length - outer.header_length;
    // The checksum is recomputed from scratch below: validate first, so that a corrupted error
    // does not leave with a good checksum.
    if (checksum_of(icmp, icmp_length) != 0) return dropped(Counter::drop_icmp4_checksum);
    // §4.2: Source Quench, Redirect and other error types are dropped whatever they carry.
    if (icmp[0] != 3 && icmp[0] != 11 && icmp[0] != 12)
        return dropped(Counter::drop_icmp4_unknown_type);

    // §4.3: the inner packet: an IPv4 header at least, possibly truncated after it.
    const std::uint8_t* inner = icmp + 8;
    // RFC 4884 §4.1: every type kept above carries its length attribute in byte 5.
    const IcmpPayloadLayout layout = icmp_payload_layout(icmp[5], 4, icmp_length - 8);
    Ipv4Info inner4;
    if (parse_ipv4(inner, layout.original_length, false, inner4) != ParseStatus::ok)
        return dropped(Counter::drop_icmp4_inner_malformed);
    const std::uint32_t inner_payload = layout.original_length - inner4.header_length;
    const std::uint8_t* inner_l4 = inner + inner4.header_length;
    // An error about an error is never sent (RFC 1812 §4.3.2.7): such a message is bogus.
    if (inner4.protocol == kProtoIcmp && inner4.fragment_offset == 0 && inner_payload >= 1 &&
        is_icmp4_error_type(inner_l4[0]))
        return dropped(Counter::drop_icmp4_inner_malformed);

    const TranslatedIcmpHeader header =
        map_icmp4_error(config, translator.link_mtus(), icmp, inner4.total_length);
    if (!header.ok) return dropped(header.refusal);

    const auto inner_src6 =
        map_address_4to6(config, translator.eamt(), Ipv4Address::from_bytes(inner + 12));
    // RFC 7757 §4.2.2: on the way back of a hairpin, the inner destination (the address the IPv6
    // sender used) is written in its RFC 6052 form, not through its EAM.
    const auto inner_dst6 = map_address_4to6(
        config, translator.eamt(), Ipv4Address::from_bytes(inner + 16), {.eam = !hairpin_rules});
    if (!inner_src6 || !inner_dst6) return dropped(Counter::drop_icmp4_inner_untranslatable);

    // Build the ICMPv6 message in scratch: header, translated inner packet, padding, extension
    // (write_icmp_error_body), then the inner checksum and the outer header.
    std::uint8_t scratch[kIcmpv6ErrorMax + 128];
    std::uint8_t* const out = scratch;
    std::uint8_t* const icmp6 = out + kIpv6HeaderSize;
    std::uint8_t* const inner6 = icmp6 + 8;
    const std::uint32_t inner_headers =
        write_ipv6_header(inner6, inner4, config, *inner_src6, *inner_dst6, inner4.ttl,
                          inner4.total_length - inner4.header_length, inner4.is_fragment());
    const IcmpErrorBody body = write_icmp_error_body(
        icmp6, header, inner_headers, inner_l4, inner_payload, inner + layout.original_length,
        layout.extension_length, 8, 4, kIcmpv6ErrorMax - kIpv6HeaderSize - 8);
    const std::uint32_t copied = body.copied;
    const std::uint32_t message_length = body.message_length;

    // §4.3: the inner transport checksum follows the inner addresses (incrementally, so that a
    // truncated inner packet, or one with a wrong checksum, is translated all the same).
    if (inner4.fragment_offset == 0) {
        std::uint8_t* l4 = inner6 + inner_headers;
        const std::uint16_t added = ipv6_address_sum(inner6 + 8, inner6 + 24);
        // (A truncated inner header keeps its checksum: the error is translated all the same.)
        upper_layer_4to6(inner4.protocol, l4, copied, inner4.total_length - inner4.header_length,
                         ipv4_address_sum(inner + 12, inner + 16), added);
    }

    Ipv4Info outer_for_header = outer;
    outer_for_header.protocol = kProtoIcmp;
    write_ipv6_header(out, outer_for_header, config, src6, dst6, hop_limit, message_length, false);
    std::uint32_t acc = ipv6_address_sum(out + 8, out + 24);
    acc += ipv6_pseudo_tail_sum(message_length, kProtoIcmp6);
    store16(icmp6 + 2,
            static_cast<std::uint16_t>(~fold_sum(add_to_sum(acc, icmp6, message_length))));

    const std::uint32_t total = kIpv6HeaderSize + message_length;
    constexpr std::uint32_t kShift = kIpv6HeaderSize + kFragmentHeaderSize;
    if (packet.headroom < kShift || total > kShift + packet.length + packet.tailroom)
        return dropped(Counter::drop_buffer_too_small);
    std::uint8_t* const destination = packet.data - kShift;
    std::memcpy(destination, out, total);
    packet.tailroom = packet.tailroom + packet.length + kShift - total;
    packet.headroom -= kShift;
    packet.data = destination;
    packet.length = total;
    return Verdict{Action::forward, Counter::translated_4to6_icmp_error, 0};
}

} // namespace siit::detail
