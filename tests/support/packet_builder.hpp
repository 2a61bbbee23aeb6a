// Packets with right checksums, for the unit tests and the benchmarks: the one place in the tests
// that knows where each transport keeps its checksum and which pseudo-header covers it. Written
// from RFC 768, RFC 793, RFC 792 and RFC 4443 (and RFC 8200 §8.1), not from lib/'s translator.
#pragma once

#include <cstdint>
#include <vector>

#include "siit/address.hpp"
#include "siit/bytes.hpp"
#include "siit/checksum.hpp"
#include "siit/headers.hpp"

namespace siit::test {

using Bytes = std::vector<std::uint8_t>;

// Where `protocol`'s checksum field is in its header (TCP 16, UDP 6, ICMP and ICMPv6 2), or -1 for
// a protocol whose checksum, if any, the IP addresses do not enter.
inline int checksum_field(std::uint8_t protocol) {
    switch (protocol) {
    case kProtoTcp:
        return 16;
    case kProtoUdp:
        return 6;
    case kProtoIcmp:
    case kProtoIcmp6:
        return 2;
    default:
        return -1;
    }
}

// The pseudo-header sum of a segment of `l4_length` bytes behind the IP header at `ip` (its
// version says which); ICMPv4 has none.
inline std::uint32_t pseudo_header_sum(const std::uint8_t* ip, std::uint8_t protocol,
                                       std::uint32_t l4_length) {
    if ((ip[0] >> 4) == 6)
        return std::uint32_t{ipv6_address_sum(ip + 8, ip + 24)} +
               ipv6_pseudo_tail_sum(l4_length, protocol);
    if (protocol == kProtoIcmp) return 0;
    return std::uint32_t{ipv4_address_sum(ip + 12, ip + 16)} + protocol + l4_length;
}

// Writes the right transport checksum into the segment at `l4` (a computed UDP zero is sent as all
// ones, RFC 768).
inline void fill_transport_checksum(const std::uint8_t* ip, std::uint8_t* l4, std::uint8_t protocol,
                                    std::uint32_t l4_length) {
    const int field = checksum_field(protocol);
    if (field < 0 || l4_length < static_cast<std::uint32_t>(field) + 2) return;
    store16(l4 + field, 0);
    auto sum = static_cast<std::uint16_t>(
        ~fold_sum(add_to_sum(pseudo_header_sum(ip, protocol, l4_length), l4, l4_length)));
    if (protocol == kProtoUdp && sum == 0) sum = 0xffff;
    store16(l4 + field, sum);
}

inline bool transport_checksum_valid(const std::uint8_t* ip, const std::uint8_t* l4,
                                     std::uint8_t protocol, std::uint32_t l4_length) {
    if (checksum_field(protocol) < 0) return true;
    return fold_sum(add_to_sum(pseudo_header_sum(ip, protocol, l4_length), l4, l4_length)) ==
           0xffff;
}

inline void fill_ipv4_header_checksum(std::uint8_t* ip) {
    store16(ip + 10, 0);
    store16(ip + 10, checksum_of(ip, (ip[0] & 0x0fu) * 4u));
}

// A whole IPv4 packet (no options, DF=0, Identification 0) carrying `l4`, every checksum right.
inline Bytes ipv4_packet(Ipv4Address src, Ipv4Address dst, std::uint8_t protocol, const Bytes& l4,
                         std::uint8_t ttl = 64) {
    Bytes p(kIpv4HeaderSize + l4.size());
    p[0] = 0x45;
    store16(p.data() + 2, static_cast<std::uint16_t>(p.size()));
    p[8] = ttl;
    p[9] = protocol;
    src.to_bytes(p.data() + 12);
    dst.to_bytes(p.data() + 16);
    std::copy(l4.begin(), l4.end(), p.begin() + kIpv4HeaderSize);
    fill_transport_checksum(p.data(), p.data() + kIpv4HeaderSize, protocol,
                            static_cast<std::uint32_t>(l4.size()));
    fill_ipv4_header_checksum(p.data());
    return p;
}

// A whole IPv6 packet (no extension headers) carrying `l4`, its checksum right.
inline Bytes ipv6_packet(const Ipv6Address& src, const Ipv6Address& dst, std::uint8_t next,
                         const Bytes& l4, std::uint8_t hop_limit = 64) {
    Bytes p(kIpv6HeaderSize + l4.size());
    store32(p.data(), 6u << 28);
    store16(p.data() + 4, static_cast<std::uint16_t>(l4.size()));
    p[6] = next;
    p[7] = hop_limit;
    src.to_bytes(p.data() + 8);
    dst.to_bytes(p.data() + 24);
    std::copy(l4.begin(), l4.end(), p.begin() + kIpv6HeaderSize);
    fill_transport_checksum(p.data(), p.data() + kIpv6HeaderSize, next,
                            static_cast<std::uint32_t>(l4.size()));
    return p;
}

} // namespace siit::test
