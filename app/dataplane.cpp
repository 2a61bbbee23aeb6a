// Ports and workers; see dataplane.hpp. The per-packet work is in worker_loop: strip L2, translate
// with lib/, put L2 back, batch per egress port, burst out.
#include "dataplane.hpp"

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include <algorithm>
#include <cstring>

#include "exception_path.hpp"
#include "kernel_mirror.hpp"
#include "siit/bytes.hpp"
#include "siit/prefetch.hpp"
#include "siit/translator.hpp"

namespace siitd {

namespace {

constexpr std::uint16_t kEthertypeIpv4 = 0x0800, kEthertypeIpv6 = 0x86dd, kEthertypeVlan = 0x8100;
constexpr std::uint16_t kRxDescriptors = 1024, kTxDescriptors = 1024;
// The kernel interface carries little (ARP, NDP, routing protocols, management): a short ring.
constexpr std::uint16_t kKernelRxDescriptors = 256;
constexpr unsigned kMaxFragments = 64;
// How many frames ahead of the one being translated the worker prefetches (VPP's node functions
// use 2 to 8): enough to cover a miss to memory at some 40 ns of work per packet.
constexpr std::uint16_t kPrefetchAhead = 4;

// Extra packets (IPv6 fragments) come from the worker's mempool.
class MbufAllocator final : public siit::PacketAllocator {
  public:
    explicit MbufAllocator(rte_mempool* pool) : pool_(pool) {}
    siit::PacketBuffer* allocate(std::uint32_t length) override {
        if (count_ == kMaxFragments) return nullptr;
        rte_mbuf* m = rte_pktmbuf_alloc(pool_);
        if (!m) return nullptr;
        if (rte_pktmbuf_tailroom(m) < length) {
            rte_pktmbuf_free(m);
            return nullptr;
        }
        mbufs_[count_] = m;
        buffers_[count_] = {rte_pktmbuf_mtod(m, std::uint8_t*), 0, rte_pktmbuf_headroom(m),
                            static_cast<std::uint32_t>(rte_pktmbuf_tailroom(m))};
        return &buffers_[count_++];
    }
    unsigned count() const { return count_; }
    rte_mbuf* mbuf(unsigned i) const { return mbufs_[i]; }
    const siit::PacketBuffer& buffer(unsigned i) const { return buffers_[i]; }
    void release_all() {
        for (unsigned i = 0; i < count_; ++i)
            rte_pktmbuf_free(mbufs_[i]);
        count_ = 0;
    }
    void forget_all() { count_ = 0; }

  private:
    rte_mempool* pool_;
    unsigned count_ = 0;
    rte_mbuf* mbufs_[kMaxFragments];
    siit::PacketBuffer buffers_[kMaxFragments];
};

// RFC 4443 §2.4(f): a token bucket per worker for the ICMP errors it generates.
class TokenBucket {
  public:
    TokenBucket(std::uint32_t per_second, std::uint32_t burst)
        : per_second_(per_second), burst_(burst), tokens_(burst), hz_(rte_get_tsc_hz()),
          last_(rte_get_tsc_cycles()) {}
    bool take() {
        const std::uint64_t now = rte_get_tsc_cycles();
        const std::uint64_t earned = (now - last_) * per_second_ / hz_;
        if (earned > 0) {
            tokens_ = static_cast<std::uint32_t>(std::min<std::uint64_t>(burst_, tokens_ + earned));
            last_ = now;
        }
        if (tokens_ == 0) return false;
        --tokens_;
        return true;
    }

