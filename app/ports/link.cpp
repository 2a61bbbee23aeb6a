#include "ports/link.hpp"

#include <net/if.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

#include "control/utc_text.hpp"
#include "ports/port.hpp"

namespace siitd {

PortLink read_port_link(std::uint16_t dpdk_port, const std::string& carrier_interface) {
    PortLink result;
    rte_eth_link link{};
    if (rte_eth_link_get_nowait(dpdk_port, &link) == 0) {
        result.known = true;
        result.up = link.link_status == RTE_ETH_LINK_UP;
        if (link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN && link.link_speed != 0)
            result.speed_mbps = link.link_speed;
        result.full_duplex = link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX;
    }
    if (!carrier_interface.empty()) {
        // IFF_RUNNING: the kernel's "lower up", the carrier under the interface.
        const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ifreq request{};
        std::strncpy(request.ifr_name, carrier_interface.c_str(), IFNAMSIZ - 1);
        const bool read = fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &request) == 0;
        if (fd >= 0) close(fd);
        result.known = read;
        result.up = read && (request.ifr_flags & IFF_RUNNING) != 0;
    }
    return result;
}

nlohmann::json port_link_json(const PortLink& link) {
    using nlohmann::json;
    return {{"link", link.known ? json(link.up ? "up" : "down") : json(nullptr)},
            {"speed-mbps", link.known && link.speed_mbps ? json(*link.speed_mbps) : json(nullptr)},
            {"duplex", link.known ? json(link.full_duplex ? "full" : "half") : json(nullptr)}};
}

LinkWatch::LinkWatch(const std::vector<Port>& ports) : ports_(ports), watched_(ports.size()) {}

void LinkWatch::poll(std::chrono::milliseconds interval) {
    const auto now = std::chrono::steady_clock::now();
    if (now < next_poll_) return;
    next_poll_ = now + interval;
    for (std::size_t i = 0; i < ports_.size(); ++i) {
        const Port& port = ports_[i];
        if (port.kernel_of >= 0) continue; // siitd's own kernel interface: its carrier is ours
        const PortLink link = read_port_link(port.id, port.carrier_interface);
        if (!link.known) continue;
        Watched& watched = watched_[i];
        if (watched.up == link.up) continue;
        const bool first = !watched.up.has_value();
        watched.up = link.up;
        if (first && link.up) continue; // the normal start says nothing
        if (!first) {
            ++watched.changes;
            watched.changed_at = std::chrono::system_clock::now();
        }
        if (link.up)
            RTE_LOG(INFO, USER1, "siitd: port %s (%s) link up, %s Mbps %s duplex\n",
                    port.config.name.c_str(), port.config.device.c_str(),
                    link.speed_mbps ? std::to_string(*link.speed_mbps).c_str() : "unknown",
                    link.full_duplex ? "full" : "half");
        else
            RTE_LOG(WARNING, USER1, "siitd: port %s (%s) link down%s\n", port.config.name.c_str(),
                    port.config.device.c_str(), first ? " at start" : "");
    }
}

nlohmann::json LinkWatch::changes_json(std::size_t port_index) const {
    using nlohmann::json;
    if (port_index >= watched_.size()) return {{"link-changes", 0}, {"link-changed-at", nullptr}};
    const Watched& watched = watched_[port_index];
    const json at =
        watched.changed_at ? json(siit::control::utc_text(*watched.changed_at)) : json(nullptr);
    return {{"link-changes", watched.changes}, {"link-changed-at", at}};
}

} // namespace siitd
