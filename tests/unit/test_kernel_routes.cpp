// app/kernel_routes.cpp: the next hop of a translated packet from the kernel's routes and
// neighbours.
#include <catch2/catch.hpp>

#include "kernel_routes.hpp"

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
