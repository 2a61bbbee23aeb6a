// A port's link as an operator means it: up or down, with its speed and duplex. One reading for
// every consumer (the kernel mirror's carrier, the link-change log, `ports` and `status`), so that
// they never disagree about the same port.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace siitd {

struct Port;

struct PortLink {
    bool known = false; // false: the driver could not say
    bool up = false;
    std::optional<std::uint32_t> speed_mbps; // unset: the driver does not know
    bool full_duplex = false;
};

// DPDK's view of the port (rte_eth_link_get_nowait), except that for a port DPDK drives through a
// kernel interface (`carrier_interface`, net_af_packet's or net_af_xdp's iface), whose driver
// always says "up", up or down is that interface's carrier (IFF_RUNNING): a veth whose peer went
// down, a NIC whose cable was pulled.
PortLink read_port_link(std::uint16_t dpdk_port, const std::string& carrier_interface);

// The link fields of `ports` and `status`: "link" (up/down/null), "speed-mbps", "duplex".
nlohmann::json port_link_json(const PortLink& link);

// Logs every link change of the ports that face networks (not the kernel interfaces siitd
// creates), whichever driver they have, and keeps the count and time of changes for `ports`.
// Polled (DPDK 22.11's vdevs raise no link interrupt): poll() from the control thread's tick.
class LinkWatch {
  public:
    explicit LinkWatch(const std::vector<Port>& ports);
    // Reads each port's link at most every `interval`; logs a change (down: warning, up: info).
    void poll(std::chrono::milliseconds interval = std::chrono::milliseconds(200));
    // "link-changes" and "link-changed-at" (ISO 8601 UTC, null before any change) of a port.
    nlohmann::json changes_json(std::size_t port_index) const;

  private:
    struct Watched {
        std::optional<bool> up; // unset before the first reading
        std::uint64_t changes = 0;
        std::optional<std::chrono::system_clock::time_point> changed_at;
    };
    const std::vector<Port>& ports_;
    std::vector<Watched> watched_;
    std::chrono::steady_clock::time_point next_poll_{};
};

} // namespace siitd
