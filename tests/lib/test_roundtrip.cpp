// Round-trip property: for random valid packets between EAMT-mapped and pool6 addresses, 4->6->4
// and 6->4->6 give back the original packet, except the fields RFC 7915 changes (TTL/Hop Limit,
// Identification, DF, Flow Label and the IPv4 header checksum that covers them). Every
// intermediate packet must also carry a valid transport checksum.
#include <catch2/catch.hpp>

#include <random>

#include "linear_eamt.hpp"
#include "packet_builder.hpp"
#include "packet_harness.hpp"
#include "siit/bytes.hpp"
#include "siit/checksum.hpp"
#include "siit/rfc6052.hpp"
#include "siit/special_ipv4.hpp"

using namespace siit;
using namespace siit::test;

namespace {

struct World {
    TranslatorConfig config;
    LinearEamt eamt;
    World() {
        config.pool6 = *Ipv6Prefix::parse("64:ff9b::/96");
        config.hairpin_mode =
            HairpinMode::off; // the round trip sends EAM addresses back on purpose
        eamt.entries.push_back(
            {*Ipv4Prefix::parse("198.51.100.0/24"), *Ipv6Prefix::parse("2001:db8:100::/120")});
        eamt.entries.push_back(
            {*Ipv4Prefix::parse("203.0.113.0/28"), *Ipv6Prefix::parse("2001:db8:200::/64")});
        eamt.entries.push_back(
            {*Ipv4Prefix::parse("203.0.113.5/32"), *Ipv6Prefix::parse("2001:db8:300::5/128")});
    }
};

// An upper layer of `protocol` with random header fields and payload (its checksum is filled in
// once it sits behind its IP header).
Bytes random_l4(std::mt19937& rng, std::uint8_t protocol, std::size_t payload_length) {
    Bytes l4((protocol == kProtoTcp ? 20 : 8) + payload_length);
    for (auto& b : l4)
        b = static_cast<std::uint8_t>(rng());
    if (protocol == kProtoTcp) l4[12] = 0x50; // data offset 5
    if (protocol == kProtoUdp) store16(l4.data() + 4, static_cast<std::uint16_t>(l4.size()));
    if (protocol == kProtoIcmp || protocol == kProtoIcmp6) {
        l4[0] = static_cast<std::uint8_t>(protocol == kProtoIcmp ? (rng() % 2 ? 8 : 0)
                                                                 : (rng() % 2 ? 128 : 129));
        l4[1] = 0;
    }
    return l4;
}

// Whether the transport checksum of the whole packet `packet` (no options, no extension headers)
// is right.
bool transport_checksum_valid(const Bytes& packet, bool ipv6) {
    const std::size_t header = ipv6 ? kIpv6HeaderSize : kIpv4HeaderSize;
    return siit::test::transport_checksum_valid(packet.data(), packet.data() + header,
                                                ipv6 ? packet[6] : packet[9],
                                                static_cast<std::uint32_t>(packet.size() - header));
}

Ipv4Address random_public_ipv4(std::mt19937& rng) {
    for (;;) {
        const Ipv4Address a{static_cast<std::uint32_t>(rng())};
        // Global (the Well-Known Prefix represents nothing else, RFC 6052 §3.1), and outside the
        // EAMs' IPv4 prefixes.
        const std::uint32_t top = a.value >> 24;
        if (ipv4_scope(a) == Ipv4Scope::global && top != 198 && top != 203) return a;
    }
}

// An IPv6-side host: an address inside one of the EAM entries, in the form the longest match
// gives it (entries overlap on purpose, so that the most specific one must win).
Ipv6Address random_eam_ipv6(std::mt19937& rng, const LinearEamt& eamt) {
    const auto& e = eamt.entries[rng() % eamt.entries.size()];
    const std::uint32_t host_bits = 32u - e.prefix4.length;
    const std::uint32_t host =
        host_bits == 0 ? 0 : static_cast<std::uint32_t>(rng()) & ((1u << host_bits) - 1u);
    const Ipv4Address v4{e.prefix4.address.value | host};
    return eam_map_4to6(*eamt.find4(v4), v4);
}

} // namespace

