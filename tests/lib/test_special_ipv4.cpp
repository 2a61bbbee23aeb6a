// The special-purpose address rules: the registry as data and its per-packet form agree, and EAMs
// over addresses no router forwards are refused with the reason.
#include <catch2/catch.hpp>

#include "siit/eam.hpp"
#include "siit/special_ipv4.hpp"

using namespace siit;

namespace {

Ipv4Address a4(const char* text) {
    return *Ipv4Address::parse(text);
}

EamEntry entry(const char* v4, const char* v6) {
    return {*Ipv4Prefix::parse(v4), *Ipv6Prefix::parse(v6)};
}

} // namespace

TEST_CASE("ipv4_scope agrees with the registry table at every block's edges", "[special]") {
    for (const Ipv4SpecialBlock& block : ipv4_special_blocks()) {
        const std::uint32_t first = block.prefix.address.value;
        const std::uint32_t last = first | ~block.prefix.mask();
        for (const std::uint32_t value : {first, last, first + (last - first) / 2}) {
            const Ipv4Address address{value};
            INFO(address.to_string() << " in " << block.prefix.to_string());
            const Ipv4SpecialBlock* most_specific = ipv4_special_block(address);
            REQUIRE(most_specific != nullptr);
            CHECK(ipv4_scope(address) == most_specific->scope);
        }
        // Just outside the block, the answer is the table's again (global where no block is).
        for (const std::uint32_t value : {first - 1, last + 1}) {
            const Ipv4Address address{value};
            const Ipv4SpecialBlock* around = ipv4_special_block(address);
            INFO(address.to_string() << " beside " << block.prefix.to_string());
            CHECK(ipv4_scope(address) == (around ? around->scope : Ipv4Scope::global));
        }
    }
}

TEST_CASE("ipv4_scope: the addresses the rules name", "[special]") {
    // RFC 1812 §5.3.7, RFC 3927 §2.7 and the registry's Forwardable = False.
    for (const char* never : {"0.0.0.0", "0.255.1.2", "127.0.0.1", "169.254.0.1", "192.0.0.8",
                              "192.0.0.170", "240.0.0.1", "255.255.255.255"})
        CHECK(ipv4_scope(a4(never)) == Ipv4Scope::never_translated);
    // RFC 6052 §3.1: not global, so never under the Well-Known Prefix.
    for (const char* private_ : {"10.0.0.1", "100.64.0.1", "100.127.255.255", "172.16.0.1",
                                 "172.31.255.255", "192.168.0.1", "198.18.0.1", "198.19.255.255",
                                 "192.0.0.1", "192.0.2.1", "198.51.100.1", "203.0.113.1"})
        CHECK(ipv4_scope(a4(private_)) == Ipv4Scope::non_global);
    for (const char* global : {"1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.0", "169.253.0.1",
                               "172.15.0.1", "172.32.0.1", "192.0.0.9", "192.0.0.10", "192.0.1.1",
                               "192.88.99.1", "198.17.0.1", "198.20.0.1", "203.0.114.1"})
        CHECK(ipv4_scope(a4(global)) == Ipv4Scope::global);
    CHECK(ipv4_scope(a4("224.0.0.1")) == Ipv4Scope::multicast);
    CHECK(ipv4_scope(a4("239.255.255.255")) == Ipv4Scope::multicast);
}

TEST_CASE("RFC 6052 §2.1 the Well-Known Prefix is 64:ff9b::/96 exactly", "[special]") {
    CHECK(is_well_known_prefix(*Ipv6Prefix::parse("64:ff9b::/96")));
    CHECK_FALSE(is_well_known_prefix(*Ipv6Prefix::parse("64:ff9b:1::/96"))); // RFC 8215
    CHECK_FALSE(is_well_known_prefix(*Ipv6Prefix::parse("64:ff9b::/64")));
    CHECK_FALSE(is_well_known_prefix(*Ipv6Prefix::parse("2001:db8::/96")));
}

TEST_CASE("EAMs over addresses no router forwards are refused, naming one", "[special][eam]") {
    const auto message = [](const char* v4, const char* v6) {
        return eam_entry_error(entry(v4, v6)).value_or("");
    };
    CHECK_THAT(message("169.254.0.0/16", "2001:db8::/112"),
               Catch::Contains("169.254.0.0 (Link Local, RFC 3927 §2.7)") &&
                   Catch::Contains("no router forwards"));
    CHECK_THAT(message("127.0.0.1/32", "2001:db8::1/128"), Catch::Contains("Loopback"));
    CHECK_THAT(message("0.0.0.0/0", "2001:db8::/96"), Catch::Contains("0.0.0.0"));
    CHECK_THAT(message("128.0.0.0/1", "2001:db8::/97"), Catch::Contains("169.254.0.0"));
    CHECK_THAT(message("192.0.0.0/24", "2001:db8::/120"), Catch::Contains("192.0.0.8"));
    CHECK_THAT(message("192.0.0.8/30", "2001:db8::/126"), Catch::Contains("192.0.0.8"));
    // Forwardable exceptions inside 192.0.0.0/24, and every other special block, are accepted.
    for (const auto& [v4, v6] : {std::pair{"192.0.0.9/32", "2001:db8::9/128"},
                                 {"192.0.0.10/32", "2001:db8::a/128"},
                                 {"192.0.0.0/29", "2001:db8::/125"},
                                 {"10.0.0.0/8", "2001:db8::/104"},
                                 {"192.0.2.0/24", "2001:db8::/120"},
                                 {"169.253.0.0/16", "2001:db8::/112"}}) {
        INFO(v4);
        CHECK_FALSE(eam_entry_error(entry(v4, v6)));
    }
}
