// The fast path (lib/siit/fast_path.cpp) against the full translation. Both must give the same
// verdict, the same bytes, the same buffer bookkeeping and the same next IPv4 Identification, on
// random packets built around what the fast path takes and the edges where it must step aside
// (options, fragments, TTL 1, zero UDP checksums, MTUs, untranslatable, denylisted and hairpinned
// addresses, ICMP errors, extension headers), and on random byte flips and truncations of them;
// and again with the EAMT lookups made ahead, as a worker makes them for a large table. One test
// case per packet class: those the fast path takes in part, and those it must always leave to the
// full translation.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>

#include "linear_eamt.hpp"
#include "packet_builder.hpp"
#include "packet_harness.hpp"
#include "siit/bytes.hpp"
#include "siit/checksum.hpp"
#include "siit/eamt.hpp"
#include "siit/headers.hpp"

namespace siit::test {
namespace {

class Generator {
  public:
    explicit Generator(std::uint32_t seed) : rng_(seed) {}

    std::uint32_t below(std::uint32_t n) {
        return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(rng_);
    }
    bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
    template <typename T> T pick(std::initializer_list<T> values) {
        return *(values.begin() + below(static_cast<std::uint32_t>(values.size())));
    }

    std::uint32_t ipv4_address() {
        const std::uint32_t kind = below(15);
        if (kind < 5) return 0xc0000200 | below(256);       // 192.0.2.0/24: pool6
        if (kind < 9) return 0xc6336400 | below(256);       // 198.51.100.0/24: EAM
        if (kind == 9) return 0xcb007105;                   // 203.0.113.5: EAM /32
        if (kind == 10) return 0x0a000000 | below(1 << 24); // 10/8: denylisted in some setups
        if (kind == 11) return 0xac100000 | below(1 << 20); // 172.16.0.0/12: EAM, suffix high
        if (kind == 12) return 0xc6120000 | below(1 << 17); // 198.18.0.0/15: EAM, suffix split
        if (kind == 13) return 0xc0a80000 | below(1 << 16); // 192.168.0.0/16: EAM, suffix mid
        // Addresses no router forwards (and 192.0.0.9, a forwardable one among them), multicast.
        if (chance(0.5))
            return pick({0x7f000001u, 0xe0000001u, 0x00000000u, 0xffffffffu, 0xa9fe0101u,
                         0xc0000008u, 0xc0000009u, 0xf0000001u});
        return static_cast<std::uint32_t>(rng_()); // RFC 6052 §3.1 above, anything here
    }

    void ipv6_address(std::uint8_t* out, const Ipv6Prefix& pool6) {
        std::memset(out, 0, 16);
        switch (below(12)) {
        case 0:
        case 1:
        case 2:
        case 3:
        case 4: { // pool6 with an embedded IPv4 address (RFC 6052 positions, u-octet zero)
            std::memcpy(out, pool6.address.bytes.data(), 16);
            const std::uint32_t v4 = ipv4_address();
            unsigned byte = pool6.length / 8;
            for (int shift = 24; shift >= 0; shift -= 8) {
                if (byte == 8) ++byte;
                out[byte++] = static_cast<std::uint8_t>(v4 >> shift);
            }
            if (chance(0.05)) out[8] = 1; // a u-octet that is not zero
            break;
        }
        case 5:
        case 6:
        case 7: // 2001:db8:100::/120: EAM
            store32(out, 0x20010db8);
            out[4] = 1;
            out[15] = static_cast<std::uint8_t>(rng_());
            break;
        case 8: // 2001:db8:5::5: EAM /128, and multicast
            if (chance(0.5)) {
                store32(out, 0x20010db8);
                out[5] = 5;
                out[15] = 5;
            } else {
                out[0] = 0xff;
                out[1] = 2;
                out[15] = 1;
            }
            break;
        case 9:
        case 10: // the EAMs whose suffixes lie in the first half, end it, or cross into the second
            for (int i = 0; i < 16; ++i)
                out[i] = static_cast<std::uint8_t>(rng_());
            store32(out, 0x20010db8);
            switch (below(3)) {
            case 0: // 2001:db8:a000::/40
                out[4] = 0xa0;
                break;
            case 1: // 2001:db8:c000::/48
                out[4] = 0xc0;
                out[5] = 0;
                break;
            default: // 2001:db8:b000:ab00::/56
                out[4] = 0xb0;
                out[5] = 0;
                out[6] = 0xab;
            }
            break;
        default:
            for (int i = 0; i < 16; ++i)
                out[i] = static_cast<std::uint8_t>(rng_());
        }
    }

