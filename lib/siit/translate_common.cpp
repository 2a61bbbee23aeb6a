// Shared translation pieces; see translate_common.hpp.
#include "siit/translate_common.hpp"

#include <algorithm>
#include <cstring>

#include "siit/bytes.hpp"
#include "siit/checksum.hpp"
#include "siit/rfc6052.hpp"

namespace siit::detail {

Mapped<Ipv6Address> map_address_4to6(const TranslatorConfig& config, const EamLookup* eamt,
                                     Ipv4Address address, MappingRules rules) {
    if (eamt && rules.eam)
        if (const EamEntry* entry = eamt->find4(address))
            return {eam_map_4to6(*entry, address), AddressMapping::eam};
    if (!config.pool6) return {};
    const AddressMapping by = pool6_mapping(config, address, rules);
    if (by != AddressMapping::pool6) return {{}, by};
    return {rfc6052_embed(*config.pool6, address), by};
}

Mapped<Ipv4Address> map_address_6to4(const TranslatorConfig& config, const EamLookup* eamt,
                                     const Ipv6Address& address, MappingRules rules) {
    if (eamt && rules.eam)
        if (const EamEntry* entry = eamt->find6(address))
            return {eam_map_6to4(*entry, address), AddressMapping::eam};
    if (!config.pool6) return {};
    const auto v4 = rfc6052_extract(*config.pool6, address);
    if (!v4) return {};
    return {*v4, pool6_mapping(config, *v4, rules)};
}

Ipv6Address own_ipv6(const TranslatorConfig& config) {
    if (config.own_ipv6) return *config.own_ipv6;
    if (config.pool6) return rfc6052_embed(*config.pool6, config.own_ipv4);
    if (config.pool6791v6) return *config.pool6791v6;
    return Ipv6Address{};
}

std::uint32_t write_ipv6_header(std::uint8_t* out, const Ipv4Info& v4,
                                const TranslatorConfig& config, const Ipv6Address& src,
                                const Ipv6Address& dst, std::uint8_t hop_limit,
                                std::uint32_t upper_length, bool with_fragment) {
    const std::uint8_t upper = next_header_4to6(v4.protocol);
    const std::uint32_t extra = with_fragment ? kFragmentHeaderSize : 0;
    store_ipv6_first_words(out, traffic_class_4to6(config, v4.tos),
                           static_cast<std::uint16_t>(upper_length + extra),
                           with_fragment ? kProtoFragment : upper, hop_limit);
    src.to_bytes(out + 8);
    dst.to_bytes(out + 24);
    if (!with_fragment) return kIpv6HeaderSize;
    // §4.1 Fragment header: offset and M from IPv4, Identification's low 16 bits from IPv4.
    std::uint8_t* fragment = out + kIpv6HeaderSize;
    fragment[0] = upper;
    fragment[1] = 0;
    store16(fragment + 2,
            static_cast<std::uint16_t>(v4.fragment_offset | (v4.more_fragments ? 1 : 0)));
    store32(fragment + 4, v4.identification);
    return kIpv6HeaderSize + kFragmentHeaderSize;
}

void write_ipv4_header(std::uint8_t* out, const Ipv6Info& v6, Translator& translator,
                       Ipv4Address src, Ipv4Address dst, std::uint8_t ttl,
                       std::uint32_t upper_length) {
    const auto total = static_cast<std::uint16_t>(kIpv4HeaderSize + upper_length);
    // §5.1.1: a fragment keeps Identification's low 16 bits, offset and M; DF=0.
    const Ipv4Identity identity =
        v6.has_fragment_header
            ? Ipv4Identity{static_cast<std::uint16_t>(v6.identification),
                           static_cast<std::uint16_t>((v6.fragment_offset / 8) |
                                                      (v6.more_fragments ? 0x2000 : 0))}
            : unfragmented_identity(translator, total);
    store_ipv4_header(out, tos_6to4(translator.config(), v6.traffic_class), total, identity, ttl,
                      protocol_6to4(v6.protocol), src.value, dst.value);
}

bool adjust_l4_checksum(std::uint8_t protocol, std::uint8_t* l4, std::uint32_t available,
                        std::uint16_t removed, std::uint16_t added) {
    std::uint32_t field;
    if (protocol == kProtoTcp)
        field = 16;
    else if (protocol == kProtoUdp)
        field = 6;
    else
        return true;
    if (available < field + 2) return false;
    const std::uint16_t old = load16(l4 + field);
    if (protocol == kProtoUdp && old == 0) return true;
    std::uint16_t updated = checksum_adjust(old, removed, added);
    // RFC 768: a computed UDP checksum of zero is sent as all ones.
    if (protocol == kProtoUdp && updated == 0) updated = 0xffff;
    store16(l4 + field, updated);
    return true;
}

namespace {
// An echo's first word becomes `type` with Code 0 (§4.2, §5.2), its checksum following the word
// and gaining the IPv6 pseudo-header (to ICMPv6) or losing it (to ICMPv4), whose sum is
// `pseudo_sum`.
void rewrite_echo(std::uint8_t* icmp, std::uint8_t type, std::uint16_t pseudo_sum, bool to_icmp6) {
    const std::uint16_t old_word = load16(icmp);
    icmp[0] = type;
    icmp[1] = 0;
    const std::uint16_t new_word = load16(icmp);
    const std::uint16_t removed =
        to_icmp6 ? old_word : fold_sum(std::uint32_t{old_word} + pseudo_sum);
    const std::uint16_t added =
        to_icmp6 ? fold_sum(std::uint32_t{new_word} + pseudo_sum) : new_word;
    store16(icmp + 2, checksum_adjust(load16(icmp + 2), removed, added));
}
} // namespace

void icmp4_echo_to_icmp6(std::uint8_t* icmp, std::uint16_t pseudo_sum) {
    rewrite_echo(icmp, icmp[0] == 8 ? 128 : 129, pseudo_sum, true);
}

void icmp6_echo_to_icmp4(std::uint8_t* icmp, std::uint16_t pseudo_sum) {
    rewrite_echo(icmp, icmp[0] == 128 ? 8 : 0, pseudo_sum, false);
}

namespace {

// RFC 1812 §4.3.2.7 and RFC 4443 §2.4(e): whether an error may be sent about this packet.
bool may_send_error(bool is_error, bool non_first_fragment) {
    return !is_error && !non_first_fragment;
}

} // namespace

Verdict reply_icmp4_error(Translator& translator, PacketBuffer& packet, std::uint8_t type,
                          std::uint8_t code, std::uint32_t rest_of_header, Counter counter) {
    const std::uint8_t* in = packet.data;
    Ipv4Info v4;
    if (parse_ipv4(in, packet.length, true, v4) != ParseStatus::ok) return dropped(counter);
    const bool is_error = v4.protocol == kProtoIcmp && v4.fragment_offset == 0 &&
                          v4.total_length > v4.header_length &&
                          is_icmp4_error_type(in[v4.header_length]);
    const Ipv4Address source = Ipv4Address::from_bytes(in + 12);
    // RFC 1812 §4.3.2.7: never about a packet sent to a multicast or broadcast address, nor to a
    // "this network", loopback, multicast or broadcast source.
    const std::uint32_t top = source.value >> 24;
    const std::uint32_t destination_top = in[16];
    if (!may_send_error(is_error, v4.fragment_offset != 0) || top == 0 || top == 127 ||
        top >= 224 || destination_top >= 224)
        return dropped(counter);

    constexpr std::uint32_t kHeaders = kIpv4HeaderSize + 8;
    // RFC 1812 §4.3.2.3: the error holds as much of the original as fits in 576 bytes.
    const std::uint32_t quoted = std::min<std::uint32_t>(v4.total_length, 576 - kHeaders);
    std::uint8_t* out = packet.data - kHeaders;
    out[0] = 0x45;
    out[1] = 0;
    store16(out + 2, static_cast<std::uint16_t>(kHeaders + quoted));
    store16(out + 4, translator.next_ipv4_id());
    store16(out + 6, 0);
    out[8] = translator.config().icmp_error_ttl;
    out[9] = kProtoIcmp;
    store16(out + 10, 0);
    translator.config().own_ipv4.to_bytes(out + 12);
    source.to_bytes(out + 16);
    store16(out + 10, checksum_of(out, kIpv4HeaderSize));
    std::uint8_t* icmp = out + kIpv4HeaderSize;
    icmp[0] = type;
    icmp[1] = code;
    store16(icmp + 2, 0);
    store32(icmp + 4, rest_of_header);
    store16(icmp + 2, checksum_of(icmp, 8 + quoted));

    packet.data = out;
    packet.headroom -= kHeaders;
    packet.tailroom += packet.length - quoted;
    packet.length = kHeaders + quoted;
    return Verdict{Action::reply, counter, 0};
}

Verdict reply_icmp6_error(Translator& translator, PacketBuffer& packet, std::uint8_t type,
                          std::uint8_t code, std::uint32_t rest_of_header, Counter counter) {
    const std::uint8_t* in = packet.data;
    Ipv6Info v6;
    if (parse_ipv6(in, packet.length, true, v6) != ParseStatus::ok) return dropped(counter);
    const std::uint32_t packet_length = kIpv6HeaderSize + v6.payload_length;
    const bool is_error = v6.protocol == kProtoIcmp6 && v6.fragment_offset == 0 &&
                          packet_length > v6.header_length &&
                          is_icmp6_error_type(in[v6.header_length]);
    // RFC 4443 §2.4(e): never to the unspecified or a multicast source.
    const Ipv6Address source = Ipv6Address::from_bytes(in + 8);
    // RFC 4443 §2.4(e.3): nor about a packet sent to a multicast address (Packet Too Big aside).
    if (!may_send_error(is_error, v6.fragment_offset != 0) || source == Ipv6Address{} ||
        source.bytes[0] == 0xff || (in[24] == 0xff && type != 2))
        return dropped(counter);

    constexpr std::uint32_t kHeaders = kIpv6HeaderSize + 8;
    // RFC 4443 §2.4(c): as much of the original as fits in the minimum MTU.
    const std::uint32_t quoted = std::min<std::uint32_t>(packet_length, 1280 - kHeaders);
    std::uint8_t* out = packet.data - kHeaders;
    store32(out, 6u << 28);
    store16(out + 4, static_cast<std::uint16_t>(8 + quoted));
    out[6] = kProtoIcmp6;
    out[7] = translator.config().icmp_error_ttl;
    const Ipv6Address own = own_ipv6(translator.config());
    own.to_bytes(out + 8);
    source.to_bytes(out + 24);
    std::uint8_t* icmp = out + kIpv6HeaderSize;
    icmp[0] = type;
    icmp[1] = code;
    store16(icmp + 2, 0);
    store32(icmp + 4, rest_of_header);
    std::uint32_t acc = ipv6_address_sum(out + 8, out + 24);
    acc += ipv6_pseudo_tail_sum(8 + quoted, kProtoIcmp6);
    acc = add_to_sum(acc, icmp, 8 + quoted);
    store16(icmp + 2, static_cast<std::uint16_t>(~fold_sum(acc)));

    packet.data = out;
    packet.headroom -= kHeaders;
    packet.tailroom += packet.length - quoted;
    packet.length = kHeaders + quoted;
    return Verdict{Action::reply, counter, 0};
}

Verdict refuse_address_4to6(Translator& translator, PacketBuffer& packet, AddressMapping by,
                            Counter untranslatable) {
    switch (by) {
    case AddressMapping::never_translated:
        return dropped(Counter::drop_never_translated_4to6);
    case AddressMapping::wkp_non_global:
        return dropped(Counter::drop_wkp_non_global_4to6);
    default:
        return reply_icmp4_error(translator, packet, 3, 13, 0, untranslatable);
    }
}

Verdict refuse_address_6to4(Translator& translator, PacketBuffer& packet, const Ipv6Info& v6,
                            AddressMapping by, Counter untranslatable) {
    switch (by) {
    case AddressMapping::never_translated:
        return dropped(Counter::drop_never_translated_6to4);
    case AddressMapping::wkp_non_global:
        return dropped(Counter::drop_wkp_non_global_6to4);
    default:
        return discard_ipv6(translator, packet, v6, untranslatable);
    }
}

Verdict discard_ipv6(Translator& translator, PacketBuffer& packet, const Ipv6Info& v6,
                     Counter counter) {
    if (v6.protocol == kProtoIcmp6) return dropped(counter);
    return reply_icmp6_error(translator, packet, 1, 1, 0, counter);
}

} // namespace siit::detail
