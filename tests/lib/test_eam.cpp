// eam.hpp: RFC 7757 entry arithmetic (suffix copying) and validity.
#include <catch2/catch.hpp>

#include "siit/eam.hpp"

using namespace siit;

namespace {
EamEntry entry(const char* v4, const char* v6) {
    return EamEntry{*Ipv4Prefix::parse(v4), *Ipv6Prefix::parse(v6)};
}
} // namespace

TEST_CASE("RFC7757 3.2 equal suffix lengths copy the host bits", "[eam]") {
    const auto e = entry("192.0.2.0/24", "2001:db8:aaaa::/120");
    CHECK(eam_map_4to6(e, *Ipv4Address::parse("192.0.2.1")) ==
          Ipv6Address::parse("2001:db8:aaaa::1"));
    CHECK(eam_map_6to4(e, *Ipv6Address::parse("2001:db8:aaaa::ff")) ==
          Ipv4Address::parse("192.0.2.255"));
}

TEST_CASE("RFC7757 3.2 a longer IPv6 suffix takes the IPv4 suffix right after the prefix",
          "[eam]") {
    const auto e = entry("192.0.2.0/24", "2001:db8:aaaa::/112");
    CHECK(eam_map_4to6(e, *Ipv4Address::parse("192.0.2.1")) ==
          Ipv6Address::parse("2001:db8:aaaa::100"));
    // The IPv6 bits after the copied suffix are ignored on the way back.
    CHECK(eam_map_6to4(e, *Ipv6Address::parse("2001:db8:aaaa::1ff")) ==
          Ipv4Address::parse("192.0.2.1"));
}

TEST_CASE("RFC7757 3.2 single-address entries (/32 and /128)", "[eam]") {
    const auto e = entry("198.51.100.7/32", "2001:db8::7/128");
    CHECK(eam_map_4to6(e, *Ipv4Address::parse("198.51.100.7")) ==
          Ipv6Address::parse("2001:db8::7"));
    CHECK(eam_map_6to4(e, *Ipv6Address::parse("2001:db8::7")) ==
          Ipv4Address::parse("198.51.100.7"));
}

TEST_CASE("RFC7757 3.2 the whole IPv4 space (/0) maps bit for bit", "[eam]") {
    const auto e = entry("0.0.0.0/0", "2001:db8::/96");
    CHECK(eam_map_4to6(e, *Ipv4Address::parse("203.0.113.9")) ==
          Ipv6Address::parse("2001:db8::cb00:7109"));
}

TEST_CASE("RFC7757 3.2 suffixes in the IPv6 address's first half, ending it, and across halves",
          "[eam]") {
    const auto first = entry("172.16.0.0/12", "2001:db8:a000::/40");
    CHECK(eam_map_4to6(first, *Ipv4Address::parse("172.31.2.3")) ==
          Ipv6Address::parse("2001:db8:a0f0:2030::"));
    CHECK(eam_map_6to4(first, *Ipv6Address::parse("2001:db8:a0f0:2030:ffff::1")) ==
          Ipv4Address::parse("172.31.2.3"));
    const auto ending = entry("192.168.0.0/16", "2001:db8:c000::/48");
    CHECK(eam_map_4to6(ending, *Ipv4Address::parse("192.168.1.2")) ==
          Ipv6Address::parse("2001:db8:c000:102::"));
    CHECK(eam_map_6to4(ending, *Ipv6Address::parse("2001:db8:c000:102:8000::")) ==
          Ipv4Address::parse("192.168.1.2"));
    const auto across = entry("198.18.0.0/15", "2001:db8:b000:ab00::/56");
    CHECK(eam_map_4to6(across, *Ipv4Address::parse("198.19.255.255")) ==
          Ipv6Address::parse("2001:db8:b000:abff:ff80::"));
    CHECK(eam_map_4to6(across, *Ipv4Address::parse("198.18.1.2")) ==
          Ipv6Address::parse("2001:db8:b000:ab00:8100::"));
    CHECK(eam_map_6to4(across, *Ipv6Address::parse("2001:db8:b000:abff:ff80::")) ==
          Ipv4Address::parse("198.19.255.255"));
    CHECK(eam_map_6to4(across, *Ipv6Address::parse("2001:db8:b000:ab00:817f:ffff::")) ==
          Ipv4Address::parse("198.18.1.2"));
}

TEST_CASE("RFC7757 3.2 entries whose IPv6 side has fewer suffix bits are refused with a reason",
          "[eam]") {
    CHECK_FALSE(eam_entry_error(entry("192.0.2.0/24", "2001:db8::/120")));
    const auto error = eam_entry_error(entry("192.0.2.0/24", "2001:db8::/121"));
    REQUIRE(error);
    CHECK(error->find("192.0.2.0/24") != std::string::npos);
    CHECK(error->find("2001:db8::/121") != std::string::npos);
    CHECK(error->find("length 120 or shorter") != std::string::npos);
}
