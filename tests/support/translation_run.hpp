// The shared test kit for running the translator: one packet through a Translator in a buffer with
// chosen headroom and tailroom (filled with a marker byte, so that a stray write shows), with the
// EAMT lookups made ahead or not, and everything the translation left behind. The unit tests, the
// differential test of the fast path against the full translation and the fuzzer all run packets
// through this one function, and compare two runs with this one predicate. Header-only, lib/ only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "siit/translator.hpp"

namespace siit::test {

using Bytes = std::vector<std::uint8_t>;

// Extra packets (IPv6 fragments) in buffers of their own, each exactly as large as asked for.
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

struct TranslationRun {
    Verdict verdict{};
    Bytes buffer;                 // the whole buffer afterwards, headroom and tailroom included
    std::ptrdiff_t data_offset{}; // where the packet starts in it
    PacketBuffer packet{};        // the bookkeeping afterwards (its pointer is not kept)
    std::vector<Bytes> extra;     // the extra packets, as long as the translator left them
    std::uint16_t next_id{};      // the translator's next IPv4 Identification
    // Whether the bookkeeping still describes exactly the buffer it was given.
    bool bookkeeping_in_buffer = false;
};

// Translates `size` bytes at `input` (from IPv4 when `from_ipv4`) in a buffer with `headroom` and
// `tailroom` bytes of `fill` around them. `id_seed` seeds the next IPv4 Identification;
// `lookups_ahead` makes the EAMT lookups first, as a worker does for a large table.
inline TranslationRun run_translation(Translator& translator, bool from_ipv4,
                                      const std::uint8_t* input, std::size_t size,
                                      std::uint32_t headroom, std::uint32_t tailroom,
                                      std::optional<std::uint16_t> id_seed = std::nullopt,
                                      bool lookups_ahead = false, std::uint8_t fill = 0xee) {
    TranslationRun run;
    run.buffer.assign(headroom + size + tailroom, fill);
    if (size) std::memcpy(run.buffer.data() + headroom, input, size);
    PacketBuffer packet{run.buffer.data() + headroom, static_cast<std::uint32_t>(size), headroom,
                        tailroom};
    if (id_seed) translator.seed_ipv4_id(*id_seed);
    VectorAllocator allocator;
    PacketLookups lookups;
    if (lookups_ahead) {
        translator.prefetch_lookup_slots(packet.data, packet.length);
        translator.look_up_ahead(packet.data, packet.length, lookups);
    }
    const PacketLookups* ahead = lookups_ahead ? &lookups : nullptr;
    run.verdict = from_ipv4 ? translator.translate_4to6(packet, &allocator, ahead)
                            : translator.translate_6to4(packet, &allocator, ahead);
    const std::uint8_t* begin = run.buffer.data();
    run.data_offset = packet.data - begin;
    run.bookkeeping_in_buffer =
        packet.data - packet.headroom == begin &&
        packet.data + packet.length + packet.tailroom == begin + run.buffer.size();
    run.packet = packet;
    run.packet.data = nullptr;
    for (const auto& b : allocator.handed_out)
        run.extra.emplace_back(b->data, b->data + b->length);
    run.next_id = translator.next_ipv4_id();
    return run;
}

inline TranslationRun run_translation(Translator& translator, bool from_ipv4, const Bytes& input,
                                      std::uint32_t headroom, std::uint32_t tailroom,
                                      std::optional<std::uint16_t> id_seed = std::nullopt,
                                      bool lookups_ahead = false) {
    return run_translation(translator, from_ipv4, input.data(), input.size(), headroom, tailroom,
                           id_seed, lookups_ahead);
}

// Whether two runs of the same packet ended the same: verdict and counter, every byte of the
// buffer, the bookkeeping, the extra packets and the next IPv4 Identification.
inline bool same_outcome(const TranslationRun& a, const TranslationRun& b) {
    return a.verdict.action == b.verdict.action && a.verdict.counter == b.verdict.counter &&
           a.verdict.extra_packets == b.verdict.extra_packets && a.buffer == b.buffer &&
           a.data_offset == b.data_offset && a.packet.length == b.packet.length &&
           a.packet.headroom == b.packet.headroom && a.packet.tailroom == b.packet.tailroom &&
           a.extra == b.extra && a.next_id == b.next_id;
}

} // namespace siit::test
