// A port as the data plane knows it once started: its configuration, its DPDK port id, its MAC,
// its kernel interface and how translated packets leaving it find their next hop. Everything above
// the ports (workers, capture, links, the kernel mirror) reads this and nothing else of them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config_file.hpp"

namespace siitd {

struct Port {
    PortConfig config;
    std::uint16_t id = 0;
    std::array<std::uint8_t, 6> mac{};
    int kernel = -1;    // index in ports_ of this port's kernel interface (net_tap), if any
    int kernel_of = -1; // for a kernel interface: the index of the port it serves
    bool l3 = false;    // bare IP packets, no Ethernet header (net_tun)
    // The kernel interface a net_af_packet or net_af_xdp port runs over: its carrier is the
    // port's link.
    std::string carrier_interface;
    // Set for those ports (a kernel interface underneath): the kernel hands over whatever its peer
    // sent, frames beyond the MTU included, which a NIC would have refused (drop_frame_over_mtu).
    bool over_kernel_interface = false;
    // Where translated packets leaving this port go, decided once at start from the
    // configuration, so that the workers compare no strings.
    enum class NextHopMode : std::uint8_t {
        configured_mac,   // next-hop-mac
        kernel_neighbour, // next-hop ADDRESS, its MAC from the kernel's neighbour table
        kernel_routes,    // next-hop "kernel": per packet, from the kernel's routes
    } next_hop_mode = NextHopMode::configured_mac;
    // The name an operator knows the port by: its configured name, or for a kernel interface the
    // interface's (siitctl ports, status, metrics and capture show it).
    const std::string& display_name() const {
        return kernel_of >= 0 ? config.kernel_interface : config.name;
    }
};

} // namespace siitd
