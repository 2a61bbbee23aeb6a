// The kernel mirror; see kernel/mirror.hpp.
#include "kernel/mirror.hpp"
#include "ports/link.hpp"

#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <net/if.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <poll.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "siit/bytes.hpp"
#include <cstring>

namespace siitd {

namespace {

// Neighbour states whose MAC may be used (RFC 4861 §7.3.2; STALE is still the right MAC, the
// kernel re-verifies it as soon as it is used).
constexpr int kUsableStates =
    NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP;

// Whether the workers may send to this neighbour: a usable state and an Ethernet MAC. The one
// test, for the next hops the workers read and for what `neighbours` and `status` report.
bool usable_neighbour(rtnl_neigh* n) {
    nl_addr* mac = rtnl_neigh_get_lladdr(n);
    return (rtnl_neigh_get_state(n) & kUsableStates) && mac && nl_addr_get_len(mac) == 6;
}

std::string address_text(nl_addr* a) {
    char text[INET6_ADDRSTRLEN + 8];
    return a ? nl_addr2str(a, text, sizeof text) : "";
}

std::string state_text(int state) {
    char text[64];
    return rtnl_neigh_state2str(state, text, sizeof text);
}

} // namespace

KernelMirror::KernelMirror(std::vector<MirroredPort> ports, siit::QuiescentStateTracker* tracker)
    : ports_(std::move(ports)), published_(tracker, std::make_unique<KernelView>()) {}

KernelMirror::~KernelMirror() {
    stop();
}

bool KernelMirror::start(std::string& error) {
    for (const auto& p : ports_) {
        const unsigned index = if_nametoindex(p.interface.c_str());
        if (index == 0) {
            error = "kernel interface " + p.interface + " does not exist";
            return false;
        }
        ifindexes_.push_back(static_cast<int>(index));
    }
    int rc = nl_cache_mngr_alloc(nullptr, NETLINK_ROUTE, NL_AUTO_PROVIDE, &manager_);
    if (rc >= 0) rc = nl_cache_mngr_add(manager_, "route/neigh", nullptr, nullptr, &neighbours_);
    if (rc >= 0) rc = nl_cache_mngr_add(manager_, "route/addr", nullptr, nullptr, &addresses_);
    if (rc >= 0) rc = nl_cache_mngr_add(manager_, "route/route", nullptr, nullptr, &routes_);
    if (rc < 0) {
        error = std::string("netlink: ") + nl_geterror(rc);
        return false;
    }
    rebuild();
    if (rte_ctrl_thread_create(&thread_, "siitd-kernel", nullptr, run_trampoline, this) != 0) {
        error = "cannot start the kernel mirror thread";
        return false;
    }
    running_ = true;
    return true;
}

void KernelMirror::stop() {
    if (running_) {
        stop_.store(true);
        pthread_join(thread_, nullptr);
        running_ = false;
    }
    if (manager_) nl_cache_mngr_free(manager_);
    manager_ = nullptr;
    if (link_sock_) nl_socket_free(link_sock_);
    link_sock_ = nullptr;
}

void* KernelMirror::run_trampoline(void* self) {
    static_cast<KernelMirror*>(self)->run();
    return nullptr;
}

// The kernel's main-table routes through `ifindex`, and its usable neighbours there.
void KernelMirror::fill_routing(KernelRoutes& routing, int ifindex) {
    for (nl_object* o = nl_cache_get_first(routes_); o; o = nl_cache_get_next(o)) {
        auto* r = reinterpret_cast<rtnl_route*>(o);
        if (rtnl_route_get_table(r) != RT_TABLE_MAIN || rtnl_route_get_type(r) != RTN_UNICAST)
            continue;
        nl_addr* dst = rtnl_route_get_dst(r);
        for (int h = 0; dst && h < rtnl_route_get_nnexthops(r); ++h) {
            rtnl_nexthop* hop = rtnl_route_nexthop_n(r, h);
            if (rtnl_route_nh_get_ifindex(hop) != ifindex) continue;
            nl_addr* gateway = rtnl_route_nh_get_gateway(hop);
            const auto length = static_cast<std::uint8_t>(nl_addr_get_prefixlen(dst));
            const auto* bytes = static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(dst));
            if (nl_addr_get_family(dst) == AF_INET) {
                KernelRoutes::Route4 route;
                route.prefix = nl_addr_get_len(dst) == 4 ? siit::load32(bytes) : 0;
                route.length = length;
                if (gateway && nl_addr_get_len(gateway) == 4)
                    route.gateway = siit::load32(
                        static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(gateway)));
                routing.routes4.push_back(route);
            } else if (nl_addr_get_family(dst) == AF_INET6) {
                KernelRoutes::Route6 route;
                if (nl_addr_get_len(dst) == 16) route.prefix = siit::Ipv6Address::from_bytes(bytes);
                route.length = length;
                if (gateway && nl_addr_get_len(gateway) == 16) {
                    route.via = true;
                    route.gateway = siit::Ipv6Address::from_bytes(
                        static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(gateway)));
                }
                routing.routes6.push_back(route);
            }
            break;
        }
    }
    for (nl_object* o = nl_cache_get_first(neighbours_); o; o = nl_cache_get_next(o)) {
        auto* n = reinterpret_cast<rtnl_neigh*>(o);
        nl_addr* mac = rtnl_neigh_get_lladdr(n);
        nl_addr* dst = rtnl_neigh_get_dst(n);
        if (rtnl_neigh_get_ifindex(n) != ifindex || !usable_neighbour(n) || !dst) continue;
        Mac m;
        std::memcpy(m.data(), nl_addr_get_binary_addr(mac), 6);
        const auto* bytes = static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(dst));
        if (nl_addr_get_family(dst) == AF_INET && nl_addr_get_len(dst) == 4)
            routing.neighbours4.emplace_back(siit::load32(bytes), m);
        else if (nl_addr_get_family(dst) == AF_INET6 && nl_addr_get_len(dst) == 16)
            routing.neighbours6.emplace_back(siit::Ipv6Address::from_bytes(bytes), m);
    }
    routing.finish();
}

