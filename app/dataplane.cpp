// The workers; see dataplane.hpp (ports and mempool: ports.cpp). The per-packet work is in
// worker_loop: strip L2, translate with lib/, put L2 back, batch per egress port, burst out.
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

#include "ethernet.hpp"
#include "exception_path.hpp"
#include "kernel_mirror.hpp"
#include "siit/bytes.hpp"
#include "siit/prefetch.hpp"
#include "siit/translator.hpp"

namespace siitd {

namespace {

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
        // Zero per second is "not sent" (RFC 7915 §4.4, §5.4): no burst either.
        : per_second_(per_second), burst_(burst), tokens_(per_second == 0 ? 0 : burst),
          hz_(rte_get_tsc_hz()), last_(rte_get_tsc_cycles()) {}
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

int launch_worker(void* arg);

} // namespace

Dataplane::Dataplane(const Config& config, siit::TranslationState& state, RteQsbr& qsbr)
    : config_(config), state_(state), qsbr_(qsbr) {}

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

} // namespace siitd