  private:
    std::uint64_t per_second_, burst_, tokens_, hz_, last_;
};

// Packets waiting for one egress port's TX burst.
struct TxQueue {
    rte_mbuf* mbufs[512];
    unsigned count = 0;
};

// Writes the Ethernet header (with the ingress VLAN tag, if any) at `frame`, in front of an IP
// packet of version `version`.
void write_l2(std::uint8_t* frame, const std::array<std::uint8_t, 6>& dst,
              const std::array<std::uint8_t, 6>& src, std::uint16_t vlan_tci, bool tagged,
              unsigned version) {
    std::memcpy(frame, dst.data(), 6);
    std::memcpy(frame + 6, src.data(), 6);
    if (tagged) {
        siit::store16(frame + 12, kEthertypeVlan);
        siit::store16(frame + 14, vlan_tci);
    }
    siit::store16(frame + (tagged ? 16 : 12), version == 4 ? kEthertypeIpv4 : kEthertypeIpv6);
}

int launch_worker(void* arg);

// The Ethernet header's length, an 802.1Q tag included (for prefetching: no checks beyond
// staying inside `length`).
std::uint32_t l2_length(const std::uint8_t* frame, std::uint32_t length) {
    return length >= 18 && siit::load16(frame + 12) == kEthertypeVlan ? 18 : 14;
}

std::uint16_t ip_version_ethertype(unsigned version) {
    return version == 4 ? kEthertypeIpv4 : version == 6 ? kEthertypeIpv6 : 0;
}

} // namespace

Dataplane::Dataplane(const Config& config, siit::TranslationState& state, RteQsbr& qsbr)
    : config_(config), state_(state), qsbr_(qsbr) {}

bool Dataplane::start(std::string& error) {
    // Workers: one per (port, RX queue), spread over the worker lcores, or all on this lcore.
    std::vector<unsigned> lcores;
    unsigned lcore;
    RTE_LCORE_FOREACH_WORKER(lcore) lcores.push_back(lcore);
    std::vector<std::pair<std::uint16_t, std::uint16_t>> queues;
    for (std::uint16_t p = 0; p < config_.ports.size(); ++p)
        for (std::uint16_t q = 0; q < config_.ports[p].rx_queues; ++q)
            queues.emplace_back(p, q);
    const unsigned worker_count =
        lcores.empty() ? 1 : static_cast<unsigned>(std::min(lcores.size(), queues.size()));
    plans_.resize(worker_count);
    for (unsigned w = 0; w < worker_count; ++w) {
        plans_[w].index = w;
        plans_[w].lcore = lcores.empty() ? rte_get_main_lcore() : lcores[w];
    }
    for (std::size_t i = 0; i < queues.size(); ++i)
        plans_[i % worker_count].rx.push_back(queues[i]);
    stats_.assign(worker_count, WorkerStats{});

    std::uint32_t largest_mtu = 1500;
    for (const auto& p : config_.ports)
        largest_mtu = std::max(largest_mtu, p.mtu);
    const std::uint32_t buffer_size =
        std::max<std::uint32_t>(RTE_MBUF_DEFAULT_BUF_SIZE,
                                RTE_PKTMBUF_HEADROOM + largest_mtu + 18 + siit::kRequiredTailroom);
    pool_ = rte_pktmbuf_pool_create("siitd_mbufs", config_.mbufs, 256, 0,
                                    static_cast<std::uint16_t>(buffer_size),
                                    static_cast<int>(rte_socket_id()));
    if (!pool_) {
        error = "cannot create the mbuf pool (" + std::to_string(config_.mbufs) + " mbufs of " +
                std::to_string(buffer_size) + " bytes): " + rte_strerror(rte_errno);
        return false;
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
                                             static_cast<unsigned>(socket), nullptr, pool_)) != 0) {
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
        port.next_hop_mode = port.config.next_hop.empty() ? Port::NextHopMode::configured_mac
                             : port.config.next_hop == "kernel"
                                 ? Port::NextHopMode::kernel_routes
                                 : Port::NextHopMode::kernel_neighbour;
        if (port.config.role != PortRole::ipv6) ipv4_port_ = static_cast<int>(i);
        if (port.config.role != PortRole::ipv4) ipv6_port_ = static_cast<int>(i);
        ports_.push_back(port);
    }
    siit::TranslatorConfig translation = state_.snapshot()->config;
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
    translation.ipv4_mtu = ports_[static_cast<std::size_t>(ipv4_port_)].config.mtu;
    translation.ipv6_mtu = ports_[static_cast<std::size_t>(ipv6_port_)].config.mtu;
    state_.set_config(translation);
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
                                    nullptr, pool_);
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

namespace {
int launch_worker(void* arg) {
    auto* a = static_cast<std::pair<Dataplane*, unsigned>*>(arg);
    a->first->worker_loop(a->second);
    return 0;
}
} // namespace

bool Dataplane::launch(const std::atomic<bool>& stop, unsigned exit_idle_ms) {
    stop_ = &stop;
    exit_idle_ms_ = exit_idle_ms;
    launch_args_.resize(plans_.size());
    bool all_remote = true;
    for (unsigned w = 0; w < plans_.size(); ++w) {
        launch_args_[w] = {this, w};
        if (plans_[w].lcore == rte_get_main_lcore())
            all_remote = false;
        else
            rte_eal_remote_launch(launch_worker, &launch_args_[w], plans_[w].lcore);
    }
    return all_remote;
}

void Dataplane::wait() {
    rte_eal_mp_wait_lcore();
}

void Dataplane::run(const std::atomic<bool>& stop, unsigned exit_idle_ms) {
    launch(stop, exit_idle_ms);
    // Without worker lcores the one worker runs here, on the main lcore.
    for (unsigned w = 0; w < plans_.size(); ++w)
        if (plans_[w].lcore == rte_get_main_lcore()) worker_loop(w);
    wait();
}

