// RFC 6052 §2.2 address embedding; see rfc6052.hpp.
#include "siit/rfc6052.hpp"

namespace siit {

namespace {
constexpr unsigned kUOctet = 8; // byte index of bits 64-71

// The byte positions of the four IPv4 bytes for a prefix of `length` bits.
void embedding_positions(unsigned length, unsigned (&positions)[4]) {
    unsigned byte = length / 8;
    for (auto& position : positions) {
        if (byte == kUOctet) ++byte;
        position = byte++;
    }
}
} // namespace

bool rfc6052_valid_length(unsigned length) {
    switch (length) {
    case 32:
    case 40:
    case 48:
    case 56:
    case 64:
    case 96:
        return true;
    default:
        return false;
    }
}

Ipv6Address rfc6052_embed(const Ipv6Prefix& prefix, Ipv4Address v4) {
    Ipv6Address out = prefix.address;
    if (prefix.length == 96) {
        rfc6052_embed_96(prefix.address.bytes.data(), v4.value, out.bytes.data());
        return out;
    }
    for (unsigned i = prefix.length / 8; i < 16; ++i)
        out.bytes[i] = 0;
    unsigned positions[4];
    embedding_positions(prefix.length, positions);
    std::uint8_t raw[4];
    v4.to_bytes(raw);
    for (unsigned i = 0; i < 4; ++i)
        out.bytes[positions[i]] = raw[i];
    return out;
}

std::optional<Ipv4Address> rfc6052_extract(const Ipv6Prefix& prefix, const Ipv6Address& v6) {
    if (prefix.length == 96) {
        std::uint32_t v4;
        if (!rfc6052_extract_96(prefix.address.bytes.data(), v6.bytes.data(), v4))
            return std::nullopt;
        return Ipv4Address{v4};
    }
    if (!prefix.contains(v6)) return std::nullopt;
    unsigned positions[4];
    embedding_positions(prefix.length, positions);
    std::uint8_t raw[4];
    for (unsigned i = 0; i < 4; ++i)
        raw[i] = v6.bytes[positions[i]];
    return Ipv4Address::from_bytes(raw);
}

} // namespace siit
