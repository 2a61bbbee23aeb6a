// RFC 7915 §5: IPv6 to IPv4, the outer packet, translated in place: the IPv4 header is written
// just before the upper-layer header, over the end of the IPv6 headers. ICMP errors are out of
// line (icmp_6to4.cpp). Hairpinning (RFC 7757 §4.2) sends the result through §4 again.
#include "siit/bytes.hpp"
#include "siit/checksum.hpp"
#include "siit/icmp_6to4.hpp"
#include "siit/translate_common.hpp"

namespace siit {

Verdict Translator::translate_6to4_full(PacketBuffer& packet, PacketAllocator* allocator) {
    using namespace detail;
    const TranslatorConfig& config = *config_;
    Ipv6Info v6;
    switch (parse_ipv6(packet.data, packet.length, true, v6)) {
    case ParseStatus::ok:
        break;
    case ParseStatus::truncated:
        return dropped(Counter::drop_ipv6_truncated);
    case ParseStatus::malformed:
        return dropped(Counter::drop_ipv6_malformed);
    }
    const std::uint32_t packet_length = kIpv6HeaderSize + v6.payload_length;
    packet.tailroom += packet.length - packet_length;
    packet.length = packet_length;

    std::uint8_t* const in = packet.data;
    std::uint8_t* const l4 = in + v6.header_length;
    const std::uint32_t l4_length = packet_length - v6.header_length;
    const bool first_fragment = v6.fragment_offset == 0;
    const bool icmp = v6.protocol == kProtoIcmp6;
    const bool icmp_error = icmp && first_fragment && l4_length >= 1 && is_icmp6_error_type(l4[0]);

    // Addresses first, as in §4 (Jool issue #167).
    const auto dst4 = map_address_6to4(config, eamt_, Ipv6Address::from_bytes(in + 24));
    if (!dst4)
        return refuse_address_6to4(*this, packet, v6, dst4.by, Counter::drop_untranslatable_dst6);
    auto src4 = map_address_6to4(config, eamt_, Ipv6Address::from_bytes(in + 8));
    if (!src4) {
        if (is_illegal_ipv6_source(in + 8)) return dropped(Counter::drop_ipv6_illegal_source);
        // RFC 6791 / §5.1: an error from an IPv6 router with no IPv4 form takes a pool6791v4
        // source.
        if (!icmp_error)
            return refuse_address_6to4(*this, packet, v6, src4.by,
                                       Counter::drop_untranslatable_src6);
        src4 = {config.pool6791v4 ? *config.pool6791v4 : config.own_ipv4,
                AddressMapping::untranslatable};
    }
    // §5.1.1: an extension header after the Fragment header (ESP aside) cannot be translated:
    // removing it would leave the later fragments' offsets counting its bytes. Dropped, counted,
    // and §5.4's error for every discard it specifies no other for: Destination Unreachable,
    // code 1 (docs/conformance.md says why not Parameter Problem).
    if (v6.extension_after_fragment_offset != 0)
        return discard_ipv6(*this, packet, v6, Counter::drop_ipv6_extension_after_fragment);
    if (v6.hop_limit <= 1)
        return reply_icmp6_error(*this, packet, 3, 0, 0, Counter::drop_ipv6_hop_limit_expired);
    // §5.1: a Routing header with Segments Left > 0 gets Parameter Problem pointing at the field.
    if (v6.segments_left_offset != 0)
        return reply_icmp6_error(*this, packet, 4, 0, v6.segments_left_offset,
                                 Counter::drop_ipv6_segments_left);
    const auto ttl = static_cast<std::uint8_t>(v6.hop_limit - 1);

    if (icmp) {
        if (v6.is_fragment()) return dropped(Counter::drop_icmp6_fragmented);
        if (l4_length < 8) return dropped(Counter::drop_icmp6_truncated);
        if (icmp_error) {
            bool inner_source_hairpins = false; // RFC 7757 §4.2.2 condition set B
            const Verdict error = detail::translate_icmp6_error(*this, packet, v6, *src4, *dst4,
                                                                ttl, inner_source_hairpins);
            return hairpin_if_needed(error, packet, allocator, inner_source_hairpins);
        }
        // Neighbour Discovery, MLD and every other informational type stay on their link.
        if (!is_icmp6_echo(l4[0])) return dropped(Counter::drop_icmp6_unknown_type);
    }

    // §5.1: IPv6 packets never get fragmented by routers, so one that does not fit the IPv4 link
    // gets Packet Too Big. Its MTU is the IPv4 MTU plus the 20 bytes IPv6's fixed header adds,
    // whatever extension headers this packet carried: the sender's next packets may carry none,
    // and an IPv4 MTU + 28 (a fragment's) would draw one more Packet Too Big for each of them
    // (docs/mtu.md). Never below 1280 (RFC 8200 §5).
    if (!fits_ipv4_mtu(mtus_, l4_length))
        return reply_icmp6_error(*this, packet, 2, 0, packet_too_big_mtu6(mtus_.ipv4),
                                 Counter::drop_ipv6_packet_too_big);

    Counter counter = Counter::translated_6to4_fragment;
    std::uint8_t src4_bytes[4], dst4_bytes[4];
    src4->to_bytes(src4_bytes);
    dst4->to_bytes(dst4_bytes);
    if (first_fragment) {
        const std::uint16_t removed = ipv6_address_sum(in + 8, in + 24);
        if (v6.protocol == kProtoUdp && l4_length >= 8 && load16(l4 + 6) == 0)
            return dropped(Counter::drop_udp6_checksum_zero);
        counter = upper_layer_6to4(v6.protocol, l4, l4_length, l4_length, removed,
                                   ipv4_address_sum(src4_bytes, dst4_bytes));
        if (counter == Counter::drop_l4_truncated) return dropped(counter);
    }

    std::uint8_t* const out = l4 - kIpv4HeaderSize;
    write_ipv4_header(out, v6, *this, *src4, *dst4, ttl, l4_length);
    packet.headroom = packet.headroom + v6.header_length - kIpv4HeaderSize;
    packet.data = out;
    packet.length = kIpv4HeaderSize + l4_length;

    // RFC 7757 §4.2.2 condition set A: a destination pool6 translated into an EAM's IPv4 prefix.
    const bool destination_hairpins =
        hairpins(config, dst4.by, [&] { return eamt_ && eamt_->find4(*dst4) != nullptr; });
    return hairpin_if_needed(Verdict{Action::forward, counter, 0}, packet, allocator,
                             destination_hairpins);
}

Verdict Translator::hairpin_if_needed(Verdict translated, PacketBuffer& packet,
                                      PacketAllocator* allocator, bool hairpins) {
    // The IPv4 form belongs to an IPv6 host behind this translator: translate it back (§4.2.2)
    // instead of sending it to IPv4.
    if (translated.action != Action::forward || !hairpins) return translated;
    const Verdict back = translate_4to6_impl(packet, allocator, true);
    if (back.action == Action::reply) {
        // §4 refused the IPv4 form with an ICMPv4 error (Fragmentation Needed, Time Exceeded) for
        // its IPv4 source: the IPv6 sender's EAM address. The sender speaks IPv6, so the error
        // goes through §4.2 as well, back to it; untranslatable, it is dropped, still counted.
        const Verdict error = translate_4to6_impl(packet, allocator, true);
        if (error.action != Action::forward) return Verdict{Action::drop, back.counter, 0};
        return Verdict{Action::reply, back.counter, 0};
    }
    if (back.action != Action::forward) return back;
    return Verdict{Action::hairpin, Counter::hairpinned, back.extra_packets};
}

} // namespace siit
