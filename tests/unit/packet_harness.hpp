// Runs the translator on a byte vector with the headroom and tailroom a DPDK mbuf would give, and
// collects every packet it produces.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "siit/translator.hpp"

namespace siit::test {

using Bytes = std::vector<std::uint8_t>;

struct Outcome {
    Verdict verdict;
    std::vector<Bytes> packets; // the buffer's packet first, then the extra fragments
};

class VectorAllocator final : public PacketAllocator {
  public:
    std::vector<std::unique_ptr<std::uint8_t[]>> storage;
    std::vector<std::unique_ptr<PacketBuffer>> handed_out;
    PacketBuffer* allocate(std::uint32_t length) override {
        storage.emplace_back(new std::uint8_t[length]);
        handed_out.push_back(
            std::make_unique<PacketBuffer>(PacketBuffer{storage.back().get(), 0, 0, length}));
        return handed_out.back().get();
    }
};

enum class Direction { from_ipv4, from_ipv6 };

Outcome run_translator(Translator& translator, Direction direction, const Bytes& input);

Bytes from_hex(const std::string& hex);
std::string to_hex(const Bytes& bytes);

} // namespace siit::test
