// The exception path's classification; see exception_path.hpp.
#include "kernel/exception_path.hpp"

#include <algorithm>
#include <cstring>

#include "ports/ethernet.hpp"
#include "siit/bytes.hpp"
#include "siit/headers.hpp"

namespace siitd {

bool for_kernel(std::uint16_t ethertype, const std::uint8_t* packet, std::uint32_t length,
                const HostAddresses& host) {
    if (ethertype == kEthertypeIpv4) {
        if (length < 20) return false;
        const siit::Ipv4Address dst{siit::load32(packet + 16)};
        if ((dst.value >> 28) == 0xe || dst.value == 0xffffffff) return true; // 224.0.0.0/4
        return std::any_of(host.ipv4.begin(), host.ipv4.end(),
                           [&](const siit::Ipv4Address& a) { return a.value == dst.value; });
    }
    if (ethertype == kEthertypeIpv6) {
        if (length < 40) return false;
        const std::uint8_t* dst = packet + 24;
        if (dst[0] == 0xff) return true;                            // ff00::/8
        if (dst[0] == 0xfe && (dst[1] & 0xc0) == 0x80) return true; // fe80::/10
        // RFC 4861: Neighbour Discovery (ICMPv6 133-137) never leaves its link, so it is never
        // for translation, whatever its destination: a unicast NUD probe to the box's address
        // reaches the kernel even in a moment the box's view of its addresses lacks it.
        if (packet[6] == siit::kProtoIcmp6 && length >= 41 && packet[40] >= 133 &&
            packet[40] <= 137)
            return true;
        return std::any_of(host.ipv6.begin(), host.ipv6.end(), [&](const siit::Ipv6Address& a) {
            return std::memcmp(a.bytes.data(), dst, 16) == 0;
        });
    }
    return true;
}

} // namespace siitd
