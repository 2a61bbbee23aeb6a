// The fast path: RFC 7915 §4.1 and §5.1 for the packets a translator sees nearly all the time, in
// one pass over the headers with word-wise loads and stores and no intermediate structures.
//
// Taken: whole (unfragmented) TCP, UDP with a checksum, and ICMP echo; no IPv4 options, no IPv6
// extension headers; a valid IPv4 header checksum; TTL/Hop Limit above 1; fitting the outgoing MTU
// with no fragmentation; both addresses translatable; not hairpinned. Anything else, and every
// drop or error, is "not taken": the packet is left untouched and the full translation
// (translate_4to6.cpp, translate_6to4.cpp) handles it, so every rule keeps one home. Both paths
// give byte-identical output, which tests/lib/test_fast_path.cpp checks on random packets built
// around these edges and on mutations of them, and tests/fuzz/fuzz_translate.cpp on every input.
//
// For EAMTs larger than the caches, a worker makes the fast path's lookups ahead for a whole burst
// (prefetch_lookup_slots, then look_up_ahead), so that their misses overlap; the fast path then
// takes their answers instead of looking up again (docs/dataplane.md, "Large tables").

#include <type_traits>

#include "siit/bytes.hpp"
#include "siit/checksum.hpp"
#include "siit/eamt.hpp"
#include "siit/rfc6052.hpp"
#include "siit/translate_common.hpp"

