// The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
//
// A "sum" here is the ones'-complement sum of 16-bit big-endian words, folded to 16 bits; a
// "checksum" is the complement of a sum, as stored in a header. Incremental updates use RFC 1624
// equation 3, HC' = ~(~HC + ~m + m'), which never produces the -0 that equation 2 can.
#pragma once

#include <cstddef>
#include <cstdint>

namespace siit {

// Adds `length` bytes at `data` to the 32-bit accumulator `acc` (an odd last byte is padded with
// zero, as RFC 1071 says). The accumulator is folded by fold_sum().
std::uint32_t add_to_sum(std::uint32_t acc, const std::uint8_t* data, std::size_t length);

inline std::uint16_t fold_sum(std::uint32_t acc) {
    acc = (acc & 0xffff) + (acc >> 16);
    acc = (acc & 0xffff) + (acc >> 16);
    return static_cast<std::uint16_t>(acc);
}

// The sum of two 64-bit words, folded to 16 bits (RFC 1071 §2(C): any word size will do): an
// end-around carry in 64 bits, then folds. Address sums run for every packet, so no loop.
inline std::uint16_t fold_sum64(std::uint64_t a, std::uint64_t b) {
    std::uint64_t acc = a + b;
    acc += acc < a; // end-around carry
    acc = (acc & 0xffffffffu) + (acc >> 32);
    acc = (acc & 0xffffffffu) + (acc >> 32);
    return fold_sum(static_cast<std::uint32_t>(acc));
}
inline std::uint16_t checksum_of(const std::uint8_t* data, std::size_t length) {
    return static_cast<std::uint16_t>(~fold_sum(add_to_sum(0, data, length)));
}

// RFC 1624 eqn 3: the checksum `checksum` covered data whose sum included `removed`; that part now
// sums to `added` instead. Returns the new checksum.
inline std::uint16_t checksum_adjust(std::uint16_t checksum, std::uint16_t removed,
                                     std::uint16_t added) {
    std::uint32_t acc = static_cast<std::uint16_t>(~checksum);
    acc += static_cast<std::uint16_t>(~removed);
    acc += added;
    return static_cast<std::uint16_t>(~fold_sum(acc));
}

// Sum of the address part of the IPv4 pseudo-header (RFC 768/793): source and destination.
std::uint16_t ipv4_address_sum(const std::uint8_t* src, const std::uint8_t* dst);
// Sum of the address part of the IPv6 pseudo-header (RFC 8200 §8.1): source and destination.
std::uint16_t ipv6_address_sum(const std::uint8_t* src, const std::uint8_t* dst);
// Sum of the length and next-header part of the IPv6 pseudo-header.
inline std::uint16_t ipv6_pseudo_tail_sum(std::uint32_t upper_length, std::uint8_t next_header) {
    return fold_sum((upper_length >> 16) + (upper_length & 0xffff) + next_header);
}

} // namespace siit