void KernelMirror::want(std::size_t port, const std::uint8_t* address, bool ipv6) const {
    std::uint32_t words[4] = {siit::load32(address), 0, 0, 0};
    if (ipv6)
        for (int i = 1; i < 4; ++i)
            words[i] = siit::load32(address + 4 * i);
    const std::uint32_t hash = (words[0] ^ words[1] ^ words[2] ^ words[3]) * 0x9e3779b1u;
    Wanted& slot = wanted_[hash >> 26];
    if (slot.port_family.load(std::memory_order_relaxed) != 0) return; // asked already
    for (int i = 0; i < 4; ++i)
        slot.words[i].store(words[i], std::memory_order_relaxed);
    slot.port_family.store(static_cast<std::uint32_t>(port) << 8 | (ipv6 ? 6 : 4),
                           std::memory_order_release);
}

void KernelMirror::run() {
    while (!stop_.load()) {
        // Every netlink change wakes the poll at once; the timeout only bounds how late a stop is
        // seen and how often unresolved next hops are retried.
        pollfd p{nl_cache_mngr_get_fd(manager_), POLLIN, 0};
        if (poll(&p, 1, 100) > 0) {
            {
                std::lock_guard lock(mutex_);
                nl_cache_mngr_data_ready(manager_);
            }
            rebuild(); // a new view on every change the kernel reports
        }
        resolve_unresolved(); // at most every 100 ms: what the workers asked for meanwhile
        mirror_link_states(); // likewise: a link change shows within 100 ms
        published_.reclaim(false);
    }
}

