// checksum.hpp: RFC 1071 sums and RFC 1624 incremental updates.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "siit/bytes.hpp"
#include "siit/checksum.hpp"

using namespace siit;

TEST_CASE("RFC1071 checksum of the RFC's own example words", "[checksum]") {
    // RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, so the checksum is 220d.
    const std::uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK(fold_sum(add_to_sum(0, data, sizeof data)) == 0xddf2);
    CHECK(checksum_of(data, sizeof data) == 0x220d);
}

TEST_CASE("RFC1071 odd length pads the last byte with zero", "[checksum]") {
    const std::uint8_t odd[] = {0x12, 0x34, 0x56};
    const std::uint8_t even[] = {0x12, 0x34, 0x56, 0x00};
    CHECK(checksum_of(odd, 3) == checksum_of(even, 4));
}

TEST_CASE("RFC1624 incremental update equals a full recomputation", "[checksum]") {
    std::mt19937 rng(7);
    for (int round = 0; round < 2000; ++round) {
        std::vector<std::uint8_t> data(2 + rng() % 200);
        for (auto& b : data)
            b = static_cast<std::uint8_t>(rng());
        data.resize(data.size() & ~std::size_t{1});
        const std::uint16_t before = checksum_of(data.data(), data.size());
        const std::size_t at = (rng() % (data.size() / 2)) * 2;
        const std::uint16_t old_word = load16(data.data() + at);
        const auto new_word = static_cast<std::uint16_t>(rng());
        store16(data.data() + at, new_word);
        const std::uint16_t full = checksum_of(data.data(), data.size());
        const std::uint16_t incremental = checksum_adjust(before, old_word, new_word);
        // Equal as ones'-complement numbers: 0x0000 and 0xffff are both zero.
        INFO("round " << round);
        CHECK((incremental == full || (incremental ^ full) == 0xffff));
    }
}
