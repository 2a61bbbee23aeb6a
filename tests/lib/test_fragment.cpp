// lib/siit/fragment.cpp: RFC 7915 §4.1's IPv6 fragments of a translated IPv4 packet with DF=0:
// every fragment within the limit, payloads in multiples of 8 but the last, offsets and M flags
// that reassemble to the original, and the first fragment's own offset kept.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "packet_harness.hpp"
#include "siit/bytes.hpp"
#include "siit/fragment.hpp"
#include "siit/headers.hpp"

using namespace siit;

namespace {
// An IPv6 header and a Fragment header (offset `offset`, M `more`) with `payload` bytes
// numbered 0, 1, 2, ... in a buffer with room to spare.
struct Packet {
    std::vector<std::uint8_t> storage;
    PacketBuffer buffer;
    Packet(std::uint32_t payload, std::uint16_t offset, bool more) : storage(48 + payload + 64) {
        std::uint8_t* p = storage.data();
        p[0] = 0x60;
        store16(p + 4, static_cast<std::uint16_t>(8 + payload));
        p[6] = kProtoFragment;
        p[7] = 64;
        p[40] = 17;
        store16(p + 42, static_cast<std::uint16_t>(offset | (more ? 1 : 0)));
        store32(p + 44, 0xabcd);
        for (std::uint32_t i = 0; i < payload; ++i)
            p[48 + i] = static_cast<std::uint8_t>(i);
        buffer = {p, 48 + payload, 0, 64};
    }
};

struct Piece {
    std::uint32_t offset;
    bool more;
    std::vector<std::uint8_t> payload;
};

Piece piece_of(const std::uint8_t* p, std::uint32_t length) {
    REQUIRE(load16(p + 4) == length - 40); // Payload Length follows each fragment's size
    REQUIRE(load32(p + 44) == 0xabcd);     // one Identification for all
    const std::uint16_t offset_flags = load16(p + 42);
    return {offset_flags & 0xfff8u, (offset_flags & 1) != 0,
            std::vector<std::uint8_t>(p + 48, p + length)};
}
} // namespace

TEST_CASE("IPv6 fragments: within the limit, multiples of 8, reassembling to the original",
          "[fragment]") {
    Packet packet(3000, 0, false);
    test::VectorAllocator allocator;
    bool ok = false;
    const auto extra = detail::split_into_ipv6_fragments(packet.buffer, 1280, &allocator, ok);
    REQUIRE(ok);
    REQUIRE(extra == 2);
    std::vector<Piece> pieces{piece_of(packet.buffer.data, packet.buffer.length)};
    for (const auto& b : allocator.handed_out)
        pieces.push_back(piece_of(b->data, b->length));
    std::vector<std::uint8_t> whole;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        CHECK(pieces[i].payload.size() + 48 <= 1280);
        CHECK(pieces[i].offset == whole.size());
        CHECK(pieces[i].more == (i + 1 < pieces.size()));
        if (i + 1 < pieces.size()) CHECK(pieces[i].payload.size() % 8 == 0);
        whole.insert(whole.end(), pieces[i].payload.begin(), pieces[i].payload.end());
    }
    REQUIRE(whole.size() == 3000);
    for (std::uint32_t i = 0; i < 3000; ++i)
        REQUIRE(whole[i] == static_cast<std::uint8_t>(i));
    // The buffer gave back what the first fragment no longer holds.
    CHECK(packet.buffer.length + packet.buffer.tailroom == 48 + 3000 + 64);
}

TEST_CASE("IPv6 fragments of an IPv4 fragment keep its offset and its M flag on the last",
          "[fragment]") {
    Packet packet(2000, 1480, true); // a middle IPv4 fragment at byte 1480
    test::VectorAllocator allocator;
    bool ok = false;
    REQUIRE(detail::split_into_ipv6_fragments(packet.buffer, 1280, &allocator, ok) == 1);
    REQUIRE(ok);
    const Piece first = piece_of(packet.buffer.data, packet.buffer.length);
    const Piece last = piece_of(allocator.handed_out[0]->data, allocator.handed_out[0]->length);
    CHECK(first.offset == 1480);
    CHECK(first.more);
    CHECK(last.offset == 1480 + first.payload.size());
    CHECK(last.more); // more IPv4 fragments follow the one it came from
}

TEST_CASE("IPv6 fragments: no buffer for the rest is reported, not half-sent silently",
          "[fragment]") {
    Packet packet(3000, 0, false);
    bool ok = true;
    CHECK(detail::split_into_ipv6_fragments(packet.buffer, 1280, nullptr, ok) == 0);
    CHECK_FALSE(ok);
}
