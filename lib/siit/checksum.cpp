// RFC 1071 summation; see checksum.hpp.
#include "siit/checksum.hpp"

#include "siit/bytes.hpp"

namespace siit {

std::uint32_t add_to_sum(std::uint32_t acc, const std::uint8_t* data, std::size_t length) {
    // A 64-bit accumulator defers carry folding to the end; 32-bit words halve the loop count.
    std::uint64_t wide = acc;
    std::size_t i = 0;
    for (; i + 4 <= length; i += 4)
        wide += load32(data + i);
    for (; i + 2 <= length; i += 2)
        wide += load16(data + i);
    if (i < length) wide += std::uint32_t{data[i]} << 8;
    while (wide >> 32)
        wide = (wide & 0xffffffffu) + (wide >> 32);
    // Fold to 17 bits at most so that callers may keep adding without overflow.
    std::uint32_t narrow = static_cast<std::uint32_t>((wide & 0xffff) + (wide >> 16));
    return (narrow & 0xffff) + (narrow >> 16);
}

namespace {
// Sum of two big-endian 64-bit words (16 bytes), as 16-bit ones' complement: an end-around carry
// in 64 bits, then folded. No loop: the address sums run for every packet.
std::uint16_t sum_of_16_bytes(const std::uint8_t* p) {
    const std::uint64_t hi = load64(p), lo = load64(p + 8);
    std::uint64_t acc = hi + lo;
    acc += acc < hi; // end-around carry
    acc = (acc & 0xffffffffu) + (acc >> 32);
    acc = (acc & 0xffffffffu) + (acc >> 32);
    return fold_sum(static_cast<std::uint32_t>((acc & 0xffff) + (acc >> 16)));
}
} // namespace

std::uint16_t ipv4_address_sum(const std::uint8_t* src, const std::uint8_t* dst) {
    return fold_sum((std::uint32_t{load16(src)} + load16(src + 2)) +
                    (std::uint32_t{load16(dst)} + load16(dst + 2)));
}

std::uint16_t ipv6_address_sum(const std::uint8_t* src, const std::uint8_t* dst) {
    return fold_sum(std::uint32_t{sum_of_16_bytes(src)} + sum_of_16_bytes(dst));
}

} // namespace siit
