// What a port needs from the machine, checked before DPDK starts (at start and by
// --check-config), so that the usual mistakes get a reason instead of a driver's error: the kernel
// interface a net_af_packet or net_af_xdp port runs over must exist, and an AF_XDP port's MTU must
// fit its frame. bpffs missing is a warning: libxdp then works without its dispatcher; so is a port
// over a veth or tap, whose peer's checksum and segmentation offloads must be off.
#pragma once

#include <string>
#include <vector>

#include "config/config_file.hpp"

namespace siitd {

// DPDK 22.11's net_af_xdp keeps a frame in one 4 KiB page with its mbuf and XDP headroom: the
// largest MTU it accepts (its "device max MTU").
inline constexpr unsigned kAfXdpMaxMtu = 3542;

// Problems (each naming the port and what to do) go to `errors`; what works but costs something
// goes to `warnings`.
void check_port_environment(const Config& config, std::vector<std::string>& errors,
                            std::vector<std::string>& warnings);

} // namespace siitd