void Dataplane::worker_loop(unsigned index) {
    const WorkerPlan& plan = plans_[index];
    WorkerStats& stats = stats_[index];
    const siit::TranslationVersion* version = state_.snapshot();
    siit::Translator translator(version->config, version->eamt.get());
    translator.seed_ipv4_id(static_cast<std::uint16_t>(rte_rand()));
    MbufAllocator allocator(pool_);
    TokenBucket icmp_bucket(config_.icmp_errors_per_second, config_.icmp_error_burst);
    std::vector<TxQueue> tx(ports_.size());
    const std::uint16_t burst = config_.burst;
    rte_mbuf* rx[256];
    siit::PacketLookups ahead[256]; // rx[i]'s EAMT lookups, made ahead when `staged`
    const KernelView no_kernel;     // without a mirror: no host addresses, no learned next hop
    const std::uint64_t idle_limit = exit_idle_ms_ * (rte_get_tsc_hz() / 1000);
    std::uint64_t last_packet = rte_get_tsc_cycles();
    const auto tx_queue = static_cast<std::uint16_t>(index);

    qsbr_.online(index);
    std::uint64_t poll_start = last_packet;
    while (!stop_->load(std::memory_order_relaxed)) {
        // One version per burst: a packet never sees half of an update.
        version = state_.snapshot();
        translator.set_config(&version->config);
        translator.set_eamt(version->eamt.get());
        // An EAMT larger than the caches: each burst goes through in stages (mbuf headers, frames,
        // the lookups' slots, the lookups themselves with their entries fetched, then translation,
        // which takes those lookups' answers), each stage a short loop whose misses overlap
        // (dataplane-bench with 1M entries).
        const bool staged =
            eamt_lookups_prefetched(config_.eamt_prefetch, translator.lookups_worth_prefetching());
        const KernelView* kernel = mirror_ ? mirror_->view() : &no_kernel;
        unsigned received = 0;
        // What the kernel sends leaves by the port its interface serves (worker 0 polls them).
        if (index == 0)
            for (std::size_t k = 0; k < ports_.size(); ++k) {
                if (ports_[k].kernel_of < 0) continue;
                const std::uint16_t n = rte_eth_rx_burst(ports_[k].id, 0, rx, burst);
                if (n == 0) continue;
                received += n;
                stats.add(ShellCounter::from_kernel, n);
                stats.port_rx[k] += n;
                TxQueue& q = tx[static_cast<std::size_t>(ports_[k].kernel_of)];
                for (std::uint16_t i = 0; i < n; ++i) {
                    if (q.count < std::size(q.mbufs)) {
                        q.mbufs[q.count++] = rx[i];
                    } else {
                        stats.add(ShellCounter::drop_kernel_busy);
                        rte_pktmbuf_free(rx[i]);
                    }
                }
            }
        for (const auto& [port_index, queue] : plan.rx) {
            const Port& in_port = ports_[port_index];
            const std::uint16_t n = rte_eth_rx_burst(in_port.id, queue, rx, burst);
            received += n;
            stats.add(ShellCounter::rx_packets, n);
            stats.port_rx[port_index] += n;
            // The frames were written by a NIC (or another core): each mbuf header is fetched
            // 2 * kPrefetchAhead packets before its turn, and its frame kPrefetchAhead before (the
            // header says where the frame is), so that misses overlap with the work instead of
            // following one another. (Fetching the line before the frame too, where 4->6 headers
            // grow, measured slower: it stays in this core's cache from the previous use.) When
            // `staged`, the whole burst's headers, frames and lookups are fetched first instead.
            auto prefetch_frame = [](const rte_mbuf* frame_mbuf) {
                siit::prefetch_for_write(rte_pktmbuf_mtod(frame_mbuf, const std::uint8_t*));
            };
            if (staged) {
                for (std::uint16_t i = 0; i < n; ++i)
                    siit::prefetch_for_write(rx[i]);
                for (std::uint16_t i = 0; i < n; ++i)
                    prefetch_frame(rx[i]);
                for (const bool slots : {true, false})
                    for (std::uint16_t i = 0; i < n; ++i) {
                        const auto* frame = rte_pktmbuf_mtod(rx[i], const std::uint8_t*);
                        const std::uint32_t length = rx[i]->data_len;
                        const std::uint32_t l2 = in_port.l3 ? 0 : l2_length(frame, length);
                        const std::uint32_t ip_length = length > l2 ? length - l2 : 0;
                        if (slots)
                            translator.prefetch_lookup_slots(frame + l2, ip_length);
                        else
                            translator.look_up_ahead(frame + l2, ip_length, ahead[i]);
                    }
            } else {
                for (std::uint16_t i = 0; i < std::min<std::uint16_t>(n, 2 * kPrefetchAhead); ++i)
                    siit::prefetch_for_write(rx[i]);
                for (std::uint16_t i = 0; i < std::min<std::uint16_t>(n, kPrefetchAhead); ++i)
                    prefetch_frame(rx[i]);
            }
            for (std::uint16_t i = 0; i < n; ++i) {
                rte_mbuf* m = rx[i];
                if (!staged) {
                    if (i + 2 * kPrefetchAhead < n)
                        siit::prefetch_for_write(rx[i + 2 * kPrefetchAhead]);
                    if (i + kPrefetchAhead < n) prefetch_frame(rx[i + kPrefetchAhead]);
                }
                if (m->nb_segs != 1) {
                    stats.add(ShellCounter::drop_multi_segment);
                    rte_pktmbuf_free(m);
                    continue;
                }
                auto* eth = rte_pktmbuf_mtod(m, std::uint8_t*);
                if (m->data_len < (in_port.l3 ? 1 : 14)) {
                    stats.add(ShellCounter::drop_runt_frame);
                    rte_pktmbuf_free(m);
                    continue;
                }
                // An L3 port (net_tun) carries bare IP packets: the version says the family.
                std::uint16_t ethertype =
                    in_port.l3 ? ip_version_ethertype(eth[0] >> 4) : siit::load16(eth + 12);
                std::uint16_t l2 = in_port.l3 ? 0 : 14, vlan_tci = 0;
                const bool tagged = !in_port.l3 && ethertype == kEthertypeVlan;
                if (tagged) {
                    if (m->data_len < 18) {
                        stats.add(ShellCounter::drop_runt_frame);
                        rte_pktmbuf_free(m);
                        continue;
                    }
                    vlan_tci = siit::load16(eth + 14);
                    ethertype = siit::load16(eth + 16);
                    l2 = 18;
                }
                // The exception path: the box's own traffic goes to its kernel, untouched.
                if (in_port.kernel >= 0 &&
                    for_kernel(ethertype, eth + l2, m->data_len - l2, kernel->host)) {
                    TxQueue& q = tx[static_cast<std::size_t>(in_port.kernel)];
                    if (q.count < std::size(q.mbufs)) {
                        q.mbufs[q.count++] = m;
                        stats.add(ShellCounter::to_kernel);
                    } else {
                        stats.add(ShellCounter::drop_kernel_busy);
                        rte_pktmbuf_free(m);
                    }
                    continue;
                }
                if (ethertype != kEthertypeIpv4 && ethertype != kEthertypeIpv6) {
                    stats.add(ShellCounter::drop_not_ip);
                    rte_pktmbuf_free(m);
                    continue;
                }
                std::array<std::uint8_t, 6> sender{};
                if (!in_port.l3) std::memcpy(sender.data(), eth + 6, 6);
                // The IP packet in place: its headroom includes the L2 header it came with.
                const std::uint32_t l2u = l2;
                siit::PacketBuffer packet{eth + l2, m->data_len - l2u,
                                          rte_pktmbuf_headroom(m) + l2u,
                                          static_cast<std::uint32_t>(rte_pktmbuf_tailroom(m))};
                const siit::PacketLookups* looked_up = staged ? &ahead[i] : nullptr;
                const siit::Verdict verdict =
                    ethertype == kEthertypeIpv4
                        ? translator.translate_4to6(packet, &allocator, looked_up)
                        : translator.translate_6to4(packet, &allocator, looked_up);
                stats.add(verdict.counter);
                if (verdict.action == siit::Action::drop) {
                    allocator.release_all();
                    rte_pktmbuf_free(m);
                    continue;
                }
                if (verdict.action == siit::Action::reply && !icmp_bucket.take()) {
                    stats.add(ShellCounter::icmp_errors_rate_limited);
                    rte_pktmbuf_free(m);
                    continue;
                }
                // Where it goes, and to whom.
                std::size_t out = port_index;
                const std::array<std::uint8_t, 6>* dst = &sender;
                if (verdict.action != siit::Action::reply) {
                    const bool to_ipv6 =
                        verdict.action == siit::Action::hairpin || ethertype == kEthertypeIpv4;
                    out = static_cast<std::size_t>(to_ipv6 ? ipv6_port_ : ipv4_port_);
                    ShellCounter why = ShellCounter::drop_no_route;
                    dst = next_hop_mac(out, packet.data, to_ipv6, *kernel, why);
                    if (!dst) {
                        // Never to a wrong MAC: a counted drop, the fragments with it.
                        stats.add(why, 1 + allocator.count());
                        allocator.release_all();
                        rte_pktmbuf_free(m);
                        continue;
                    }
                } else {
                    stats.add(ShellCounter::icmp_errors_sent);
                }
                TxQueue& q = tx[out];
                // Sets the mbuf to the translated packet `b`, writes L2, and queues it for `out`.
                const std::uint32_t l2_out = ports_[out].l3 ? 0 : tagged ? 18 : 14;
                auto enqueue = [&](rte_mbuf* mbuf, const siit::PacketBuffer& b) {
                    if (b.headroom >= l2_out && q.count < std::size(q.mbufs)) {
                        std::uint8_t* frame = b.data - l2_out;
                        if (l2_out)
                            write_l2(frame, *dst, ports_[out].mac, vlan_tci, tagged,
                                     b.data[0] >> 4);
                        mbuf->data_off = static_cast<std::uint16_t>(
                            frame - static_cast<std::uint8_t*>(mbuf->buf_addr));
                        mbuf->data_len = static_cast<std::uint16_t>(b.length + l2_out);
                        mbuf->pkt_len = b.length + l2_out;
                        q.mbufs[q.count++] = mbuf;
                        return;
                    }
                    stats.add(ShellCounter::tx_dropped);
                    rte_pktmbuf_free(mbuf);
                };
                enqueue(m, packet);
                for (unsigned f = 0; f < allocator.count(); ++f)
                    enqueue(allocator.mbuf(f), allocator.buffer(f));
                allocator.forget_all();
            }
        }
        for (std::size_t p = 0; p < tx.size(); ++p) {
            TxQueue& q = tx[p];
            if (q.count == 0) continue;
            const std::uint16_t sent = rte_eth_tx_burst(ports_[p].id, tx_queue, q.mbufs,
                                                        static_cast<std::uint16_t>(q.count));
            stats.add(ShellCounter::tx_packets, sent);
            stats.port_tx[p] += sent;
            if (sent < q.count) {
                stats.add(ShellCounter::tx_dropped, q.count - sent);
                rte_pktmbuf_free_bulk(q.mbufs + sent, q.count - sent);
            }
            q.count = 0;
        }
        qsbr_.quiescent(index);
        // The previous poll's end is this one's start: one TSC read per poll measures the load.
        const std::uint64_t now = rte_get_tsc_cycles();
        if (received) {
            last_packet = now;
            stats.add(ShellCounter::busy_cycles, now - poll_start);
        } else if (idle_limit && now - last_packet > idle_limit) {
            break;
        }
        poll_start = now;
    }
    qsbr_.offline(index);
}

