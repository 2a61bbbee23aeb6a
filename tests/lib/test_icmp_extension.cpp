// lib/siit/icmp_extension.cpp: RFC 4884's layout of multi-part ICMP messages, read and rebuilt.
#include <catch2/catch.hpp>

#include "siit/icmp_extension.hpp"

using namespace siit::detail;

TEST_CASE("RFC 4884 §4/§5.4: where the original datagram ends and the extension begins",
          "[icmp-extension]") {
    // No Length: everything is the original datagram.
    CHECK(icmp_payload_layout(0, 4, 200).original_length == 200);
    CHECK(icmp_payload_layout(0, 4, 200).extension_length == 0);
    // ICMPv4, Length 32 words: 128 bytes of original datagram, the rest extension.
    auto v4 = icmp_payload_layout(32, 4, 200);
    CHECK(v4.original_length == 128);
    CHECK(v4.extension_length == 72);
    // ICMPv6 counts 8-byte units.
    auto v6 = icmp_payload_layout(17, 8, 200);
    CHECK(v6.original_length == 136);
    CHECK(v6.extension_length == 64);
    // §5.4: shorter than 128 bytes, or past the end of the message: no extension.
    CHECK(icmp_payload_layout(31, 4, 200).extension_length == 0);
    CHECK(icmp_payload_layout(50, 4, 200).extension_length == 0);
    CHECK(icmp_payload_layout(50, 4, 200).original_length == 200);
    CHECK(icmp_payload_layout(25, 8, 200).extension_length == 0); // exactly the end: nothing after
}

TEST_CASE("RFC 4884 §4: the translated payload, padded, with the extension when it fits",
          "[icmp-extension]") {
    // No extension: the original datagram, cut to the budget.
    auto plain = plan_icmp_payload(300, 0, 8, 1000);
    CHECK(plain.keep_original == 300);
    CHECK(plain.padded_original == 300);
    CHECK_FALSE(plain.keep_extension);
    CHECK(plan_icmp_payload(1300, 0, 8, 1232).keep_original == 1232);
    // An extension: the original field padded to the unit, and to at least 128 bytes.
    auto short_original = plan_icmp_payload(100, 20, 8, 1000);
    CHECK(short_original.keep_original == 100);
    CHECK(short_original.padded_original == 128);
    CHECK(short_original.keep_extension);
    CHECK(plan_icmp_payload(150, 20, 8, 1000).padded_original == 152);
    CHECK(plan_icmp_payload(150, 20, 4, 1000).padded_original == 152);
    CHECK(plan_icmp_payload(149, 20, 4, 1000).padded_original == 152);
    // Too long together: the original datagram gives way, on a unit boundary.
    auto cut = plan_icmp_payload(1200, 100, 8, 1232);
    CHECK(cut.keep_extension);
    CHECK(cut.padded_original == 1128);
    CHECK(cut.keep_original == 1128);
    CHECK(cut.padded_original + 100 <= 1232);
    // An extension that leaves no room for 128 bytes of original datagram is left out.
    auto dropped = plan_icmp_payload(300, 1200, 8, 1232);
    CHECK_FALSE(dropped.keep_extension);
    CHECK(dropped.keep_original == 300);
}
