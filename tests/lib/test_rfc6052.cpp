// rfc6052.hpp: IPv4-embedded IPv6 addresses.
#include <catch2/catch.hpp>

#include "siit/rfc6052.hpp"

using namespace siit;

TEST_CASE("RFC6052 2.4 example table, every row, both ways", "[rfc6052]") {
    const auto v4 = *Ipv4Address::parse("192.0.2.33");
    const std::pair<const char*, const char*> rows[] = {
        {"2001:db8::/32", "2001:db8:c000:221::"},
        {"2001:db8:100::/40", "2001:db8:1c0:2:21::"},
        {"2001:db8:122::/48", "2001:db8:122:c000:2:2100::"},
        {"2001:db8:122:300::/56", "2001:db8:122:3c0:0:221::"},
        {"2001:db8:122:344::/64", "2001:db8:122:344:c0:2:2100:0"},
        {"2001:db8:122:344::/96", "2001:db8:122:344::c000:221"},
        {"64:ff9b::/96", "64:ff9b::c000:221"},
    };
    for (const auto& [prefix_text, expected_text] : rows) {
        INFO(prefix_text);
        const auto prefix = *Ipv6Prefix::parse(prefix_text);
        const auto expected = *Ipv6Address::parse(expected_text);
        CHECK(rfc6052_embed(prefix, v4) == expected);
        CHECK(rfc6052_extract(prefix, expected) == v4);
    }
}

TEST_CASE("RFC6052 2.2 u-octet and suffix are ignored when extracting", "[rfc6052]") {
    // SHOULD ignore: a packet whose u-octet or suffix bits are set still translates.
    const auto prefix64 = *Ipv6Prefix::parse("2001:db8:122:344::/64");
    CHECK(rfc6052_extract(prefix64, *Ipv6Address::parse("2001:db8:122:344:ffc0:2:2100:ffff")) ==
          Ipv4Address::parse("192.0.2.33"));
    const auto prefix32 = *Ipv6Prefix::parse("2001:db8::/32");
    CHECK(rfc6052_extract(prefix32, *Ipv6Address::parse("2001:db8:c000:221:ff00:1:2:3")) ==
          Ipv4Address::parse("192.0.2.33"));
}

TEST_CASE("RFC6052 2.2 only the six lengths are valid, and outside addresses are refused",
          "[rfc6052]") {
    for (unsigned length = 0; length <= 128; ++length) {
        const bool valid = length == 32 || length == 40 || length == 48 || length == 56 ||
                           length == 64 || length == 96;
        CHECK(rfc6052_valid_length(length) == valid);
    }
    CHECK_FALSE(
        rfc6052_extract(*Ipv6Prefix::parse("64:ff9b::/96"), *Ipv6Address::parse("64:ff9c::1")));
}