    // The upper layer of a packet from `family` 4 or 6, its checksum right for `pseudo`.
    Bytes upper_layer(std::uint8_t protocol, std::uint32_t payload, bool from_ipv4) {
        Bytes l4;
        const std::uint8_t icmp = from_ipv4 ? kProtoIcmp : kProtoIcmp6;
        if (protocol == kProtoTcp)
            l4.resize(20 + payload);
        else if (protocol == kProtoUdp || protocol == icmp)
            l4.resize(8 + payload);
        else
            l4.resize(payload + 4);
        for (auto& b : l4)
            b = static_cast<std::uint8_t>(rng_());
        if (protocol == kProtoTcp) l4[12] = 0x50;
        if (protocol == kProtoUdp) store16(l4.data() + 4, static_cast<std::uint16_t>(l4.size()));
        if (protocol == icmp)
            l4[0] = from_ipv4 ? pick<std::uint8_t>({8, 0, 8, 0, 3, 11, 13})
                              : pick<std::uint8_t>({128, 129, 128, 129, 1, 3, 135});
        if (protocol == icmp) l4[1] = chance(0.8) ? 0 : static_cast<std::uint8_t>(rng_());
        return l4;
    }

    Bytes ipv4_packet(std::uint8_t protocol) {
        const std::uint32_t payload = chance(0.8) ? below(64) : below(1600);
        Bytes l4 = upper_layer(protocol, payload, true);
        const bool options = chance(0.05);
        const std::uint32_t header = options ? 24 : 20;
        Bytes p(header + l4.size());
        p[0] = options ? 0x46 : 0x45;
        p[1] = static_cast<std::uint8_t>(rng_());
        store16(p.data() + 2, static_cast<std::uint16_t>(p.size()));
        store16(p.data() + 4, static_cast<std::uint16_t>(rng_()));
        std::uint16_t flags = chance(0.5) ? 0x4000 : 0;
        if (chance(0.05)) flags |= 0x2000;                                    // MF
        if (chance(0.05)) flags |= static_cast<std::uint16_t>(below(0x1fff)); // offset
        store16(p.data() + 6, flags);
        p[8] = pick<std::uint8_t>({64, 64, 64, 64, 255, 2, 1, 0});
        p[9] = protocol;
        store32(p.data() + 12, ipv4_address());
        store32(p.data() + 16, ipv4_address());
        if (options) store32(p.data() + 20, pick<std::uint32_t>({0x01010100u, 0x83030400u}));
        std::memcpy(p.data() + header, l4.data(), l4.size());
        std::uint8_t* u = p.data() + header;
        fill_transport_checksum(p.data(), u, protocol, static_cast<std::uint32_t>(l4.size()));
        if (protocol == kProtoUdp && chance(0.1)) store16(u + 6, 0); // "no checksum"
        fill_ipv4_header_checksum(p.data());
        if (chance(0.03)) p[10] ^= 1; // a bad header checksum
        return p;
    }

    Bytes ipv6_packet(const Ipv6Prefix& pool6, std::uint8_t protocol) {
        const std::uint32_t payload = chance(0.8) ? below(64) : below(1600);
        const bool extension = protocol == kProtoFragment || protocol == kProtoHopByHop;
        const std::uint8_t upper =
            extension ? pick<std::uint8_t>({kProtoUdp, kProtoIcmp6}) : protocol;
        Bytes l4 = upper_layer(upper, payload, false);
        Bytes ext;
        if (protocol == kProtoFragment) {
            ext = {upper, 0, 0, 0, 0, 0, 0, 7};
            if (chance(0.5)) store16(ext.data() + 2, 1); // M
        } else if (protocol == kProtoHopByHop) {
            ext = {upper, 0, 1, 4, 0, 0, 0, 0};
        }
        Bytes p(40 + ext.size() + l4.size());
        store32(p.data(), 6u << 28 | (static_cast<std::uint32_t>(rng_()) & 0x0fffffff));
        store16(p.data() + 4, static_cast<std::uint16_t>(ext.size() + l4.size()));
        p[6] = protocol;
        p[7] = pick<std::uint8_t>({64, 64, 64, 64, 255, 2, 1, 0});
        ipv6_address(p.data() + 8, pool6);
        ipv6_address(p.data() + 24, pool6);
        if (!ext.empty()) std::memcpy(p.data() + 40, ext.data(), ext.size());
        std::uint8_t* u = p.data() + 40 + ext.size();
        std::memcpy(u, l4.data(), l4.size());
        fill_transport_checksum(p.data(), u, upper, static_cast<std::uint32_t>(l4.size()));
        if (upper == kProtoUdp && chance(0.1)) store16(u + 6, 0); // invalid in IPv6: dropped
        return p;
    }

