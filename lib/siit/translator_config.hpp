// The translation settings: what an operator sets with siitctl and siitd's configuration file.
// Names follow Jool's globals where the setting is the same, so Jool users recognise them.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "siit/address.hpp"

namespace siit {

// RFC 7757 §4.2 hairpinning, named as Jool's eam-hairpin-mode: traffic between two IPv6 hosts
// behind the translator, one of which reaches the other through pool6.
// intrinsic (§4.2.2): the translator sends such packets (and ICMPv6 errors about them) back to IPv6
// itself; simple (§4.2.1): the IPv4 network turns them round, and every IPv4-to-IPv6 translation
// writes the source in RFC 6052 form; off: neither. The rules: translate_common.hpp's hairpins(),
// translate_4to6.cpp's source_through_pool6.
enum class HairpinMode : std::uint8_t { off, simple, intrinsic };

// The smallest MTU an IPv4 link may have (RFC 791: every internet module forwards a datagram of
// 68 octets): the smallest MTU plateau, and the MTU assumed when no plateau is below a packet.
inline constexpr std::uint16_t kSmallestIpv4Mtu = 68;

struct TranslatorConfig {
    // RFC 6052 prefix; without one only the EAMT translates addresses.
    std::optional<Ipv6Prefix> pool6;
    // IPv4 addresses pool6 never translates (EAMT entries still do).
    std::vector<Ipv4Prefix> denylist4;
    // RFC 6791: source of translated ICMP errors whose real source has no form in the other family.
    std::optional<Ipv4Address> pool6791v4;
    std::optional<Ipv6Address> pool6791v6;
    // The translator's own addresses, the source of the ICMP errors it generates itself.
    // RFC 7600 §4 reserves 192.0.0.8 as the IPv4 dummy address for exactly this.
    Ipv4Address own_ipv4{0xc0000008};
    // Unset: own_ipv4 under pool6 when there is a pool6, else pool6791v6, else '::'.
    std::optional<Ipv6Address> own_ipv6;

    bool reset_traffic_class = false; // §4.1: IPv6 Traffic Class 0 instead of the IPv4 TOS
    bool reset_tos = false;           // §5.1: IPv4 TOS new_tos instead of the Traffic Class
    std::uint8_t new_tos = 0;
    // §4.5: compute the checksum of whole IPv4 UDP packets that carry zero (fragments are dropped
    // whatever this says, since a stateless translator cannot see the whole datagram).
    bool amend_udp_checksum_zero = true;
    // §4.1: IPv4 packets with DF=0 are fragmented so that no IPv6 packet exceeds this.
    std::uint16_t lowest_ipv6_mtu = 1280;
    // RFC 1191 §7 plateaus, used when an ICMPv4 Fragmentation Needed carries MTU zero (§4.2).
    std::vector<std::uint16_t> mtu_plateaus = {65535, 32000, 17914, 8166, 4352, 2002,
                                               1492,  1006,  508,   296,  68};
    HairpinMode hairpin_mode = HairpinMode::intrinsic;
    // Hop Limit / TTL of the ICMP errors the translator generates itself.
    std::uint8_t icmp_error_ttl = 64;
};

} // namespace siit
