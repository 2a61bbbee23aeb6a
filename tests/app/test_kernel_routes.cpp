// app/kernel/routes.cpp: the next hop of a translated packet from the kernel's routes and
// neighbours.
#include <catch2/catch.hpp>

#include <random>

#include "kernel/routes.hpp"

using namespace siitd;

TEST_CASE("kernel routes: longest prefix, gateway or on-link, then the neighbour's MAC",
          "[kernel-routes]") {
    const auto a4 = [](const char* text) { return siit::Ipv4Address::parse(text)->value; };
    KernelRoutes k;
    k.routes4.push_back({a4("192.0.2.0"), 24, 0});
    k.routes4.push_back({a4("203.0.113.0"), 24, a4("192.0.2.10")});
    k.routes4.push_back({a4("203.0.113.128"), 25, a4("192.0.2.20")});
    k.neighbours4.push_back({a4("192.0.2.20"), Mac{2, 0, 0, 0, 0, 20}});
    k.neighbours4.push_back({a4("192.0.2.10"), Mac{2, 0, 0, 0, 0, 10}});
    k.finish();
    bool routed = false;
    std::uint32_t next_hop = 0;
    const Mac* mac = k.resolve4(a4("203.0.113.200"), routed, next_hop); // the /25 wins
    REQUIRE(mac);
    CHECK((*mac)[5] == 20);
    mac = k.resolve4(a4("203.0.113.5"), routed, next_hop);
    REQUIRE(mac);
    CHECK((*mac)[5] == 10);
    mac = k.resolve4(a4("192.0.2.10"), routed, next_hop); // on-link: the destination itself
    REQUIRE(mac);
    CHECK((*mac)[5] == 10);
    CHECK_FALSE(k.resolve4(a4("192.0.2.99"), routed, next_hop)); // routed, no neighbour yet
    CHECK(routed);
    CHECK(next_hop == a4("192.0.2.99"));
    CHECK_FALSE(k.resolve4(a4("8.8.8.8"), routed, next_hop)); // no route
    CHECK_FALSE(routed);

    KernelRoutes::Route6 on_link;
    on_link.prefix = *siit::Ipv6Address::parse("2001:db8:100::");
    on_link.length = 64;
    k.routes6.push_back(on_link);
    k.neighbours6.push_back({*siit::Ipv6Address::parse("2001:db8:100::5"), Mac{2, 0, 0, 0, 6, 5}});
    k.finish();
    siit::Ipv6Address hop6;
    mac = k.resolve6(*siit::Ipv6Address::parse("2001:db8:100::5"), routed, hop6);
    REQUIRE(mac);
    CHECK((*mac)[5] == 5);
    CHECK_FALSE(k.resolve6(*siit::Ipv6Address::parse("2001:db8:200::5"), routed, hop6));
    CHECK_FALSE(routed);
}

namespace {

// The longest-prefix match written the plainest way, for comparison: the longest route covering
// the address, the first appended of equal ones.
template <typename Route, typename Covers>
const Route* linear_match(const std::vector<Route>& routes, Covers covers) {
    const Route* best = nullptr;
    for (const Route& r : routes)
        if (covers(r) && (!best || r.length > best->length)) best = &r;
    return best;
}

bool covers6(const siit::Ipv6Address& prefix, unsigned length, const siit::Ipv6Address& a) {
    for (unsigned bit = 0; bit < length; ++bit)
        if (prefix.bit(bit) != a.bit(bit)) return false;
    return true;
}

} // namespace

TEST_CASE("kernel routes: the flattened table answers as a linear longest-prefix search",
          "[kernel-routes]") {
    std::mt19937 rng(6052);
    for (int round = 0; round < 40; ++round) {
        KernelRoutes k;
        // Prefixes drawn from a small space, so that they nest, repeat and share starts; a default
        // route in some rounds.
        const unsigned count = 1 + rng() % 200;
        for (unsigned i = 0; i < count; ++i) {
            const auto length = static_cast<std::uint8_t>(rng() % 33);
            const std::uint32_t base = 0xc0000000u | (rng() & 0x00ff0f00u);
            const std::uint32_t mask = length == 0 ? 0 : ~std::uint32_t{0} << (32 - length);
            k.routes4.push_back({base & mask, length, rng() % 3 ? 0 : 0x0a000000u + i});
            KernelRoutes::Route6 r6;
            r6.prefix = *siit::Ipv6Address::parse("2001:db8::");
            r6.prefix.bytes[5] = static_cast<std::uint8_t>(rng() % 4);
            r6.prefix.bytes[15] = static_cast<std::uint8_t>(rng());
            r6.length = static_cast<std::uint8_t>(rng() % 129);
            for (unsigned bit = r6.length; bit < 128; ++bit)
                r6.prefix.set_bit(bit, false);
            r6.via = rng() % 2;
            r6.gateway = *siit::Ipv6Address::parse("fe80::1");
            r6.gateway.bytes[15] = static_cast<std::uint8_t>(i);
            k.routes6.push_back(r6);
        }
        if (round % 2) k.routes4.push_back({0, 0, 0x0a0000ffu});
        for (unsigned i = 0; i < count; ++i) {
            k.neighbours4.push_back(
                {0x0a000000u + i, Mac{2, 0, 0, 0, 0, static_cast<std::uint8_t>(i)}});
            siit::Ipv6Address n6 = *siit::Ipv6Address::parse("fe80::1");
            n6.bytes[15] = static_cast<std::uint8_t>(i);
            k.neighbours6.push_back({n6, Mac{2, 0, 0, 0, 6, static_cast<std::uint8_t>(i)}});
        }
        const auto routes4 = k.routes4;
        const auto routes6 = k.routes6;
        k.finish();
        for (int probe = 0; probe < 3000; ++probe) {
            const std::uint32_t a = 0xc0000000u | (rng() & 0x00ff0fffu);
            const auto* want = linear_match(routes4, [&](const KernelRoutes::Route4& r) {
                const std::uint32_t mask = r.length == 0 ? 0 : ~std::uint32_t{0} << (32 - r.length);
                return (a & mask) == r.prefix;
            });
            bool routed = false;
            std::uint32_t next_hop = 0;
            const Mac* mac = k.resolve4(a, routed, next_hop);
            INFO("IPv4 " << siit::Ipv4Address{a}.to_string());
            REQUIRE(routed == (want != nullptr));
            if (!want) continue;
            CHECK(next_hop == (want->gateway ? want->gateway : a));
            CHECK((mac != nullptr) == (want->gateway != 0));

            siit::Ipv6Address a6 = *siit::Ipv6Address::parse("2001:db8::");
            a6.bytes[5] = static_cast<std::uint8_t>(rng() % 4);
            a6.bytes[15] = static_cast<std::uint8_t>(rng());
            const auto* want6 = linear_match(routes6, [&](const KernelRoutes::Route6& r) {
                return covers6(r.prefix, r.length, a6);
            });
            siit::Ipv6Address hop6;
            k.resolve6(a6, routed, hop6);
            INFO("IPv6 " << a6.to_string());
            REQUIRE(routed == (want6 != nullptr));
            if (want6) CHECK(hop6 == (want6->via ? want6->gateway : a6));
        }
    }
}
