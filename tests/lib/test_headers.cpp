// lib/siit/headers.cpp: what the translator reads of an IPv4 or IPv6 header before any rule, and
// where it stops: truncated (more bytes might have made it valid) against malformed (never valid).
#include <catch2/catch.hpp>

#include <vector>

#include "siit/headers.hpp"

using namespace siit;

namespace {
std::vector<std::uint8_t> ipv4(std::uint16_t total_length, std::uint16_t flags_offset = 0) {
    std::vector<std::uint8_t> p(total_length < 20 ? 20 : total_length, 0);
    p[0] = 0x45;
    p[1] = 0xb8;
    p[2] = static_cast<std::uint8_t>(total_length >> 8);
    p[3] = static_cast<std::uint8_t>(total_length);
    p[4] = 0x12;
    p[5] = 0x34;
    p[6] = static_cast<std::uint8_t>(flags_offset >> 8);
    p[7] = static_cast<std::uint8_t>(flags_offset);
    p[8] = 64;
    p[9] = 17;
    return p;
}

// An IPv6 header with `payload` bytes after it, its Next Header `next`.
std::vector<std::uint8_t> ipv6(std::uint8_t next, std::vector<std::uint8_t> payload) {
    std::vector<std::uint8_t> p(40 + payload.size(), 0);
    p[0] = 0x6a; // traffic class 0xa5
    p[1] = 0x50;
    p[4] = static_cast<std::uint8_t>(payload.size() >> 8);
    p[5] = static_cast<std::uint8_t>(payload.size());
    p[6] = next;
    p[7] = 9;
    std::copy(payload.begin(), payload.end(), p.begin() + 40);
    return p;
}
} // namespace

TEST_CASE("parse_ipv4: fields, fragment offset in bytes, and each refusal", "[headers]") {
    Ipv4Info info;
    auto p = ipv4(28, 0x2000 | 3); // MF, offset 3 units
    REQUIRE(parse_ipv4(p.data(), 28, true, info) == ParseStatus::ok);
    CHECK(info.header_length == 20);
    CHECK(info.total_length == 28);
    CHECK(info.identification == 0x1234);
    CHECK(info.tos == 0xb8);
    CHECK(info.ttl == 64);
    CHECK(info.protocol == 17);
    CHECK(info.more_fragments);
    CHECK_FALSE(info.dont_fragment);
    CHECK(info.fragment_offset == 24);
    CHECK(info.is_fragment());

    CHECK(parse_ipv4(p.data(), 19, true, info) == ParseStatus::truncated);
    CHECK(parse_ipv4(p.data(), 27, true, info) == ParseStatus::truncated); // total > available
    CHECK(parse_ipv4(p.data(), 27, false, info) == ParseStatus::ok); // inner packets may be cut
    p[0] = 0x65;
    CHECK(parse_ipv4(p.data(), 28, true, info) == ParseStatus::malformed); // version 6
    p[0] = 0x44;
    CHECK(parse_ipv4(p.data(), 28, true, info) == ParseStatus::malformed); // IHL 4
    p[0] = 0x47;
    CHECK(parse_ipv4(p.data(), 27, true, info) == ParseStatus::truncated); // options cut off
    p = ipv4(19);
    CHECK(parse_ipv4(p.data(), 20, true, info) == ParseStatus::malformed); // total < header
}

TEST_CASE("parse_ipv6: extension headers walked to the upper layer", "[headers]") {
    Ipv6Info info;
    // Hop-by-Hop (8 bytes) -> Routing with Segments Left 2 (8) -> Fragment (first, M=1) -> UDP.
    auto p = ipv6(kProtoHopByHop, {kProtoRouting,
                                   0,
                                   0,
                                   0,
                                   0,
                                   0,
                                   0,
                                   0, //
                                   kProtoFragment,
                                   0,
                                   0,
                                   2,
                                   0,
                                   0,
                                   0,
                                   0, //
                                   17,
                                   0,
                                   0x00,
                                   0x01,
                                   0xde,
                                   0xad,
                                   0xbe,
                                   0xef, //
                                   1,
                                   2,
                                   3,
                                   4,
                                   5,
                                   6,
                                   7,
                                   8});
    REQUIRE(parse_ipv6(p.data(), static_cast<std::uint32_t>(p.size()), true, info) ==
            ParseStatus::ok);
    CHECK(info.traffic_class == 0xa5);
    CHECK(info.hop_limit == 9);
    CHECK(info.protocol == 17);
    CHECK(info.header_length == 64);
    CHECK(info.segments_left_offset == 48 + 3);
    CHECK(info.has_fragment_header);
    CHECK(info.more_fragments);
    CHECK(info.fragment_offset == 0);
    CHECK(info.identification == 0xdeadbeef);
}

