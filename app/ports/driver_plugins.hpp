// The DPDK driver plugins a configuration needs, checked before DPDK starts (at start and by
// --check-config). A distribution's DPDK (Debian's among them) builds each driver as a plugin in
// its own package, which the EAL loads from one directory; with a --vdev's driver missing, the EAL
// says only "No such device", and without the ring mempool no mbuf pool can be made. This names the
// driver, the file and the package to install instead.
#pragma once

#include <string>
#include <vector>

#include "config/config_file.hpp"

namespace siitd {

// Where this DPDK's EAL loads its driver plugins from (RTE_EAL_PMD_PATH; empty where the drivers
// are linked in).
std::string driver_plugin_dir();

// One error for each plugin the configuration needs that `plugin_dir` lacks: the drivers of its
// --vdev devices (those whose plugin is known by name), net_tap for the kernel interfaces, and the
// ring mempool for every mbuf pool. None where `plugin_dir` does not exist (drivers linked in).
std::vector<std::string> missing_driver_plugins(const Config& config,
                                                const std::string& plugin_dir);

} // namespace siitd
