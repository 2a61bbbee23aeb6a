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

std::uint16_t ipv4_address_sum(const std::uint8_t* src, const std::uint8_t* dst) {
    return fold_sum((std::uint32_t{load16(src)} + load16(src + 2)) +
                    (std::uint32_t{load16(dst)} + load16(dst + 2)));
}

std::uint16_t ipv6_address_sum(const std::uint8_t* src, const std::uint8_t* dst) {
    return fold_sum(std::uint32_t{fold_sum64(load64(src), load64(src + 8))} +
                    fold_sum64(load64(dst), load64(dst + 8)));
}

} // namespace siit