void KernelMirror::mirror_link_states() {
    if (!link_sock_) {
        link_sock_ = nl_socket_alloc();
        if (!link_sock_ || nl_connect(link_sock_, NETLINK_ROUTE) < 0) {
            if (link_sock_) nl_socket_free(link_sock_);
            link_sock_ = nullptr;
            return;
        }
        link_up_.assign(ports_.size(), -1);
    }
    for (std::size_t i = 0; i < ports_.size(); ++i) {
        const MirroredPort& port = ports_[i];
        const bool up = read_port_link(port.dpdk_port, port.link_from_interface).up;
        if (link_up_[i] == static_cast<int>(up)) continue;
        rtnl_link* target = rtnl_link_alloc();
        rtnl_link* change = rtnl_link_alloc();
        rtnl_link_set_ifindex(target, ifindexes_[i]);
        rtnl_link_set_carrier(change, up ? 1 : 0);
        const int rc = rtnl_link_change(link_sock_, target, change, 0);
        rtnl_link_put(change);
        rtnl_link_put(target);
        if (rc < 0) {
            RTE_LOG(WARNING, USER1, "siitd: %s: cannot set its carrier %s: %s\n",
                    port.interface.c_str(), up ? "on" : "off", nl_geterror(rc));
            continue; // tried again in 100 ms
        }
        // The port's link change itself is LinkWatch's warning (ports/link.cpp); this is what
        // followed from it, an info.
        if (link_up_[i] >= 0 || !up)
            RTE_LOG(INFO, USER1, "siitd: kernel interface %s: carrier %s (its port's link is %s)\n",
                    port.interface.c_str(), up ? "on" : "off", up ? "up" : "down");
        link_up_[i] = up;
    }
}

void KernelMirror::rebuild() {
    auto view = std::make_unique<KernelView>();
    {
        std::lock_guard lock(mutex_);
        for (nl_object* o = nl_cache_get_first(addresses_); o; o = nl_cache_get_next(o)) {
            auto* a = reinterpret_cast<rtnl_addr*>(o);
            bool ours = false;
            for (int index : ifindexes_)
                ours |= rtnl_addr_get_ifindex(a) == index;
            nl_addr* local = rtnl_addr_get_local(a);
            if (!ours || !local) continue;
            if (nl_addr_get_family(local) == AF_INET) {
                std::uint32_t value;
                std::memcpy(&value, nl_addr_get_binary_addr(local), 4);
                view->host.ipv4.push_back({ntohl(value)});
            } else if (nl_addr_get_family(local) == AF_INET6) {
                view->host.ipv6.push_back(siit::Ipv6Address::from_bytes(
                    static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(local))));
            }
        }
        for (std::size_t i = 0; i < ports_.size(); ++i)
            if (ports_[i].next_hop == "kernel")
                fill_routing(view->routing[ports_[i].port_index], ifindexes_[i]);
        for (std::size_t i = 0; i < ports_.size(); ++i) {
            if (!ports_[i].next_hop || ports_[i].next_hop == "kernel") continue;
            nl_addr* wanted = nullptr;
            if (nl_addr_parse(ports_[i].next_hop->c_str(), AF_UNSPEC, &wanted) < 0) continue;
            rtnl_neigh* n = rtnl_neigh_get(neighbours_, ifindexes_[i], wanted);
            nl_addr_put(wanted);
            if (!n) continue;
            if (usable_neighbour(n)) {
                NextHop& hop = view->next_hop[ports_[i].port_index];
                hop.resolved = true;
                std::memcpy(hop.mac.data(), nl_addr_get_binary_addr(rtnl_neigh_get_lladdr(n)), 6);
            }
            rtnl_neigh_put(n);
        }
    }
    // Each next hop that changed, once: not every port's when one of them changes.
    const KernelView* current = published_.get();
    for (const auto& p : ports_) {
        if (!p.next_hop || p.next_hop == "kernel") continue;
        const NextHop& hop = view->next_hop[p.port_index];
        const NextHop& before = current->next_hop[p.port_index];
        if (hop.resolved == before.resolved && hop.mac == before.mac) continue;
        char mac[18];
        std::snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", hop.mac[0], hop.mac[1],
                      hop.mac[2], hop.mac[3], hop.mac[4], hop.mac[5]);
        RTE_LOG(INFO, USER1, "siitd: kernel: next hop %s on %s: %s\n", p.next_hop->c_str(),
                p.interface.c_str(), hop.resolved ? mac : "unresolved");
    }
    HostAddresses host = view->host;
    published_.publish(std::move(view));
    std::lock_guard lock(mutex_);
    published_host_ = std::move(host);
}