    // Flips bits in the headers, truncates, or pads; returns whether it changed anything.
    bool mutate(Bytes& p) {
        const Bytes before = p;
        if (chance(0.2))
            for (std::uint32_t n = 1 + below(3); n > 0 && !p.empty(); --n)
                p[below(static_cast<std::uint32_t>(std::min<std::size_t>(p.size(), 48)))] ^=
                    static_cast<std::uint8_t>(1u << below(8));
        if (chance(0.05) && !p.empty()) p.resize(below(static_cast<std::uint32_t>(p.size())));
        if (chance(0.05)) p.resize(p.size() + 1 + below(8), 0); // link-layer padding
        return p != before;
    }

    std::mt19937& rng() { return rng_; }

  private:
    std::mt19937 rng_;
};

// Room around each packet, more than the translator needs, so that the comparison also covers
// what it must leave alone.
constexpr std::uint32_t kHeadroom = 128, kTailroom = 128;

struct Setup {
    TranslatorConfig config;
    LinkMtus mtus;
    std::unique_ptr<EamTable> table;
    LinearEamt linear;
};

Setup make_setup(Generator& g, unsigned variant) {
    Setup s;
    s.config.pool6 = *Ipv6Prefix::parse(g.pick<const char*>(
        {"64:ff9b::/96", "64:ff9b::/96", "2001:db8:122:344::/64", "2001:db8:122::/48",
         "2001:db8:100::/40", "2001:db8::/32", "2001:db8:1:200::/56"}));
    if (variant % 7 == 6) s.config.pool6.reset();
    std::vector<EamEntry> entries = {
        {*Ipv4Prefix::parse("198.51.100.0/24"), *Ipv6Prefix::parse("2001:db8:100::/120")},
        {*Ipv4Prefix::parse("203.0.113.5/32"), *Ipv6Prefix::parse("2001:db8:5::5/128")},
        // Suffixes (RFC 7757 §3.2) inside the IPv6 address's first 64 bits, ending at bit 64, and
        // across bits 56-72: the fast path loads and stores addresses as two 64-bit halves.
        {*Ipv4Prefix::parse("172.16.0.0/12"), *Ipv6Prefix::parse("2001:db8:a000::/40")},
        {*Ipv4Prefix::parse("192.168.0.0/16"), *Ipv6Prefix::parse("2001:db8:c000::/48")},
        {*Ipv4Prefix::parse("198.18.0.0/15"), *Ipv6Prefix::parse("2001:db8:b000:ab00::/56")}};
    if (g.chance(0.3)) // an EAM inside pool6's range: the EAMT must win
        entries.push_back(
            {*Ipv4Prefix::parse("192.0.2.128/25"), *Ipv6Prefix::parse("64:ff9b::c000:280/121")});
    std::vector<std::string> errors;
    s.table = EamTable::build(entries, errors);
    s.linear.entries = entries;
    if (g.chance(0.3)) s.config.denylist4.push_back(*Ipv4Prefix::parse("10.0.0.0/8"));
    s.config.reset_traffic_class = g.chance(0.2);
    s.config.reset_tos = g.chance(0.2);
    s.config.new_tos = static_cast<std::uint8_t>(g.below(256));
    s.config.amend_udp_checksum_zero = g.chance(0.7);
    s.config.hairpin_mode = g.pick({HairpinMode::off, HairpinMode::simple, HairpinMode::intrinsic});
    s.mtus.ipv6 = g.pick<std::uint32_t>({1500, 1500, 1280, 9000});
    s.mtus.ipv4 = g.pick<std::uint32_t>({1500, 1500, 576, 1400});
    s.config.lowest_ipv6_mtu = g.pick<std::uint16_t>({1280, 1500});
    return s;
}

// The packets of one class, and whether the fast path is meant to take them (when whole, not
// mutated, and within its conditions) or always to step aside.
struct PacketClass {
    std::vector<std::uint8_t> from_ipv4; // protocols of IPv4 packets (none: IPv6 only)
    std::vector<std::uint8_t> from_ipv6; // protocols, or first extension header, of IPv6 ones
    bool fast_path_takes_some;
};

// Random setups and random packets of `packets` class: the fast path, the fast path with its
// lookups made ahead, and the full translation must end the same on every one.
void compare_fast_and_full(const PacketClass& packets, std::uint32_t seed) {
    Generator g(seed);
    std::uint64_t count = 0, taken = 0, taken_ahead = 0, taken_unmutated = 0;
    for (unsigned variant = 0; variant < 70; ++variant) {
        Setup setup = make_setup(g, variant);
        const bool linear = variant % 2 == 1; // the production table, and the reference one
        const EamLookup* eamt = linear ? static_cast<const EamLookup*>(&setup.linear)
                                       : static_cast<const EamLookup*>(setup.table.get());
        Translator fast(setup.config, eamt, setup.mtus), full(setup.config, eamt, setup.mtus);
        full.set_fast_path(false);
        const Ipv6Prefix pool6 =
            setup.config.pool6 ? *setup.config.pool6 : *Ipv6Prefix::parse("64:ff9b::/96");
        for (int i = 0; i < 800; ++i) {
            const bool from_ipv4 =
                packets.from_ipv6.empty() || (!packets.from_ipv4.empty() && g.chance(0.5));
            const auto& protocols = from_ipv4 ? packets.from_ipv4 : packets.from_ipv6;
            const std::uint8_t protocol =
                protocols[g.below(static_cast<std::uint32_t>(protocols.size()))];
            Bytes input = from_ipv4 ? g.ipv4_packet(protocol) : g.ipv6_packet(pool6, protocol);
            const bool mutated = g.mutate(input);
            const auto id_seed = static_cast<std::uint16_t>(g.below(65536));
            const std::uint64_t before = fast.fast_path_packets();
            const TranslationRun a =
                run_translation(fast, from_ipv4, input, kHeadroom, kTailroom, id_seed);
            const TranslationRun b =
                run_translation(full, from_ipv4, input, kHeadroom, kTailroom, id_seed);
            const std::uint64_t after_a = fast.fast_path_packets();
            const TranslationRun c =
                run_translation(fast, from_ipv4, input, kHeadroom, kTailroom, id_seed, true);
            const bool a_fast = after_a != before, c_fast = fast.fast_path_packets() != after_a;
            ++count;
            taken += a_fast;
            taken_unmutated += a_fast && !mutated;
            if (!linear) taken_ahead += c_fast;
            if (a_fast != c_fast) { // the lookups made ahead must not change which path is taken
                INFO("variant " << variant << " packet " << i << ": " << to_hex(input));
                CHECK(a_fast == c_fast);
                return;
            }
            for (const TranslationRun* tried : {&a, &c}) {
                const bool same = same_outcome(*tried, b);
                if (same) continue;
                INFO("variant " << variant << " packet " << i << " from "
                                << (from_ipv4 ? "IPv4" : "IPv6") << ": " << to_hex(input));
                INFO((tried == &a ? "fast: " : "fast, lookups made ahead: ")
                     << counter_name(tried->verdict.counter) << " length " << tried->packet.length
                     << " at " << tried->data_offset << " next id " << tried->next_id);
                INFO("full: " << counter_name(b.verdict.counter) << " length " << b.packet.length
                              << " at " << b.data_offset << " next id " << b.next_id);
                CHECK(same);
                return;
            }
        }
    }
    INFO(taken << " of " << count << " packets took the fast path, " << taken_ahead
               << " with lookups made ahead");
    if (packets.fast_path_takes_some) {
        // The comparison means something only if both paths ran often, and the lookups made
        // ahead were used: half the variants have the production table.
        CHECK(taken > count / 10);
        CHECK(count - taken > count / 10);
        CHECK(taken_ahead > taken / 4);
    } else {
        CHECK(taken_unmutated == 0); // a class the fast path leaves to the full translation
    }
}

} // namespace

TEST_CASE("fast path against full translation: TCP (options, fragments, TTL, MTU, addresses)",
          "[fast_path]") {
    compare_fast_and_full({{kProtoTcp}, {kProtoTcp}, true}, 20261122);
}

TEST_CASE("fast path against full translation: UDP, zero checksums included", "[fast_path]") {
    compare_fast_and_full({{kProtoUdp}, {kProtoUdp}, true}, 20261123);
}

TEST_CASE("fast path against full translation: ICMP echo, and errors it leaves alone",
          "[fast_path]") {
    compare_fast_and_full({{kProtoIcmp}, {kProtoIcmp6}, true}, 20261124);
}

TEST_CASE("fast path against full translation: IPv6 extension headers and fragments (never fast)",
          "[fast_path]") {
    compare_fast_and_full({{}, {kProtoFragment, kProtoHopByHop}, false}, 20261125);
}

TEST_CASE("fast path against full translation: protocols it does not know (never fast)",
          "[fast_path]") {
    compare_fast_and_full({{47}, {47}, false}, 20261126);
}

} // namespace siit::test
