// The ports and the mempools (one per NUMA socket with ports): configuring and starting every port
// (queues, MTU, MAC, RSS), the kernel interfaces (net_tap) of the exception path, and stopping
// them; see dataplane.hpp.
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include <algorithm>
#include <cstring>

#include "dataplane/dataplane.hpp"
#include "siit/translator.hpp"

namespace siitd {

namespace {
constexpr std::uint16_t kRxDescriptors = 1024, kTxDescriptors = 1024;

// The NUMA socket of each configured port's device, by port index: -1 for a virtual device
// (SOCKET_ID_ANY) or one DPDK does not know.
std::vector<int> ports_sockets(const Config& config) {
    std::vector<int> sockets;
    for (const auto& p : config.ports) {
        std::uint16_t id = 0;
        sockets.push_back(rte_eth_dev_get_port_by_name(p.device.c_str(), &id) == 0
                              ? rte_eth_dev_socket_id(id)
                              : -1);
    }
    return sockets;
}
// The kernel interface carries little (ARP, NDP, routing protocols, management): a short ring.
constexpr std::uint16_t kKernelRxDescriptors = 256;
} // namespace

bool Dataplane::start(std::string& error) {
    // Workers: one per (port, RX queue), spread over the worker lcores, or all on this lcore.
    std::vector<unsigned> lcores;
    unsigned lcore;
    RTE_LCORE_FOREACH_WORKER(lcore) lcores.push_back(lcore);
    std::vector<std::uint16_t> rx_queues;
    for (const auto& p : config_.ports)
        rx_queues.push_back(p.rx_queues);
    plans_ = plan_workers(rx_queues, lcores, rte_get_main_lcore());
    const auto worker_count = static_cast<unsigned>(plans_.size());
    stats_.assign(worker_count, WorkerStats{});

    std::uint32_t largest_mtu = 1500;
    for (const auto& p : config_.ports)
        largest_mtu = std::max(largest_mtu, p.mtu);
    const std::uint32_t buffer_size =
        std::max<std::uint32_t>(RTE_MBUF_DEFAULT_BUF_SIZE,
                                RTE_PKTMBUF_HEADROOM + largest_mtu + 18 + siit::kRequiredTailroom);
    // NUMA: one pool per socket that has ports, on that socket (its NICs write the frames into
    // it), each of `mbufs` mbufs; virtual ports use the main lcore's socket. A worker on another
    // socket than its port reaches across the interconnect for every frame, which is said at
    // start.
    const std::vector<int> port_sockets = ports_sockets(config_);
    pool_sockets_ = pool_sockets(port_sockets, static_cast<int>(rte_socket_id()));
    std::vector<std::string> port_names;
    for (const auto& p : config_.ports)
        port_names.push_back(p.name);
    for (const auto& warning :
         cross_socket_warnings(plans_, port_sockets, port_names, [](unsigned l) {
             return static_cast<int>(rte_lcore_to_socket_id(l));
         }))
        RTE_LOG(WARNING, USER1, "siitd: %s\n", warning.c_str());
    for (const int socket : pool_sockets_) {
        const std::string name = "siitd_mbufs_" + std::to_string(socket);
        rte_mempool* pool = rte_pktmbuf_pool_create(
            name.c_str(), config_.mbufs, 256, 0, static_cast<std::uint16_t>(buffer_size), socket);
        if (!pool) {
            error = "cannot create the mbuf pool on NUMA socket " + std::to_string(socket) + " (" +
                    std::to_string(config_.mbufs) + " mbufs of " + std::to_string(buffer_size) +
                    " bytes): " + rte_strerror(rte_errno);
            return false;
        }
        pools_.push_back(pool);
    }

    for (std::size_t i = 0; i < config_.ports.size(); ++i) {
        Port port;
        port.config = config_.ports[i];
        const std::string& device = port.config.device;
        if (rte_eth_dev_get_port_by_name(device.c_str(), &port.id) != 0) {
            error = "port " + port.config.name + ": no DPDK device '" + device +
                    "' (is it probed? --vdev or PCI allow list)";
            return false;
        }
        rte_eth_dev_info info{};
        rte_eth_dev_info_get(port.id, &info);
        rte_eth_conf conf{};
        if (port.config.rx_queues > 1) {
            conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
            conf.rx_adv_conf.rss_conf.rss_hf =
                info.flow_type_rss_offloads & (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);
        }
        if (port.config.rx_queues > info.max_rx_queues || worker_count > info.max_tx_queues) {
            error =
                "port " + port.config.name + ": needs " + std::to_string(port.config.rx_queues) +
                " RX and " + std::to_string(worker_count) + " TX queues; the device has " +
                std::to_string(info.max_rx_queues) + " and " + std::to_string(info.max_tx_queues);
            return false;
        }
        int rc = rte_eth_dev_configure(port.id, port.config.rx_queues,
                                       static_cast<std::uint16_t>(worker_count), &conf);
        if (rc != 0) {
            error = "port " + port.config.name + ": rte_eth_dev_configure: " + rte_strerror(-rc);
            return false;
        }
        // Not every virtual device lets its MTU be set; the translator uses the configured one.
        rte_eth_dev_set_mtu(port.id, static_cast<std::uint16_t>(port.config.mtu));
        const int socket = rte_eth_dev_socket_id(port.id);
        for (std::uint16_t q = 0; q < port.config.rx_queues; ++q)
            if ((rc = rte_eth_rx_queue_setup(port.id, q, kRxDescriptors,
                                             static_cast<unsigned>(socket), nullptr,
                                             pool_for_socket(socket))) != 0) {
                error = "port " + port.config.name + ": RX queue " + std::to_string(q) + ": " +
                        rte_strerror(-rc);
                return false;
            }
        for (std::uint16_t q = 0; q < worker_count; ++q)
            if ((rc = rte_eth_tx_queue_setup(port.id, q, kTxDescriptors,
                                             static_cast<unsigned>(socket), nullptr)) != 0) {
                error = "port " + port.config.name + ": TX queue " + std::to_string(q) + ": " +
                        rte_strerror(-rc);
                return false;
            }
        if ((rc = rte_eth_dev_start(port.id)) != 0) {
            error = "port " + port.config.name + ": rte_eth_dev_start: " + rte_strerror(-rc);
            return false;
        }
        rte_eth_promiscuous_enable(port.id);
        rte_ether_addr mac;
        rte_eth_macaddr_get(port.id, &mac);
        std::memcpy(port.mac.data(), mac.addr_bytes, 6);
        // siitd writes every Ethernet header itself, so the configured MAC is the source whether or
        // not the device can take it as its own (net_pcap, for one, cannot).
        if (port.config.mac) {
            port.mac = *port.config.mac;
            std::memcpy(mac.addr_bytes, port.mac.data(), 6);
            if ((rc = rte_eth_dev_default_mac_addr_set(port.id, &mac)) != 0)
                RTE_LOG(WARNING, USER1,
                        "siitd: port %s: the device keeps its own MAC (%s); frames still leave "
                        "from the configured one\n",
                        port.config.name.c_str(), rte_strerror(-rc));
        }
        // net_tun: no Ethernet header (DPDK's tap driver in tun mode).
        port.l3 = device.rfind("net_tun", 0) == 0;
        port.carrier_interface = vdev_interface(config_.eal_args, device);
        port.over_kernel_interface = !port.carrier_interface.empty();
        port.next_hop_mode = port.config.next_hop.empty() ? Port::NextHopMode::configured_mac
                             : port.config.next_hop == "kernel"
                                 ? Port::NextHopMode::kernel_routes
                                 : Port::NextHopMode::kernel_neighbour;
        if (port.config.role != PortRole::ipv6) ipv4_port_ = static_cast<int>(i);
        if (port.config.role != PortRole::ipv4) ipv6_port_ = static_cast<int>(i);
        ports_.push_back(port);
    }
    const std::size_t physical = ports_.size();
    for (std::size_t i = 0; i < physical; ++i)
        if (!ports_[i].config.kernel_interface.empty() &&
            !start_kernel_interface(i, worker_count, error))
            return false;
    // RX rings hold mbufs even when idle; fewer left than a few bursts per worker starves RX and
    // fragmentation (the NIC counts rx_nombuf, the translator drop_fragment_no_buffer).
    std::uint32_t held = 0;
    for (const Port& p : ports_)
        held += p.kernel_of >= 0 ? kKernelRxDescriptors : p.config.rx_queues * kRxDescriptors;
    if (config_.mbufs < held + worker_count * 4u * config_.burst)
        RTE_LOG(WARNING, USER1,
                "siitd: mbufs (%u) barely exceed what the RX rings hold (%u): raise \"mbufs\" to "
                "at least %u\n",
                config_.mbufs, held, 2 * held + worker_count * 4u * config_.burst);
    return true;
}

bool Dataplane::start_kernel_interface(std::size_t index, unsigned worker_count,
                                       std::string& error) {
    Port& physical = ports_[index];
    const std::string& name = physical.config.kernel_interface;
    const std::string device = "net_tap_" + name;
    const std::string devargs = device + ",iface=" + name + ",mac=" + mac_to_string(physical.mac);
    Port tap;
    tap.config = physical.config;
    tap.config.name = physical.config.name + "-kernel";
    tap.config.device = device;
    tap.config.rx_queues = 1;
    tap.kernel_of = static_cast<int>(index);
    tap.mac = physical.mac; // the kernel interface answers for the port: the same MAC
    int rc = rte_dev_probe(devargs.c_str()); // hot-plugs the vdev, as --vdev would at start
    if (rc != 0 || rte_eth_dev_get_port_by_name(device.c_str(), &tap.id) != 0) {
        error = "port " + physical.config.name + ": cannot create kernel interface " + name +
                " (net_tap): " + rte_strerror(-rc);
        return false;
    }
    rte_eth_conf conf{};
    const int socket = rte_eth_dev_socket_id(tap.id);
    rc = rte_eth_dev_configure(tap.id, 1, static_cast<std::uint16_t>(worker_count), &conf);
    if (rc == 0)
        rc = rte_eth_rx_queue_setup(tap.id, 0, kKernelRxDescriptors, static_cast<unsigned>(socket),
                                    nullptr, pool_for_socket(rte_eth_dev_socket_id(physical.id)));
    for (std::uint16_t q = 0; rc == 0 && q < worker_count; ++q)
        rc = rte_eth_tx_queue_setup(tap.id, q, kTxDescriptors, static_cast<unsigned>(socket),
                                    nullptr);
    if (rc == 0) rc = rte_eth_dev_start(tap.id);
    if (rc != 0) {
        error = "port " + physical.config.name + ": kernel interface " + name + ": " +
                rte_strerror(-rc);
        return false;
    }
    RTE_LOG(INFO, USER1, "siitd: port %s: kernel interface %s (%s)\n", physical.config.name.c_str(),
            name.c_str(), mac_to_string(physical.mac).c_str());
    physical.kernel = static_cast<int>(ports_.size());
    ports_.push_back(tap); // `physical` is not used after this: the vector may move
    return true;
}

rte_mempool* Dataplane::pool_for_socket(int socket) const {
    return pools_.empty() ? nullptr : pools_[siitd::pool_for_socket(pool_sockets_, socket)];
}

void Dataplane::shutdown() {
    for (const Port& p : ports_) {
        rte_eth_dev_stop(p.id);
        rte_eth_dev_close(p.id);
    }
    ports_.clear();
    for (rte_mempool* pool : pools_)
        rte_mempool_free(pool);
    pools_.clear();
    pool_sockets_.clear();
}

} // namespace siitd