TEST_CASE("parse_ipv6: a non-first fragment stops at its Fragment header", "[headers]") {
    Ipv6Info info;
    // Offset 8 units: what follows the Fragment header is payload, whatever it looks like.
    auto p = ipv6(kProtoFragment, {kProtoDestOptions, 0, 0, 64, 0, 0, 0, 1, //
                                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
    REQUIRE(parse_ipv6(p.data(), static_cast<std::uint32_t>(p.size()), true, info) ==
            ParseStatus::ok);
    CHECK(info.protocol == kProtoDestOptions);
    CHECK(info.header_length == 48);
    CHECK(info.fragment_offset == 64);
    CHECK_FALSE(info.more_fragments);
}

TEST_CASE("parse_ipv6: each refusal", "[headers]") {
    Ipv6Info info;
    auto udp = ipv6(17, std::vector<std::uint8_t>(8, 0));
    CHECK(parse_ipv6(udp.data(), 39, true, info) == ParseStatus::truncated);
    CHECK(parse_ipv6(udp.data(), 47, true, info) == ParseStatus::truncated); // payload cut
    CHECK(parse_ipv6(udp.data(), 47, false, info) == ParseStatus::ok);       // inner: may be cut
    udp[0] = 0x40;
    CHECK(parse_ipv6(udp.data(), 48, true, info) == ParseStatus::malformed); // version 4
    // Payload Length 0 is an empty packet, not a jumbogram, without a Jumbo Payload option.
    auto empty = ipv6(59, {});
    CHECK(parse_ipv6(empty.data(), 40, true, info) == ParseStatus::ok);
    CHECK(info.protocol == 59);
    CHECK(info.header_length == 40);
    // With one (RFC 2675 §3), the Hop-by-Hop header lies beyond Payload Length 0: refused.
    auto jumbo = ipv6(kProtoHopByHop, {59, 0, 0xc2, 4, 0, 1, 0, 0});
    jumbo[4] = jumbo[5] = 0;
    CHECK(parse_ipv6(jumbo.data(), static_cast<std::uint32_t>(jumbo.size()), true, info) ==
          ParseStatus::malformed);
    // Hop-by-Hop anywhere but first (RFC 8200 §4.1).
    auto late = ipv6(kProtoDestOptions, {kProtoHopByHop, 0, 0, 0, 0, 0, 0, 0, //
                                         17, 0, 0, 0, 0, 0, 0, 0});
    CHECK(parse_ipv6(late.data(), static_cast<std::uint32_t>(late.size()), true, info) ==
          ParseStatus::malformed);
    // Two Fragment headers: the second is an extension header after the first (RFC 7915 §5.1.1),
    // noted with the offset of the Next Header field that announces it.
    auto twice = ipv6(kProtoFragment, {kProtoFragment, 0, 0, 1, 0, 0, 0, 1, //
                                       17, 0, 0, 1, 0, 0, 0, 1});
    CHECK(parse_ipv6(twice.data(), static_cast<std::uint32_t>(twice.size()), true, info) ==
          ParseStatus::ok);
    CHECK(info.extension_after_fragment_offset == 40);
    // Hop-by-Hop after a Fragment header is the same case, not a malformed chain.
    auto hop_after = ipv6(kProtoFragment, {kProtoHopByHop, 0, 0, 0, 0, 0, 0, 1, //
                                           17, 0, 1, 4, 0, 0, 0, 0});
    CHECK(parse_ipv6(hop_after.data(), static_cast<std::uint32_t>(hop_after.size()), true, info) ==
          ParseStatus::ok);
    CHECK(info.extension_after_fragment_offset == 40);
    CHECK(info.protocol == kProtoHopByHop);
    // ESP (50) may follow: it is the upper layer as far as the translator sees.
    auto esp = ipv6(kProtoFragment, {50, 0, 0, 0, 0, 0, 0, 1, //
                                     0, 0, 0, 1, 0, 0, 0, 1});
    CHECK(parse_ipv6(esp.data(), static_cast<std::uint32_t>(esp.size()), true, info) ==
          ParseStatus::ok);
    CHECK(info.extension_after_fragment_offset == 0);
    CHECK(info.protocol == 50);
    // An extension header longer than the packet: malformed when whole, truncated when inner.
    auto long_ext = ipv6(kProtoDestOptions, {17, 1, 0, 0, 0, 0, 0, 0});
    CHECK(parse_ipv6(long_ext.data(), 48, true, info) == ParseStatus::malformed);
    CHECK(parse_ipv6(long_ext.data(), 48, false, info) == ParseStatus::truncated);
}
