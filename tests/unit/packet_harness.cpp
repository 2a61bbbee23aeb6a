// See packet_harness.hpp.
#include "packet_harness.hpp"

#include <cstring>
#include <stdexcept>

namespace siit::test {

Outcome run_translator(Translator& translator, Direction direction, const Bytes& input) {
    constexpr std::uint32_t kHeadroom = 128, kTailroom = 256;
    // IP packets are at most 64 KiB; said here, it also tells GCC's overflow checker so.
    if (input.size() > 0xffff) throw std::length_error("run_translator: input over 64 KiB");
    Bytes buffer(kHeadroom + input.size() + kTailroom, 0xee);
    std::memcpy(buffer.data() + kHeadroom, input.data(), input.size());
    PacketBuffer packet{buffer.data() + kHeadroom, static_cast<std::uint32_t>(input.size()),
                        kHeadroom, kTailroom};
    VectorAllocator allocator;
    Outcome outcome{direction == Direction::from_ipv4
                        ? translator.translate_4to6(packet, &allocator)
                        : translator.translate_6to4(packet, &allocator),
                    {}};
    // The buffer's bookkeeping must stay inside the buffer, whatever the verdict.
    if (packet.data < buffer.data() ||
        packet.data + packet.length + packet.tailroom > buffer.data() + buffer.size() ||
        packet.data - packet.headroom != buffer.data())
        throw std::logic_error("PacketBuffer bookkeeping left its buffer");
    if (outcome.verdict.action != Action::drop)
        outcome.packets.emplace_back(packet.data, packet.data + packet.length);
    for (const auto& extra : allocator.handed_out)
        outcome.packets.emplace_back(extra->data, extra->data + extra->length);
    return outcome;
}

Bytes from_hex(const std::string& hex) {
    if (hex.size() % 2) throw std::invalid_argument("odd hex length");
    Bytes out(hex.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<std::uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
    return out;
}

std::string to_hex(const Bytes& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

} // namespace siit::test