// A datagram to the discard port makes the kernel resolve the next hop (ARP or Neighbour
// Solicitation) on the kernel interface; the answer arrives in the neighbour table.
void KernelMirror::resolve_unresolved() {
    const KernelView* view = published_.get();
    for (const auto& p : ports_)
        if (p.next_hop && p.next_hop != "kernel" && !view->next_hop[p.port_index].resolved)
            poke(p.interface, *p.next_hop);
    for (Wanted& slot : wanted_) {
        const std::uint32_t port_family = slot.port_family.load(std::memory_order_acquire);
        if (port_family == 0) continue;
        std::uint8_t bytes[16];
        for (int i = 0; i < 4; ++i)
            siit::store32(bytes + 4 * i, slot.words[i].load(std::memory_order_relaxed));
        slot.port_family.store(0, std::memory_order_relaxed);
        char text[INET6_ADDRSTRLEN];
        inet_ntop((port_family & 0xff) == 6 ? AF_INET6 : AF_INET, bytes, text, sizeof text);
        for (const auto& p : ports_)
            if (p.port_index == port_family >> 8) poke(p.interface, text);
    }
}

void KernelMirror::poke(const std::string& interface, const std::string& address_text) {
    sockaddr_storage address{};
    socklen_t length = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    if (inet_pton(AF_INET, address_text.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(9);
        length = sizeof *v4;
    } else if (inet_pton(AF_INET6, address_text.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(9);
        length = sizeof *v6;
    } else {
        return;
    }
    const int fd = socket(address.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return;
    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, interface.c_str(),
               static_cast<socklen_t>(interface.size()));
    [[maybe_unused]] const auto n =
        sendto(fd, "", 0, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&address), length);
    close(fd);
}

nlohmann::json KernelMirror::neighbours_json() {
    nlohmann::json list = nlohmann::json::array();
    std::lock_guard lock(mutex_);
    for (nl_object* o = nl_cache_get_first(neighbours_); o; o = nl_cache_get_next(o)) {
        auto* n = reinterpret_cast<rtnl_neigh*>(o);
        for (std::size_t i = 0; i < ports_.size(); ++i) {
            if (rtnl_neigh_get_ifindex(n) != ifindexes_[i]) continue;
            const std::string address = address_text(rtnl_neigh_get_dst(n));
            list.push_back({{"interface", ports_[i].interface},
                            {"address", address},
                            {"mac", address_text(rtnl_neigh_get_lladdr(n))},
                            {"state", state_text(rtnl_neigh_get_state(n))},
                            {"usable", usable_neighbour(n)},
                            {"next-hop", ports_[i].next_hop && *ports_[i].next_hop == address}});
        }
    }
    return list;
}

nlohmann::json KernelMirror::addresses_json() {
    nlohmann::json list = nlohmann::json::array();
    std::lock_guard lock(mutex_);
    for (const auto& a : published_host_.ipv4)
        list.push_back(a.to_string());
    for (const auto& a : published_host_.ipv6)
        list.push_back(a.to_string());
    return list;
}

nlohmann::json KernelMirror::routes_json() {
    nlohmann::json list = nlohmann::json::array();
    std::lock_guard lock(mutex_);
    for (nl_object* o = nl_cache_get_first(routes_); o; o = nl_cache_get_next(o)) {
        auto* r = reinterpret_cast<rtnl_route*>(o);
        if (rtnl_route_get_table(r) != RT_TABLE_MAIN) continue;
        for (int h = 0; h < rtnl_route_get_nnexthops(r); ++h) {
            rtnl_nexthop* hop = rtnl_route_nexthop_n(r, h);
            for (std::size_t i = 0; i < ports_.size(); ++i) {
                if (rtnl_route_nh_get_ifindex(hop) != ifindexes_[i]) continue;
                const std::string gateway = address_text(rtnl_route_nh_get_gateway(hop));
                list.push_back({{"destination", address_text(rtnl_route_get_dst(r))},
                                {"gateway", gateway.empty() ? nlohmann::json(nullptr)
                                                            : nlohmann::json(gateway)},
                                {"interface", ports_[i].interface}});
            }
        }
    }
    return list;
}

} // namespace siitd
