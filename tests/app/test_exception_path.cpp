// app/kernel/exception_path.cpp: which frames belong to the box's kernel rather than to the
// translator.
#include <catch2/catch.hpp>

#include <cstring>

#include "kernel/exception_path.hpp"

using namespace siitd;

TEST_CASE(
    "exception path: ARP, NDP, multicast, link-local and the box's addresses go to the kernel",
    "[exception]") {
    HostAddresses host;
    host.ipv4.push_back(*siit::Ipv4Address::parse("192.0.2.1"));
    host.ipv6.push_back(*siit::Ipv6Address::parse("2001:db8:100::1"));
    std::uint8_t v4[20] = {0x45};
    auto v4_to = [&](const char* dst) {
        const auto a = siit::Ipv4Address::parse(dst)->value;
        v4[16] = static_cast<std::uint8_t>(a >> 24);
        v4[17] = static_cast<std::uint8_t>(a >> 16);
        v4[18] = static_cast<std::uint8_t>(a >> 8);
        v4[19] = static_cast<std::uint8_t>(a);
        return for_kernel(0x0800, v4, sizeof v4, host);
    };
    std::uint8_t v6[40] = {0x60};
    auto v6_to = [&](const char* dst) {
        const auto a = *siit::Ipv6Address::parse(dst);
        std::memcpy(v6 + 24, a.bytes.data(), 16);
        return for_kernel(0x86dd, v6, sizeof v6, host);
    };
    CHECK(for_kernel(0x0806, v4, 0, host)); // ARP
    CHECK(v4_to("224.0.0.5"));              // OSPF hello (TTL 1: Jool issue #167)
    CHECK(v4_to("255.255.255.255"));
    CHECK(v4_to("192.0.2.1"));
    CHECK_FALSE(v4_to("198.51.100.5")); // to translate
    CHECK(v6_to("ff02::1:ff00:1"));     // Neighbour Solicitation
    CHECK(v6_to("fe80::1"));
    CHECK(v6_to("2001:db8:100::1"));
    CHECK_FALSE(v6_to("64:ff9b::c000:20a"));
    // Neighbour Discovery to a unicast address goes to the kernel even when the address is not
    // (yet) known as the box's: it never leaves its link. Other ICMPv6 there is translated.
    v6[6] = 58; // ICMPv6
    for (const std::uint8_t type : {133, 134, 135, 136, 137}) {
        std::uint8_t ndp[48] = {};
        std::memcpy(ndp, v6, 40);
        ndp[40] = type;
        const auto a = *siit::Ipv6Address::parse("2001:db8:100::2");
        std::memcpy(ndp + 24, a.bytes.data(), 16);
        CHECK(for_kernel(0x86dd, ndp, sizeof ndp, host));
        ndp[40] = 128; // Echo Request: for translation
        CHECK_FALSE(for_kernel(0x86dd, ndp, sizeof ndp, host));
    }
    CHECK_FALSE(for_kernel(0x0800, v4, 19, host)); // too short to tell: the translator counts it
}
