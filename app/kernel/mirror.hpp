// The kernel as siitd's control plane (docs/router-box.md): a mirror of what the kernel knows about
// the kernel interfaces siitd created (its exception path), read through libnl-route: the neighbour
// table (the next hop's MAC for each port) and the addresses the operator gave the box. A thread
// follows every netlink change and publishes an immutable KernelView for the workers, lock-free
// (Published<> with the workers' quiescent states). An unresolved next hop is resolved by the
// kernel: the mirror sends it a datagram through the kernel interface, which makes the kernel ARP
// or solicit it; meanwhile the workers count drop_neighbour_unresolved, never sending to a wrong
// MAC.
#pragma once

#include <pthread.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/config_file.hpp"
#include "kernel/exception_path.hpp"
#include "kernel/routes.hpp"
#include "siit/published.hpp"
#include "siit/qsbr.hpp"

struct nl_cache_mngr;
struct nl_cache;
struct nl_sock;

namespace siitd {

struct NextHop {
    bool resolved = false;
    std::array<std::uint8_t, 6> mac{};
};

// What the workers read, once per burst.
struct KernelView {
    HostAddresses host;
    std::array<NextHop, kMaxPorts> next_hop{}; // by port index
    // For ports whose next hop is "kernel": the kernel's routes and neighbours on their interface.
    std::array<KernelRoutes, kMaxPorts> routing;
};

// A port whose next hop the kernel resolves.
struct MirroredPort {
    std::size_t port_index = 0;
    std::string interface;               // the kernel interface (net_tap) of the port
    std::optional<std::string> next_hop; // an IPv4 or IPv6 address on that interface's link,
                                         // or "kernel": each packet routed by the kernel's table
    // Where the physical port's link state comes from, mirrored onto the kernel interface's
    // carrier: the DPDK port's own (rte_eth_link_get_nowait), or, for a port DPDK drives through
    // a kernel interface (net_af_packet, net_af_xdp), that interface's.
    std::uint16_t dpdk_port = 0;
    std::string link_from_interface;
};

class KernelMirror {
  public:
    KernelMirror(std::vector<MirroredPort> ports, siit::QuiescentStateTracker* tracker);
    ~KernelMirror();
    // Subscribes to the kernel's neighbours, addresses and routes, and starts following them.
    bool start(std::string& error);
    void stop();
    // Workers: the current view (valid until the worker's next quiescent state).
    const KernelView* view() const { return published_.get(); }
    // The control socket: neighbours and routes on the kernel interfaces, as siitd sees them.
    nlohmann::json neighbours_json();
    nlohmann::json routes_json();
    // The box's own addresses in the view the workers now use: traffic to them goes to the kernel.
    nlohmann::json addresses_json();
    // Workers: asks for the kernel to resolve `address` (4 or 16 bytes) on port `port`'s kernel
    // interface. A few relaxed stores into a slot chosen by the address; never blocks.
    void want(std::size_t port, const std::uint8_t* address, bool ipv6) const;

  private:
    static void* run_trampoline(void* self);
    void run();
    void rebuild();
    void fill_routing(KernelRoutes& routing, int ifindex);
    void resolve_unresolved();
    // The physical ports' link states onto their kernel interfaces' carrier, so that routing
    // daemons on the box withdraw what it announces when it cannot forward.
    void mirror_link_states();
    std::vector<int> link_up_; // per port: -1 not yet known, 0 down, 1 up
    nl_sock* link_sock_ = nullptr;

    HostAddresses published_host_; // a copy of the latest view's, for the control socket (mutex_)

    // Addresses workers want resolved; the mirror thread sends each a datagram and clears it.
    struct alignas(64) Wanted {
        std::atomic<std::uint32_t> port_family{0}; // 0: empty; port << 8 | 4 or 6
        std::atomic<std::uint32_t> words[4]{};
    };
    mutable std::array<Wanted, 64> wanted_;
    void poke(const std::string& interface, const std::string& address);

    std::vector<MirroredPort> ports_;
    std::vector<int> ifindexes_; // of ports_[i].interface
    siit::Published<KernelView> published_;
    std::mutex mutex_; // the caches: the mirror thread against the control thread's queries
    nl_cache_mngr* manager_ = nullptr;
    nl_cache *neighbours_ = nullptr, *addresses_ = nullptr, *routes_ = nullptr;
    pthread_t thread_{};
    bool running_ = false;
    std::atomic<bool> stop_{false};
};

} // namespace siitd
