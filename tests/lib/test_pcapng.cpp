// pcapng (lib/control/pcapng.cpp): the blocks siitd writes for a capture, read back field by
// field, and the splitter siitctl cuts its stream with, fed in pieces and fed garbage.
#include <catch2/catch.hpp>

#include <cstring>

#include "control/pcapng.hpp"

namespace pcapng = siit::control::pcapng;

namespace {

std::uint32_t u32_at(const std::string& bytes, std::size_t at) {
    std::uint32_t v;
    std::memcpy(&v, bytes.data() + at, 4);
    return v;
}

// A capture as siitd writes one: header, two interfaces, a pair, statistics.
std::string sample_stream() {
    std::string out;
    pcapng::append_section_header(out, "siitd test");
    pcapng::append_interface(out, pcapng::kLinktypeEthernet, 2048, "ipv6-side", "net_af_packet1");
    pcapng::append_interface(out, pcapng::kLinktypeRaw, 2048, "tun", "");
    pcapng::Packet in;
    in.interface = 0;
    in.timestamp_ns = 1764536400123456789u;
    in.data = std::string_view("\x60\x00\x00\x00\x00", 5); // 5 bytes: padding follows
    in.original_length = 1280;
    in.direction = pcapng::Direction::inbound;
    in.packet_id = (std::uint64_t{1} << 48) | 7;
    in.comment = "siitd #1.7 received on ipv6-side: translated_6to4_udp";
    pcapng::append_packet(out, in);
    pcapng::Packet sent = in;
    sent.interface = 1;
    sent.data = std::string_view("\x45\x00\x00\x14", 4);
    sent.direction = pcapng::Direction::outbound;
    sent.comment = "";
    pcapng::append_packet(out, sent);
    pcapng::append_interface_statistics(out, {1, 1764536400999999999u, 2, 3, "lost 3"});
    return out;
}

} // namespace

TEST_CASE("pcapng: every block is framed by its length twice and padded to 32 bits", "[pcapng]") {
    const std::string stream = sample_stream();
    std::size_t at = 0, blocks = 0;
    while (at < stream.size()) {
        const std::uint32_t length = u32_at(stream, at + 4);
        REQUIRE(length % 4 == 0);
        REQUIRE(at + length <= stream.size());
        CHECK(u32_at(stream, at + length - 4) == length);
        at += length;
        ++blocks;
    }
    CHECK(at == stream.size());
    CHECK(blocks == 6);
    // The Section Header: its type, then the byte-order magic in the writer's order.
    CHECK(u32_at(stream, 0) == pcapng::kSectionHeader);
    CHECK(u32_at(stream, 8) == 0x1A2B3C4D);
}

TEST_CASE("pcapng: what is written is read back: interfaces, packets with their direction, id "
          "and comment, statistics",
          "[pcapng]") {
    pcapng::BlockSplitter splitter;
    splitter.feed(sample_stream());
    std::vector<pcapng::BlockSplitter::Block> blocks;
    while (auto b = splitter.next())
        blocks.push_back(*b);
    REQUIRE(blocks.size() == 6);
    CHECK_FALSE(splitter.error());
    CHECK(splitter.pending() == 0);

    const auto ethernet = pcapng::parse_interface(blocks[1].bytes);
    REQUIRE(ethernet);
    CHECK(ethernet->linktype == 1);
    CHECK(ethernet->snaplen == 2048);
    CHECK(ethernet->name == "ipv6-side");
    CHECK(ethernet->description == "net_af_packet1");
    const auto raw = pcapng::parse_interface(blocks[2].bytes);
    REQUIRE(raw);
    CHECK(raw->linktype == 101);
    CHECK(raw->description.empty());

    const auto in = pcapng::parse_packet(blocks[3].bytes);
    REQUIRE(in);
    CHECK(in->interface == 0);
    CHECK(in->timestamp == 1764536400123456789u);
    CHECK(in->data == std::string("\x60\x00\x00\x00\x00", 5));
    CHECK(in->original_length == 1280);
    CHECK(in->direction == pcapng::Direction::inbound);
    CHECK(in->packet_id == ((std::uint64_t{1} << 48) | 7));
    CHECK(in->comment == "siitd #1.7 received on ipv6-side: translated_6to4_udp");
    const auto sent = pcapng::parse_packet(blocks[4].bytes);
    REQUIRE(sent);
    CHECK(sent->direction == pcapng::Direction::outbound);
    CHECK(sent->packet_id == in->packet_id);
    CHECK(sent->comment.empty());

    const auto statistics = pcapng::parse_interface_statistics(blocks[5].bytes);
    REQUIRE(statistics);
    CHECK(statistics->interface == 1);
    CHECK(statistics->received == 2);
    CHECK(statistics->dropped == 3);
    CHECK(statistics->comment == "lost 3");
    // One kind of block is not taken for another.
    CHECK_FALSE(pcapng::parse_packet(blocks[5].bytes));
    CHECK_FALSE(pcapng::parse_interface(blocks[3].bytes));
}

TEST_CASE("pcapng: the splitter gives whole blocks only, however the stream is cut", "[pcapng]") {
    const std::string stream = sample_stream();
    for (std::size_t piece : {1u, 3u, 7u, 64u, 1000u}) {
        pcapng::BlockSplitter splitter;
        std::string joined;
        for (std::size_t at = 0; at < stream.size(); at += piece) {
            splitter.feed(std::string_view(stream).substr(at, piece));
            while (auto b = splitter.next())
                joined += b->bytes;
        }
        CHECK(joined == stream);
        CHECK(splitter.pending() == 0);
        CHECK_FALSE(splitter.error());
    }
    // Cut short: what is whole comes out, the rest waits.
    pcapng::BlockSplitter splitter;
    splitter.feed(std::string_view(stream).substr(0, stream.size() - 2));
    unsigned whole = 0;
    while (splitter.next())
        ++whole;
    CHECK(whole == 5);
    const std::uint32_t last_block = u32_at(stream, stream.size() - 4);
    CHECK(splitter.pending() == last_block - 2);
}

TEST_CASE("pcapng: a stream that is not pcapng, or a block length that cannot be, is an error",
          "[pcapng]") {
    pcapng::BlockSplitter text;
    text.feed("{\"ok\": true}\nnot a capture at all");
    CHECK_FALSE(text.next());
    CHECK(text.error());

    std::string stream = sample_stream();
    const std::uint32_t header_length = u32_at(stream, 4);
    const std::uint32_t bad = 13; // not a multiple of 4
    std::memcpy(stream.data() + header_length + 4, &bad, 4);
    pcapng::BlockSplitter splitter;
    splitter.feed(stream);
    CHECK(splitter.next()); // the header
    CHECK_FALSE(splitter.next());
    CHECK(splitter.error());
}

TEST_CASE("pcapng: a packet whose options run past its block is not read", "[pcapng]") {
    std::string block;
    pcapng::Packet p;
    p.data = "abcd";
    p.comment = "a comment";
    pcapng::append_packet(block, p);
    REQUIRE(pcapng::parse_packet(block));
    // The comment's length made larger than the block.
    const std::size_t option = 28 + 4;
    const std::uint16_t huge = 200;
    std::memcpy(block.data() + option + 2, &huge, 2);
    CHECK_FALSE(pcapng::parse_packet(block));
    // A captured length beyond the block.
    std::string truncated;
    pcapng::append_packet(truncated, p);
    const std::uint32_t captured = 4000;
    std::memcpy(truncated.data() + 20, &captured, 4);
    CHECK_FALSE(pcapng::parse_packet(truncated));
}
