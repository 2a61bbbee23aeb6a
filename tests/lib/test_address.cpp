// address.hpp: parsing, printing and containment of addresses and prefixes.
#include <catch2/catch.hpp>

#include "siit/address.hpp"

using namespace siit;

TEST_CASE("IPv4 prefix parsing accepts valid prefixes and refuses host bits", "[address]") {
    CHECK(Ipv4Prefix::parse("192.0.2.0/24")->length == 24);
    CHECK(Ipv4Prefix::parse("192.0.2.1")->length == 32);
    CHECK(Ipv4Prefix::parse("0.0.0.0/0")->length == 0);
    CHECK_FALSE(Ipv4Prefix::parse("192.0.2.1/24"));
    CHECK_FALSE(Ipv4Prefix::parse("192.0.2.0/33"));
    CHECK_FALSE(Ipv4Prefix::parse("192.0.2.0/"));
    CHECK_FALSE(Ipv4Prefix::parse("192.0.2.0/2x"));
    CHECK_FALSE(Ipv4Prefix::parse("192.0.2/24"));
    CHECK_FALSE(Ipv4Prefix::parse(""));
}

TEST_CASE("IPv6 prefix parsing accepts valid prefixes and refuses host bits", "[address]") {
    CHECK(Ipv6Prefix::parse("2001:db8::/32")->length == 32);
    CHECK(Ipv6Prefix::parse("2001:db8::1")->length == 128);
    CHECK(Ipv6Prefix::parse("::/0")->length == 0);
    CHECK_FALSE(Ipv6Prefix::parse("2001:db8::1/64"));
    CHECK_FALSE(Ipv6Prefix::parse("2001:db8::/129"));
    CHECK_FALSE(Ipv6Prefix::parse("2001:db8:::/64"));
    CHECK(Ipv6Prefix::parse("2001:db8:8000::/33"));
    CHECK_FALSE(Ipv6Prefix::parse("2001:db8:8000::/32"));
}

TEST_CASE("Prefix containment at every length boundary", "[address]") {
    const auto p6 = *Ipv6Prefix::parse("2001:db8:100::/120");
    CHECK(p6.contains(*Ipv6Address::parse("2001:db8:100::ff")));
    CHECK_FALSE(p6.contains(*Ipv6Address::parse("2001:db8:100::100")));
    const auto p4 = *Ipv4Prefix::parse("198.51.100.0/24");
    CHECK(p4.contains(*Ipv4Address::parse("198.51.100.255")));
    CHECK_FALSE(p4.contains(*Ipv4Address::parse("198.51.101.0")));
    CHECK(Ipv4Prefix::parse("0.0.0.0/0")->contains(*Ipv4Address::parse("255.255.255.255")));
    CHECK(Ipv6Prefix::parse("::/0")->contains(*Ipv6Address::parse("ffff::1")));
}

TEST_CASE("Addresses print in their canonical text form", "[address]") {
    CHECK(Ipv4Address::parse("192.0.2.33")->to_string() == "192.0.2.33");
    CHECK(Ipv6Address::parse("2001:0db8:0000::0001")->to_string() == "2001:db8::1");
    CHECK(Ipv6Prefix::parse("64:ff9b::/96")->to_string() == "64:ff9b::/96");
}

TEST_CASE("A refused prefix says why: not an address, a bad length, or the host bits",
          "[address]") {
    CHECK(siit::ipv4_prefix_problem("192.0.2.0/24").empty());
    CHECK(siit::ipv4_prefix_problem("300.1.1.1") == "not an IPv4 address");
    CHECK(siit::ipv4_prefix_problem("2001:db8::1") == "not an IPv4 address");
    CHECK(siit::ipv4_prefix_problem("192.0.2.0/33") == "the prefix length must be 0-32");
    CHECK(siit::ipv4_prefix_problem("192.0.2.0/") == "the prefix length must be 0-32");
    CHECK(siit::ipv4_prefix_problem("192.0.2.1/24") ==
          "host bits are set after /24 (the prefix is 192.0.2.0/24)");
    CHECK(siit::ipv4_prefix_problem("10.0.0.1/0") ==
          "host bits are set after /0 (the prefix is 0.0.0.0/0)");
    CHECK(siit::ipv6_prefix_problem("2001:db8::/32").empty());
    CHECK(siit::ipv6_prefix_problem("2001:db8::g") == "not an IPv6 address");
    CHECK(siit::ipv6_prefix_problem("2001:db8::/129") == "the prefix length must be 0-128");
    CHECK(siit::ipv6_prefix_problem("2001:db8::1/120") ==
          "host bits are set after /120 (the prefix is 2001:db8::/120)");
    CHECK(siit::ipv6_prefix_problem(std::string_view("2001:db8::\0/64", 14)) ==
          "not an IPv6 address");
}