const std::array<std::uint8_t, 6>* Dataplane::next_hop_mac(std::size_t out,
                                                           const std::uint8_t* packet, bool to_ipv6,
                                                           const KernelView& kernel,
                                                           ShellCounter& why) const {
    const Port& port = ports_[out];
    switch (port.next_hop_mode) {
    case Port::NextHopMode::configured_mac:
        return &port.config.next_hop_mac;
    case Port::NextHopMode::kernel_neighbour:
        why = ShellCounter::drop_neighbour_unresolved;
        return kernel.next_hop[out].resolved ? &kernel.next_hop[out].mac : nullptr;
    case Port::NextHopMode::kernel_routes:
        break;
    }
    // The kernel's routing table picks the next hop of each packet; an unresolved one is asked
    // for (no system call here: the mirror thread does the asking).
    bool routed = false;
    const Mac* mac = nullptr;
    if (to_ipv6) {
        siit::Ipv6Address next_hop;
        mac = kernel.routing[out].resolve6(siit::Ipv6Address::from_bytes(packet + 24), routed,
                                           next_hop);
        if (!mac && routed) mirror_->want(out, next_hop.bytes.data(), true);
    } else {
        std::uint32_t next_hop = 0;
        mac = kernel.routing[out].resolve4(siit::load32(packet + 16), routed, next_hop);
        std::uint8_t bytes[4];
        siit::store32(bytes, next_hop);
        if (!mac && routed) mirror_->want(out, bytes, false);
    }
    why = routed ? ShellCounter::drop_neighbour_unresolved : ShellCounter::drop_no_route;
    return mac;
}

void Dataplane::shutdown() {
    for (const Port& p : ports_) {
        rte_eth_dev_stop(p.id);
        rte_eth_dev_close(p.id);
    }
    ports_.clear();
    if (pool_) rte_mempool_free(pool_);
    pool_ = nullptr;
}

} // namespace siitd