TEST_CASE("Round trip 4->6->4 gives back the IPv4 packet but TTL, Identification, DF",
          "[roundtrip]") {
    World world;
    std::mt19937 rng(20261122);
    const std::uint8_t protocols[] = {1, 6, 17, 47};
    for (int round = 0; round < 3000; ++round) {
        const std::uint8_t protocol = protocols[rng() % 4];
        Bytes packet(20);
        packet[0] = 0x45;
        packet[1] = static_cast<std::uint8_t>(rng());
        store16(packet.data() + 4, static_cast<std::uint16_t>(rng()));
        store16(packet.data() + 6, rng() % 2 ? 0x4000 : 0);
        packet[8] = static_cast<std::uint8_t>(3 + rng() % 250);
        packet[9] = protocol;
        random_public_ipv4(rng).to_bytes(packet.data() + 12);
        const Ipv6Address host6 = random_eam_ipv6(rng, world.eamt);
        world.eamt.find6(host6)
            ? eam_map_6to4(*world.eamt.find6(host6), host6).to_bytes(packet.data() + 16)
            : void();
        const Bytes l4 = random_l4(rng, protocol, rng() % 1100);
        packet.insert(packet.end(), l4.begin(), l4.end());
        store16(packet.data() + 2, static_cast<std::uint16_t>(packet.size()));
        fill_transport_checksum(packet.data(), packet.data() + 20, protocol,
                                static_cast<std::uint32_t>(l4.size()));
        fill_ipv4_header_checksum(packet.data());

        INFO("round " << round << " input " << to_hex(packet));
        Translator translator(world.config, &world.eamt);
        const Outcome six = run_translator(translator, Direction::from_ipv4, packet);
        REQUIRE(six.verdict.action == Action::forward);
        REQUIRE(six.packets.size() == 1);
        CHECK(Ipv6Address::from_bytes(six.packets[0].data() + 24) == host6);
        CHECK(transport_checksum_valid(six.packets[0], true));
        const Outcome four = run_translator(translator, Direction::from_ipv6, six.packets[0]);
        REQUIRE(four.verdict.action == Action::forward);
        const Bytes& back = four.packets[0];
        REQUIRE(back.size() == packet.size());
        CHECK(Bytes(back.begin(), back.begin() + 4) == Bytes(packet.begin(), packet.begin() + 4));
        CHECK(back[8] == packet[8] - 2);
        CHECK(back[9] == packet[9]);
        CHECK(Bytes(back.begin() + 12, back.end()) == Bytes(packet.begin() + 12, packet.end()));
        CHECK(checksum_of(back.data(), 20) == 0);
    }
}

