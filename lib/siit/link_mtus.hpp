// The MTUs of the two links translated packets leave by. They are facts of the box's ports, not
// translation settings: siitd takes them from its ports when they start, and no control-plane
// change touches them, so they live beside the settings rather than among them.
#pragma once

#include <cstdint>

namespace siit {

struct LinkMtus {
    std::uint32_t ipv6 = 1500; // the link IPv4 packets leave by once translated to IPv6
    std::uint32_t ipv4 = 1500; // the link IPv6 packets leave by once translated to IPv4
};

} // namespace siit
