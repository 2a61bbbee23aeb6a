// The box's own addresses on its kernel interfaces (a port's "addresses"), given to them through
// libnl at every start, so that a restart or a reboot leaves the box as its file says: routing
// daemons find their addresses, and the hosts their next hops. Addresses already there are kept.
#pragma once

#include <string>

#include "config/config_file.hpp"

namespace siitd {

// Adds each port's addresses to its kernel interface (which must exist: call after the ports
// started). IPv6 addresses skip duplicate address detection (IFA_F_NODAD), as a router's
// configured addresses usually do, so that they serve at once. False, with the reason, when the
// kernel refuses one.
bool assign_kernel_addresses(const Config& config, std::string& error);

} // namespace siitd