TEST_CASE("Round trip 6->4->6 gives back the IPv6 packet but Hop Limit and Flow Label",
          "[roundtrip]") {
    World world;
    std::mt19937 rng(7915);
    const std::uint8_t protocols[] = {58, 6, 17, 47};
    for (int round = 0; round < 3000; ++round) {
        const std::uint8_t protocol = protocols[rng() % 4];
        Bytes packet(40);
        const std::uint8_t traffic_class = static_cast<std::uint8_t>(rng());
        store32(packet.data(),
                (6u << 28) | (std::uint32_t{traffic_class} << 20) | (rng() & 0xfffff));
        packet[6] = protocol;
        packet[7] = static_cast<std::uint8_t>(3 + rng() % 250);
        random_eam_ipv6(rng, world.eamt).to_bytes(packet.data() + 8);
        rfc6052_embed(*world.config.pool6, random_public_ipv4(rng)).to_bytes(packet.data() + 24);
        const Bytes l4 = random_l4(rng, protocol, rng() % 1100);
        packet.insert(packet.end(), l4.begin(), l4.end());
        store16(packet.data() + 4, static_cast<std::uint16_t>(packet.size() - 40));
        fill_transport_checksum(packet.data(), packet.data() + 40, protocol,
                                static_cast<std::uint32_t>(l4.size()));

        INFO("round " << round << " input " << to_hex(packet));
        Translator translator(world.config, &world.eamt);
        const Outcome four = run_translator(translator, Direction::from_ipv6, packet);
        INFO("verdict " << counter_name(four.verdict.counter));
        REQUIRE(four.verdict.action == Action::forward);
        CHECK(checksum_of(four.packets[0].data(), 20) == 0);
        CHECK(transport_checksum_valid(four.packets[0], false));
        const Outcome six = run_translator(translator, Direction::from_ipv4, four.packets[0]);
        REQUIRE(six.verdict.action == Action::forward);
        const Bytes& back = six.packets[0];
        REQUIRE(back.size() == packet.size());
        CHECK(load32(back.data()) == (load32(packet.data()) & 0xfff00000u)); // Flow Label zeroed
        CHECK(Bytes(back.begin() + 4, back.begin() + 7) ==
              Bytes(packet.begin() + 4, packet.begin() + 7));
        CHECK(back[7] == packet[7] - 2);
        CHECK(Bytes(back.begin() + 8, back.end()) == Bytes(packet.begin() + 8, packet.end()));
    }
}

// Found by the fuzzer: an IPv6 packet from an EAM address to another EAM host's pool6 form
// hairpins (RFC 7757 §4.2.2), and its IPv4 form (DF=1, 1328 bytes) does not fit the 1280-byte IPv6
// MTU on the way back. §4 answers
// with an ICMPv4 Fragmentation Needed for the IPv4 source, which is the IPv6 sender's EAM address:
// the sender must get an ICMPv6 Packet Too Big, not an IPv4 packet on its IPv6 link.
TEST_CASE("RFC 7757 §4.2: an error for a hairpinned packet reaches its IPv6 sender as ICMPv6",
          "[hairpin]") {
    TranslatorConfig config;
    config.pool6 = *Ipv6Prefix::parse("2001:db8:64::/96");
    LinearEamt eamt;
    eamt.entries.push_back(
        {*Ipv4Prefix::parse("198.51.100.0/24"), *Ipv6Prefix::parse("2001:db8:100::/120")});
    Translator translator(config, &eamt, LinkMtus{1280, 1500});
    Bytes packet(40 + 1300, 0);
    packet[0] = 0x60;
    store16(packet.data() + 4, 1300);
    packet[6] = 17; // UDP
    packet[7] = 64;
    const auto src = *Ipv6Address::parse("2001:db8:100::5");
    const auto dst = *Ipv6Address::parse("2001:db8:64::198.51.100.10");
    std::copy(src.bytes.begin(), src.bytes.end(), packet.begin() + 8);
    std::copy(dst.bytes.begin(), dst.bytes.end(), packet.begin() + 24);
    store16(packet.data() + 40, 53);
    store16(packet.data() + 42, 5353);
    store16(packet.data() + 44, 1300);
    store16(packet.data() + 46, 0x1234); // any non-zero checksum: not checked on the way through

    const Outcome out = run_translator(translator, Direction::from_ipv6, packet);
    REQUIRE(out.verdict.action == Action::reply);
    CHECK(out.verdict.counter == Counter::drop_ipv4_fragmentation_needed);
    REQUIRE(out.packets.size() == 1);
    const Bytes& error = out.packets[0];
    REQUIRE(error.size() >= 48);
    CHECK((error[0] >> 4) == 6);
    CHECK(error[40] == 2); // ICMPv6 Packet Too Big
    CHECK(std::equal(src.bytes.begin(), src.bytes.end(), error.begin() + 24)); // to the sender
    CHECK(load32(error.data() + 44) == 1280);                                  // the MTU that fits
}
