// RFC 7915 §5.2 (ICMPv6 error types and codes to ICMPv4) and §5.3 (the inner packet).
// Rare path: the message is rebuilt in a scratch buffer and copied back.
#include "siit/icmp_6to4.hpp"

#include <algorithm>
#include <cstring>

#include "siit/bytes.hpp"
#include "siit/checksum.hpp"
#include "siit/icmp_extension.hpp"
#include "siit/translate_common.hpp"

namespace siit::detail {

namespace {

// RFC 1812 §4.3.2.3: an ICMPv4 error should not exceed 576 bytes.
constexpr std::uint32_t kIcmpv4ErrorMax = 576;

// §5.2 Parameter Problem pointer, IPv6 header offset to IPv4 header offset; -1: none.
int pointer_6to4(std::uint32_t pointer) {
    if (pointer <= 1) return static_cast<int>(pointer); // Version/Traffic Class
    if (pointer <= 3) return -1;                        // Flow Label
    if (pointer <= 5) return 2;                         // Payload Length -> Total Length
    if (pointer == 6) return 9;                         // Next Header -> Protocol
    if (pointer == 7) return 8;                         // Hop Limit -> TTL
    if (pointer <= 23) return 12;                       // Source Address
    if (pointer <= 39) return 16;                       // Destination Address
    return -1;
}

// §5.2's table. The ICMPv4 types that carry an RFC 4884 length (byte 5) may keep an extension.
TranslatedIcmpHeader map_icmp6_error(const LinkMtus& mtus, const std::uint8_t* icmp,
                                     bool inner_has_fragment_header) {
    TranslatedIcmpHeader h;
    h.refusal = Counter::drop_icmp6_untranslatable_code;
    const std::uint8_t code = icmp[1];
    switch (icmp[0]) {
    case 1: // Destination Unreachable
        h.type = 3;
        h.may_extend = true;
        switch (code) {
        case 0:
        case 2:
        case 3:
            h.code = 1;
            break; // Host Unreachable
        case 1:
            h.code = 10;
            break; // Host Administratively Prohibited
        case 4:
            h.code = 3;
            break; // Port Unreachable
        default:
            return h;
        }
        break;
    case 2: { // Packet Too Big -> Fragmentation Needed
        // §5.2: "minimum(MTU-20, MTU_of_IPv4_nexthop, (MTU_of_IPv6_nexthop)-20)", where 20 is
        // what translation adds; 28 when the packet was an IPv4 fragment, which carries a
        // Fragment header in IPv6 (docs/mtu.md).
        const std::uint32_t growth = inner_has_fragment_header ? 28 : 20;
        const std::uint32_t mtu6 = load32(icmp + 4);
        const std::uint32_t mtu = std::min({mtu6 < growth ? 0u : mtu6 - growth, mtus.ipv4,
                                            mtus.ipv6 - growth, std::uint32_t{0xffff}});
        h.type = 3;
        h.code = 4;
        h.rest = mtu;
        h.may_extend = true;
        break;
    }
    case 3: // Time Exceeded: code unchanged
        h.type = 11;
        h.code = code;
        h.may_extend = true;
        break;
    case 4:              // Parameter Problem
        if (code == 1) { // Unrecognized Next Header -> Protocol Unreachable
            h.type = 3;
            h.code = 2;
            h.may_extend = true;
            break;
        }
        if (code != 0) return h;
        if (const int pointer = pointer_6to4(load32(icmp + 4)); pointer >= 0) {
            h.type = 12;
            h.code = 0;
            h.rest = static_cast<std::uint32_t>(pointer) << 24;
            break;
        }
        h.refusal = Counter::drop_icmp6_untranslatable_pointer;
        return h;
    default: // unknown error types: silently dropped
        h.refusal = Counter::drop_icmp6_unknown_type;
        return h;
    }
    h.ok = true;
    return h;
}

} // namespace

Verdict translate_icmp6_error(Translator& translator, PacketBuffer& packet, const Ipv6Info& outer,
                              Ipv4Address src4, Ipv4Address dst4, std::uint8_t ttl,
                              bool& inner_source_hairpins) {
    const TranslatorConfig& config = translator.config();
    const std::uint8_t* in = packet.data;
    const std::uint8_t* icmp = in + outer.header_length;
    const std::uint32_t icmp_length = kIpv6HeaderSize + outer.payload_length - outer.header_length;
    // Validate before recomputing, so that a corrupted error does not leave with a good checksum.
    std::uint32_t verify = ipv6_address_sum(in + 8, in + 24);
    verify += ipv6_pseudo_tail_sum(icmp_length, kProtoIcmp6);
    if (fold_sum(add_to_sum(verify, icmp, icmp_length)) != 0xffff)
        return dropped(Counter::drop_icmp6_checksum);
    // §5.2: error types other than 1-4 are dropped whatever they carry.
    if (icmp[0] < 1 || icmp[0] > 4) return dropped(Counter::drop_icmp6_unknown_type);

    const std::uint8_t* inner = icmp + 8;
    const IcmpPayloadLayout layout =
        icmp_payload_layout(icmp[0] == 1 || icmp[0] == 3 ? icmp[4] : 0, 8, icmp_length - 8);
    Ipv6Info inner6;
    // An inner packet with an extension header after its Fragment header was never translated
    // (§5.1.1), so no error about it can be.
    if (parse_ipv6(inner, layout.original_length, false, inner6) != ParseStatus::ok ||
        inner6.extension_after_fragment_offset != 0)
        return dropped(Counter::drop_icmp6_inner_malformed);
    const std::uint32_t inner_payload = layout.original_length - inner6.header_length;
    const std::uint8_t* inner_l4 = inner + inner6.header_length;
    if (inner6.protocol == kProtoIcmp6 && inner6.fragment_offset == 0 && inner_payload >= 1 &&
        is_icmp6_error_type(inner_l4[0]))
        return dropped(Counter::drop_icmp6_inner_malformed);

    const TranslatedIcmpHeader header =
        map_icmp6_error(translator.link_mtus(), icmp, inner6.has_fragment_header);
    if (!header.ok) return dropped(header.refusal);

    const auto inner_src4 =
        map_address_6to4(config, translator.eamt(), Ipv6Address::from_bytes(inner + 8));
    const auto inner_dst4 =
        map_address_6to4(config, translator.eamt(), Ipv6Address::from_bytes(inner + 24));
    if (!inner_src4 || !inner_dst4) return dropped(Counter::drop_icmp6_inner_untranslatable);
    // RFC 7757 §4.2.2 condition set B: the error is about a packet from an address that pool6
    // translated into an EAM's IPv4 prefix, so it goes back to that IPv6 host.
    const EamLookup* eamt = translator.eamt();
    inner_source_hairpins = hairpins(config, inner_src4.by,
                                     [&] { return eamt && eamt->find4(*inner_src4) != nullptr; });

    std::uint8_t scratch[kIcmpv4ErrorMax + 128];
    std::uint8_t* const out = scratch;
    std::uint8_t* const icmp4 = out + kIpv4HeaderSize;
    std::uint8_t* const inner4 = icmp4 + 8;
    // §5.3: the inner upper-layer length is the one the inner header declares, not what remains.
    const std::uint32_t inner_upper_length =
        kIpv6HeaderSize + inner6.payload_length -
        std::min<std::uint32_t>(inner6.header_length, kIpv6HeaderSize + inner6.payload_length);
    write_ipv4_header(inner4, inner6, translator, *inner_src4, *inner_dst4, inner6.hop_limit,
                      inner_upper_length);
    const IcmpErrorBody body = write_icmp_error_body(
        icmp4, header, kIpv4HeaderSize, inner_l4, inner_payload, inner + layout.original_length,
        layout.extension_length, 4, 5, kIcmpv4ErrorMax - kIpv4HeaderSize - 8);
    const std::uint32_t copied = body.copied;
    const std::uint32_t message_length = body.message_length;

    // §5.3: the inner transport checksum follows the inner addresses, incrementally.
    if (inner6.fragment_offset == 0) {
        std::uint8_t* l4 = inner4 + kIpv4HeaderSize;
        const std::uint16_t removed = ipv6_address_sum(inner + 8, inner + 24);
        // (A truncated inner header keeps its checksum: the error is translated all the same.)
        upper_layer_6to4(inner6.protocol, l4, copied, inner_upper_length, removed,
                         ipv4_address_sum(inner4 + 12, inner4 + 16));
    }

    store16(icmp4 + 2, checksum_of(icmp4, message_length));

    Ipv6Info outer_for_header = outer;
    outer_for_header.protocol = kProtoIcmp6;
    write_ipv4_header(out, outer_for_header, translator, src4, dst4, ttl, message_length);

    const std::uint32_t total = kIpv4HeaderSize + message_length;
    if (total > packet.length + packet.tailroom) return dropped(Counter::drop_buffer_too_small);
    std::memcpy(packet.data, out, total);
    packet.tailroom = packet.tailroom + packet.length - total;
    packet.length = total;
    return Verdict{Action::forward, Counter::translated_6to4_icmp_error, 0};
}

} // namespace siit::detail
