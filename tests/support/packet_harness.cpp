// See packet_harness.hpp.
#include "packet_harness.hpp"

#include <cstring>
#include <stdexcept>

namespace siit::test {

Outcome run_translator(Translator& translator, Direction direction, const Bytes& input) {
    // IP packets are at most 64 KiB; said here, it also tells GCC's overflow checker so.
    if (input.size() > 0xffff) throw std::length_error("run_translator: input over 64 KiB");
    const TranslationRun run =
        run_translation(translator, direction == Direction::from_ipv4, input, 128, 256);
    // The buffer's bookkeeping must stay inside the buffer, whatever the verdict.
    if (!run.bookkeeping_in_buffer)
        throw std::logic_error("PacketBuffer bookkeeping left its buffer");
    Outcome outcome{run.verdict, {}};
    if (run.verdict.action != Action::drop) {
        const auto begin = run.buffer.begin() + run.data_offset;
        outcome.packets.emplace_back(begin, begin + run.packet.length);
    }
    outcome.packets.insert(outcome.packets.end(), run.extra.begin(), run.extra.end());
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
