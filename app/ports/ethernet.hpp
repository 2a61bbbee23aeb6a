// Ethernet framing around the translated IP packets: the header's length (an 802.1Q tag
// included), its EtherType for each IP version, and writing it in front of a packet.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

#include "siit/bytes.hpp"

namespace siitd {

inline constexpr std::uint16_t kEthertypeIpv4 = 0x0800, kEthertypeIpv6 = 0x86dd,
                               kEthertypeVlan = 0x8100;

// Writes the Ethernet header (with the ingress VLAN tag, if any) at `frame`, in front of an IP
// packet of version `version`.
inline void write_l2(std::uint8_t* frame, const std::array<std::uint8_t, 6>& dst,
                     const std::array<std::uint8_t, 6>& src, std::uint16_t vlan_tci, bool tagged,
                     unsigned version) {
    std::memcpy(frame, dst.data(), 6);
    std::memcpy(frame + 6, src.data(), 6);
    if (tagged) {
        siit::store16(frame + 12, kEthertypeVlan);
        siit::store16(frame + 14, vlan_tci);
    }
    siit::store16(frame + (tagged ? 16 : 12), version == 4 ? kEthertypeIpv4 : kEthertypeIpv6);
}

// The Ethernet header's length, an 802.1Q tag included (for prefetching: no checks beyond
// staying inside `length`).
inline std::uint32_t l2_length(const std::uint8_t* frame, std::uint32_t length) {
    return length >= 18 && siit::load16(frame + 12) == kEthertypeVlan ? 18 : 14;
}

inline std::uint16_t ip_version_ethertype(unsigned version) {
    return version == 4 ? kEthertypeIpv4 : version == 6 ? kEthertypeIpv6 : 0;
}

} // namespace siitd