namespace siit {

namespace {

// Everything here is small and runs for every packet: inlined whatever the compiler's heuristics.
#define SIIT_HOT [[gnu::always_inline]] inline

// An address as two big-endian-valued halves: sums and stores without a byte loop.
struct Wide6 {
    std::uint64_t hi, lo;
};

SIIT_HOT Wide6 load_wide6(const std::uint8_t* p) {
    return {load64(p), load64(p + 8)};
}

SIIT_HOT void store_wide6(std::uint8_t* p, Wide6 a) {
    store64(p, a.hi);
    store64(p + 8, a.lo);
}

SIIT_HOT std::uint16_t wide6_pair_sum(Wide6 src, Wide6 dst) {
    return fold_sum(std::uint32_t{fold_sum64(src.hi, src.lo)} + fold_sum64(dst.hi, dst.lo));
}

SIIT_HOT std::uint16_t ipv4_pair_sum(std::uint32_t src, std::uint32_t dst) {
    return fold_sum64(src, dst);
}

// The EAM of an address, or null (no table, or no entry matches): the production table's lookups
// inlined, any other table's through its interface.
template <typename Table> SIIT_HOT const EamEntry* find4(const Table* eamt, std::uint32_t a) {
    if constexpr (std::is_same_v<Table, EamTable>)
        return eamt ? eamt->lookup4(Ipv4Address{a}) : nullptr;
    else
        return eamt ? eamt->find4(Ipv4Address{a}) : nullptr;
}

template <typename Table> SIIT_HOT const EamEntry* find6(const Table* eamt, const std::uint8_t* p) {
    if constexpr (std::is_same_v<Table, EamTable>)
        return eamt ? eamt->lookup6(p) : nullptr;
    else
        return eamt ? eamt->find6(Ipv6Address::from_bytes(p)) : nullptr;
}

// map_address_4to6 without the optional, `entry` being the address's EAM or null: the EAMT, then
// pool6 (RFC 7757 §3.3, RFC 6052) as pool6_mapping allows.
SIIT_HOT bool map_4to6(const TranslatorConfig& config, const EamEntry* entry, std::uint32_t a,
                       Wide6& out) {
    if (entry) {
        const U128 mapped = eam_map_4to6_u128(*entry, Ipv4Address{a});
        out = {static_cast<std::uint64_t>(mapped >> 64), static_cast<std::uint64_t>(mapped)};
        return true;
    }
    if (!config.pool6 ||
        detail::pool6_mapping(config, Ipv4Address{a}, {}) != detail::AddressMapping::pool6)
        return false;
    if (config.pool6->length == 96) {
        std::uint8_t embedded[16];
        rfc6052_embed_96(config.pool6->address.bytes.data(), a, embedded);
        out = load_wide6(embedded);
        return true;
    }
    const Ipv6Address embedded = rfc6052_embed(*config.pool6, Ipv4Address{a});
    out = load_wide6(embedded.bytes.data());
    return true;
}

// The IPv4 address that the IPv6 address at `p` embeds in pool6 (RFC 6052 §2.2), before the
// checks on which IPv4 addresses may be translated; false when `p` is not in pool6.
SIIT_HOT bool pool6_ipv4(const TranslatorConfig& config, const std::uint8_t* p,
                         std::uint32_t& out) {
    if (!config.pool6) return false;
    if (config.pool6->length == 96)
        return rfc6052_extract_96(config.pool6->address.bytes.data(), p, out);
    const auto v4 = rfc6052_extract(*config.pool6, Ipv6Address::from_bytes(p));
    if (!v4) return false;
    out = v4->value;
    return true;
}

// map_address_6to4 likewise.
SIIT_HOT bool map_6to4(const TranslatorConfig& config, const EamEntry* entry, const std::uint8_t* p,
                       std::uint32_t& out) {
    if (entry) {
        out = eam_map_6to4_u128(*entry, ipv6_u128(p)).value;
        return true;
    }
    return pool6_ipv4(config, p, out) &&
           detail::pool6_mapping(config, Ipv4Address{out}, {}) == detail::AddressMapping::pool6;
}

// Whether the fast path takes this upper layer (TCP with its whole header, UDP with a checksum;
// a zero one follows §4.5 / §5.5 out of line), and then its counter.
SIIT_HOT bool takes_transport(std::uint8_t protocol, const std::uint8_t* l4,
                              std::uint32_t l4_length) {
    return (protocol == kProtoTcp && l4_length >= 20) ||
           (protocol == kProtoUdp && load16(l4 + 6) != 0);
}

#undef SIIT_HOT

} // namespace

void Translator::adopt_eamt(const EamLookup* eamt) {
    eamt_ = eamt;
    table_ = dynamic_cast<const EamTable*>(eamt);
}

Counter Translator::fast_4to6(PacketBuffer& packet, const PacketLookups* ahead) {
    if (!table_) return fast_4to6<EamLookup, false>(packet, eamt_, nullptr);
    return ahead ? fast_4to6<EamTable, true>(packet, table_, ahead)
                 : fast_4to6<EamTable, false>(packet, table_, nullptr);
}

Counter Translator::fast_6to4(PacketBuffer& packet, const PacketLookups* ahead) {
    if (!table_) return fast_6to4<EamLookup, false>(packet, eamt_, nullptr);
    return ahead ? fast_6to4<EamTable, true>(packet, table_, ahead)
                 : fast_6to4<EamTable, false>(packet, table_, nullptr);
}

void Translator::prefetch_lookup_slots(const std::uint8_t* packet, std::uint32_t length) const {
    if (!table_ || length < kIpv4HeaderSize) return;
    const unsigned version = packet[0] >> 4;
    if (version == 4) {
        table_->prefetch_slots4(Ipv4Address{load32(packet + 12)});
        table_->prefetch_slots4(Ipv4Address{load32(packet + 16)});
    } else if (version == 6 && length >= kIpv6HeaderSize) {
        table_->prefetch_slots6(packet + 8);
        table_->prefetch_slots6(packet + 24);
        std::uint32_t dst4;
        if (config_->hairpin_mode == HairpinMode::intrinsic &&
            pool6_ipv4(*config_, packet + 24, dst4))
            table_->prefetch_slots4(Ipv4Address{dst4});
    }
}

void Translator::look_up_ahead(const std::uint8_t* packet, std::uint32_t length,
                               PacketLookups& ahead) const {
    ahead = PacketLookups{};
    if (!table_ || length < kIpv4HeaderSize) return;
    const EamTable& table = *table_;
    const auto version = static_cast<std::uint8_t>(packet[0] >> 4);
    if (version == 4) {
        ahead.src = table.find4(Ipv4Address{load32(packet + 12)});
        ahead.dst = table.find4(Ipv4Address{load32(packet + 16)});
    } else if (version == 6 && length >= kIpv6HeaderSize) {
        ahead.src = table.find6(Ipv6Address::from_bytes(packet + 8));
        ahead.dst = table.find6(Ipv6Address::from_bytes(packet + 24));
        // What fast_6to4 asks for hairpinning (§4.2.2 condition set A): only a destination that
        // pool6 translates can hairpin.
        std::uint32_t dst4;
        ahead.dst4_in_eamt =
            ahead.dst == nullptr && config_->hairpin_mode == HairpinMode::intrinsic &&
            pool6_ipv4(*config_, packet + 24, dst4) && table.find4(Ipv4Address{dst4}) != nullptr;
    } else {
        return;
    }
    ahead.table = table_;
    ahead.ip_version = version;
    if (ahead.src) EamTable::prefetch_entry(ahead.src);
    if (ahead.dst) EamTable::prefetch_entry(ahead.dst);
}

template <typename Table, bool kAhead>
Counter Translator::fast_4to6(PacketBuffer& packet, const Table* eamt, const PacketLookups* ahead) {
    const TranslatorConfig& config = *config_;
    std::uint8_t* const in = packet.data;
    if (packet.length < kIpv4HeaderSize + 8 || in[0] != 0x45) return kNotTaken; // options: §4.1
    const std::uint32_t total_length = load16(in + 2);
    const std::uint16_t flags_offset = load16(in + 6);
    const std::uint8_t ttl = in[8], protocol = in[9];
    if (total_length > packet.length || total_length < kIpv4HeaderSize + 8 ||
        (flags_offset & 0x3fff) != 0 || ttl <= 1)
        return kNotTaken;
    // The header checksum: five 32-bit words.
    const std::uint64_t header_sum = std::uint64_t{load32(in)} + load32(in + 4) + load32(in + 8) +
                                     load32(in + 12) + load32(in + 16);
    if (fold_sum64(header_sum, 0) != 0xffff) return kNotTaken;
    const std::uint32_t l4_length = total_length - kIpv4HeaderSize;
    if (kIpv6HeaderSize + l4_length > detail::ipv6_size_limit(config, mtus_, flags_offset & 0x4000))
        return kNotTaken;

    std::uint8_t* const l4 = in + kIpv4HeaderSize;
    const bool icmp = protocol == kProtoIcmp;
    if (icmp ? !detail::is_icmp4_echo(l4[0]) : !takes_transport(protocol, l4, l4_length))
        return kNotTaken;

    const std::uint32_t src4 = load32(in + 12), dst4 = load32(in + 16);
    Wide6 src6, dst6;
    const bool known = kAhead && ahead->table == eamt && ahead->ip_version == 4;
    // RFC 7757 §4.2.1: in simple hairpinning mode every source is written in its RFC 6052 form.
    const bool source_eam = config.hairpin_mode != HairpinMode::simple;
    if (!map_4to6(config, known ? ahead->dst : find4(eamt, dst4), dst4, dst6) ||
        !map_4to6(config,
                  !source_eam ? nullptr
                  : known     ? ahead->src
                              : find4(eamt, src4),
                  src4, src6))
        return kNotTaken;

    // §4.5 and §4.2: the upper-layer checksum follows the pseudo-header.
    // (takes_transport saw the whole TCP or UDP header: the step cannot find it truncated.)
    const Counter counter = detail::upper_layer_4to6(
        protocol, l4, l4_length, l4_length, ipv4_pair_sum(src4, dst4), wide6_pair_sum(src6, dst6));

    // §4.1: Traffic Class from TOS (or zero), Flow Label zero, Hop Limit one less than the TTL.
    std::uint8_t* const out = l4 - kIpv6HeaderSize;
    detail::store_ipv6_first_words(
        out, detail::traffic_class_4to6(config, in[1]), static_cast<std::uint16_t>(l4_length),
        detail::next_header_4to6(protocol), static_cast<std::uint8_t>(ttl - 1));
    store_wide6(out + 8, src6);
    store_wide6(out + 24, dst6);

    packet.tailroom += packet.length - total_length;
    packet.headroom -= kIpv6HeaderSize - kIpv4HeaderSize;
    packet.data = out;
    packet.length = kIpv6HeaderSize + l4_length;
    ++fast_path_packets_;
    return counter;
}

template <typename Table, bool kAhead>
Counter Translator::fast_6to4(PacketBuffer& packet, const Table* eamt, const PacketLookups* ahead) {
    const TranslatorConfig& config = *config_;
    std::uint8_t* const in = packet.data;
    if (packet.length < kIpv6HeaderSize + 8) return kNotTaken;
    const std::uint32_t first = load32(in);
    const std::uint32_t payload_length = load16(in + 4);
    const std::uint8_t protocol = in[6], hop_limit = in[7];
    if ((first >> 28) != 6 || payload_length < 8 ||
        kIpv6HeaderSize + payload_length > packet.length || hop_limit <= 1 ||
        !detail::fits_ipv4_mtu(mtus_, payload_length)) // §5.1: Packet Too Big, out of line
        return kNotTaken;

    std::uint8_t* const l4 = in + kIpv6HeaderSize;
    const bool icmp = protocol == kProtoIcmp6;
    if (icmp ? !detail::is_icmp6_echo(l4[0]) : !takes_transport(protocol, l4, payload_length))
        return kNotTaken;

    const bool known = kAhead && ahead->table == eamt && ahead->ip_version == 6;
    const EamEntry* const dst_entry = known ? ahead->dst : find6(eamt, in + 24);
    std::uint32_t src4, dst4;
    if (!map_6to4(config, dst_entry, in + 24, dst4) ||
        !map_6to4(config, known ? ahead->src : find6(eamt, in + 8), in + 8, src4))
        return kNotTaken;
    // RFC 7757 §4.2.2 condition set A: a destination that pool6 translated into an EAM's IPv4
    // prefix goes back to IPv6, in the full translation.
    if (detail::hairpins(
            config, dst_entry ? detail::AddressMapping::eam : detail::AddressMapping::pool6,
            [&] { return known ? ahead->dst4_in_eamt : find4(eamt, dst4) != nullptr; }))
        return kNotTaken;

    // §5.5 and §5.2: the pseudo-header changes (ICMPv4 has none).
    const Counter counter = detail::upper_layer_6to4(
        protocol, l4, payload_length, payload_length,
        wide6_pair_sum(load_wide6(in + 8), load_wide6(in + 24)), ipv4_pair_sum(src4, dst4));

    // §5.1: TOS from the Traffic Class (or the configured one); DF and Identification by size.
    const auto total = static_cast<std::uint16_t>(kIpv4HeaderSize + payload_length);
    std::uint8_t* const out = l4 - kIpv4HeaderSize;
    detail::store_ipv4_header(out, detail::tos_6to4(config, static_cast<std::uint8_t>(first >> 20)),
                              total, detail::unfragmented_identity(*this, total),
                              static_cast<std::uint8_t>(hop_limit - 1),
                              detail::protocol_6to4(protocol), src4, dst4);

    packet.tailroom += packet.length - (kIpv6HeaderSize + payload_length);
    packet.headroom += kIpv6HeaderSize - kIpv4HeaderSize;
    packet.data = out;
    packet.length = total;
    ++fast_path_packets_;
    return counter;
}

} // namespace siit
