// A worker's stages; see worker.hpp.
#include "dataplane/worker.hpp"

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_random.h>

#include <pthread.h>

#include <algorithm>
#include <csignal>
#include <cstring>

#include "kernel/exception_path.hpp"
#include "kernel/mirror.hpp"
#include "ports/ethernet.hpp"
#include "siit/bytes.hpp"
#include "siit/prefetch.hpp"

namespace siitd {

namespace {

// How many frames ahead of the one being translated the worker prefetches (VPP's node functions
// use 2 to 8): enough to cover a miss to memory at some 40 ns of work per packet.
constexpr std::uint16_t kPrefetchAhead = 4;

// Where each verdict's packet leaves, in the spirit of grout's named edges: one row per
// siit::Action.
enum class Egress : std::uint8_t {
    other_family, // forward: the port of the family it was translated to, to its next hop
    ipv6_side,    // hairpin: back to the IPv6 port, to its next hop (RFC 7757 §4.2)
    sender,       // reply: an ICMP error, back out of the port it came in by, to its sender
    none,         // drop
};
constexpr Egress kEgress[] = {Egress::other_family, Egress::ipv6_side, Egress::sender,
                              Egress::none};
static_assert(static_cast<int>(siit::Action::forward) == 0 &&
                  static_cast<int>(siit::Action::hairpin) == 1 &&
                  static_cast<int>(siit::Action::reply) == 2 &&
                  static_cast<int>(siit::Action::drop) == 3,
              "kEgress has one row per siit::Action, in its order");

const KernelView kNoKernel; // without a mirror: no host addresses, no learned next hop

void prefetch_frame(const rte_mbuf* m) {
    siit::prefetch_for_write(rte_pktmbuf_mtod(m, const std::uint8_t*));
}

// DPDK 22.11's tap driver raises a real-time signal (SIGRTMIN + 1 here, its handler counting a
// trigger that rx_burst compares); SIGIO as well, for the drivers that use it. siitd itself uses
// neither, so all of them go to the workers.
void set_queue_signal(int how) {
    sigset_t queue_signals;
    sigemptyset(&queue_signals);
    sigaddset(&queue_signals, SIGIO);
    for (int s = SIGRTMIN; s <= SIGRTMAX; ++s)
        sigaddset(&queue_signals, s);
    pthread_sigmask(how, &queue_signals, nullptr);
}

} // namespace

void block_queue_signal() {
    set_queue_signal(SIG_BLOCK);
}

Worker::Worker(const WorkerContext& context, const WorkerPlan& plan, WorkerStats& stats)
    : context_(context), plan_(plan), stats_(stats), version_(context.state.snapshot()),
      translator_(version_->config, version_->eamt.get(), context.link_mtus),
      allocator_(context.pool),
      icmp_bucket_(context.config.icmp_errors_per_second, context.config.icmp_error_burst),
      busy_(rte_get_tsc_hz()), tx_(context.ports.size()),
      kernel_bucket_(context.config.kernel_packets_per_second, context.config.kernel_packet_burst),
      capture_(plan.index, context.ports) {
    translator_.seed_ipv4_id(static_cast<std::uint16_t>(rte_rand()));
}

void Worker::run(const std::atomic<bool>& stop, unsigned exit_idle_ms) {
    const std::uint64_t idle_limit = exit_idle_ms * (rte_get_tsc_hz() / 1000);
    std::uint64_t last_packet = rte_get_tsc_cycles();
    set_queue_signal(SIG_UNBLOCK); // the tap/tun driver's Rx trigger lands here (main.cpp)
    context_.qsbr.online(plan_.index);
    while (!stop.load(std::memory_order_relaxed)) {
        // One version per burst: a packet never sees half of an update.
        version_ = context_.state.snapshot();
        translator_.set_config(&version_->config);
        translator_.set_eamt(version_->eamt.get());
        // An EAMT larger than the caches: each burst goes through in stages (mbuf headers, frames,
        // the lookups' slots, the lookups themselves with their entries fetched, then
        // translation, which takes those lookups' answers), each stage a short loop whose misses
        // overlap (dataplane-bench with 1M entries).
        staged_ = eamt_lookups_prefetched(context_.config.eamt_prefetch,
                                          translator_.lookups_worth_prefetching());
        kernel_ = context_.mirror ? context_.mirror->view() : &kNoKernel;
        // With no capture running, this load is all a capture costs.
        capture_.set_session(context_.capture.load(std::memory_order_acquire));

        unsigned received = plan_.index == 0 ? poll_kernel_taps() : 0;
        for (const auto& [port_index, queue] : plan_.rx) {
            const Port& in = context_.ports[port_index];
            const std::uint64_t began = BusyClock::now();
            const std::uint16_t n = rte_eth_rx_burst(in.id, queue, rx_, context_.config.burst);
            busy_.received(n, began);
            received += n;
            stats_.add(ShellCounter::rx_packets, n);
            stats_.port_rx[port_index] += n;
            prefetch_burst(in, n);
            // Two copies of the burst's loop: with no capture running, the worker's code is
            // the same as if capture did not exist.
            if (capture_.on()) [[unlikely]]
                process_burst<true>(port_index, in, n);
            else
                process_burst<false>(port_index, in, n);
        }
        flush_tx();

        context_.qsbr.quiescent(plan_.index);
        // Busy time (busy_clock.hpp) ends here, the poll's transmissions flushed.
        const std::uint64_t now = BusyClock::now();
        if (received) {
            last_packet = now;
            stats_.add(ShellCounter::busy_cycles, busy_.poll_done(now));
        } else if (idle_limit && now - last_packet > idle_limit) {
            break;
        }
    }
    context_.qsbr.offline(plan_.index);
}

template <bool kCapture>
void Worker::process_burst(std::size_t port_index, const Port& in, std::uint16_t n) {
    for (std::uint16_t i = 0; i < n; ++i) {
        if (!staged_) prefetch_ahead(i, n);
        Frame frame;
        if (classify<kCapture>(rx_[i], port_index, in, frame) != Class::ip) continue;
        translate<kCapture>(rx_[i], port_index, frame, staged_ ? &ahead_[i] : nullptr);
    }
}

// What the kernel sends leaves by the port its interface serves, untouched (worker 0 polls them).
unsigned Worker::poll_kernel_taps() {
    unsigned received = 0;
    for (std::size_t k = 0; k < context_.ports.size(); ++k) {
        const Port& tap = context_.ports[k];
        if (tap.kernel_of < 0) continue;
        const std::uint64_t began = BusyClock::now();
        const std::uint16_t n = rte_eth_rx_burst(tap.id, 0, rx_, context_.config.burst);
        if (n == 0) continue;
        busy_.received(n, began);
        received += n;
        stats_.add(ShellCounter::from_kernel, n);
        stats_.port_rx[k] += n;
        TxQueue& q = tx_[static_cast<std::size_t>(tap.kernel_of)];
        for (std::uint16_t i = 0; i < n; ++i) {
            if (q.count < std::size(q.mbufs)) {
                if (capture_.on()) [[unlikely]]
                    capture_.single(rx_[i], static_cast<std::size_t>(tap.kernel_of),
                                    CaptureKind::from_kernel, "from_kernel");
                q.mbufs[q.count++] = rx_[i];
            } else {
                stats_.add(ShellCounter::drop_kernel_busy);
                rte_pktmbuf_free(rx_[i]);
            }
        }
    }
    return received;
}

// The frames were written by a NIC (or another core): each mbuf header is fetched
// 2 * kPrefetchAhead packets before its turn, and its frame kPrefetchAhead before (the header
// says where the frame is), so that misses overlap with the work instead of following one
// another. (Fetching the line before the frame too, where 4->6 headers grow, measured slower: it
// stays in this core's cache from the previous use.) When staged, the whole burst's headers,
// frames and lookups are fetched first instead.
void Worker::prefetch_burst(const Port& in, std::uint16_t n) {
    if (!staged_) {
        for (std::uint16_t i = 0; i < std::min<std::uint16_t>(n, 2 * kPrefetchAhead); ++i)
            siit::prefetch_for_write(rx_[i]);
        for (std::uint16_t i = 0; i < std::min<std::uint16_t>(n, kPrefetchAhead); ++i)
            prefetch_frame(rx_[i]);
        return;
    }
    for (std::uint16_t i = 0; i < n; ++i)
        siit::prefetch_for_write(rx_[i]);
    for (std::uint16_t i = 0; i < n; ++i)
        prefetch_frame(rx_[i]);
    for (const bool slots : {true, false})
        for (std::uint16_t i = 0; i < n; ++i) {
            const auto* frame = rte_pktmbuf_mtod(rx_[i], const std::uint8_t*);
            const std::uint32_t length = rx_[i]->data_len;
            const std::uint32_t l2 = in.l3 ? 0 : l2_length(frame, length);
            const std::uint32_t ip_length = length > l2 ? length - l2 : 0;
            if (slots)
                translator_.prefetch_lookup_slots(frame + l2, ip_length);
            else
                translator_.look_up_ahead(frame + l2, ip_length, ahead_[i]);
        }
}

void Worker::prefetch_ahead(std::uint16_t i, std::uint16_t n) {
    if (i + 2 * kPrefetchAhead < n) siit::prefetch_for_write(rx_[i + 2 * kPrefetchAhead]);
    if (i + kPrefetchAhead < n) prefetch_frame(rx_[i + kPrefetchAhead]);
}

// L2 (none on an L3 port such as net_tun), VLAN, family; the box's own traffic goes to its
// kernel untouched. Anything but an IP frame for translation is consumed here, counted.
template <bool kCapture>
Worker::Class Worker::classify(rte_mbuf* m, std::size_t in_port, const Port& in, Frame& frame) {
    const auto drop = [&](ShellCounter why) {
        stats_.add(why);
        if constexpr (kCapture)
            capture_.single(m, in_port, CaptureKind::dropped, shell_counter_name(why));
        rte_pktmbuf_free(m);
        return Class::dropped;
    };
    if (m->nb_segs != 1) return drop(ShellCounter::drop_multi_segment);
    const auto* eth = rte_pktmbuf_mtod(m, const std::uint8_t*);
    if (m->data_len < (in.l3 ? 1 : 14)) return drop(ShellCounter::drop_runt_frame);
    // An L3 port carries bare IP packets: the version says the family.
    frame.ethertype = in.l3 ? ip_version_ethertype(eth[0] >> 4) : siit::load16(eth + 12);
    frame.l2 = in.l3 ? 0 : 14;
    frame.tagged = !in.l3 && frame.ethertype == kEthertypeVlan;
    if (frame.tagged) {
        if (m->data_len < 18) return drop(ShellCounter::drop_runt_frame);
        frame.vlan_tci = siit::load16(eth + 14);
        frame.ethertype = siit::load16(eth + 16);
        frame.l2 = 18;
    }
    // A router takes no frame beyond its link's MTU; a NIC refuses one itself, a kernel interface
    // underneath a port (net_af_packet, net_af_xdp) hands it over. There such a frame is a segment
    // that a peer's TSO or GSO left whole and af_packet cut to its ring's frame size: not the
    // packet it claims to be. (Its own counter: nothing else would say why TCP stalls.)
    if (in.over_kernel_interface && std::uint32_t{m->data_len} > in.config.mtu + frame.l2)
        return drop(ShellCounter::drop_frame_over_mtu);
    if (in.kernel >= 0 &&
        for_kernel(frame.ethertype, eth + frame.l2, m->data_len - frame.l2, kernel_->host)) {
        TxQueue& q = tx_[static_cast<std::size_t>(in.kernel)];
        if (q.count == std::size(q.mbufs)) return drop(ShellCounter::drop_kernel_busy);
        // Each frame to the kernel costs a system call (the tap's writev): a flood to the box is
        // cut here, before it can take the worker's time from translation.
        if (!kernel_bucket_.take()) return drop(ShellCounter::drop_kernel_rate_limited);
        q.mbufs[q.count++] = m;
        stats_.add(ShellCounter::to_kernel);
        if constexpr (kCapture) capture_.single(m, in_port, CaptureKind::to_kernel, "to_kernel");
        return Class::kernel;
    }
    if (frame.ethertype != kEthertypeIpv4 && frame.ethertype != kEthertypeIpv6)
        return drop(ShellCounter::drop_not_ip);
    if (!in.l3) std::memcpy(frame.sender.data(), eth + 6, 6);
    return Class::ip;
}

// Translates the frame's IP packet in place, then sends it (and any extra fragments) where its
// verdict says.
template <bool kCapture>
void Worker::translate(rte_mbuf* m, std::size_t in_port, const Frame& frame,
                       const siit::PacketLookups* looked_up) {
    // The IP packet in place: its headroom includes the L2 header it came with.
    auto* eth = rte_pktmbuf_mtod(m, std::uint8_t*);
    siit::PacketBuffer packet{eth + frame.l2, m->data_len - std::uint32_t{frame.l2},
                              rte_pktmbuf_headroom(m) + std::uint32_t{frame.l2},
                              static_cast<std::uint32_t>(rte_pktmbuf_tailroom(m))};
    const bool from_ipv4 = frame.ethertype == kEthertypeIpv4;
    if constexpr (kCapture) capture_.received(m, in_port); // before translation rewrites it
    const siit::Verdict verdict = from_ipv4
                                      ? translator_.translate_4to6(packet, &allocator_, looked_up)
                                      : translator_.translate_6to4(packet, &allocator_, looked_up);
    stats_.add(verdict.counter);
    const Egress egress = kEgress[static_cast<int>(verdict.action)];
    if (egress == Egress::none) {
        if constexpr (kCapture)
            capture_.finish(CaptureKind::dropped, siit::counter_name(verdict.counter).data());
        allocator_.release_all();
        rte_pktmbuf_free(m);
        return;
    }
    const std::size_t out = egress_port(verdict.action, in_port, from_ipv4);
    const std::array<std::uint8_t, 6>* dst = &frame.sender;
    if (egress == Egress::sender) {
        if (!icmp_bucket_.take()) {
            stats_.add(ShellCounter::icmp_errors_rate_limited);
            if constexpr (kCapture)
                capture_.finish(CaptureKind::dropped,
                                shell_counter_name(ShellCounter::icmp_errors_rate_limited));
            rte_pktmbuf_free(m);
            return;
        }
        stats_.add(ShellCounter::icmp_errors_sent);
    } else {
        ShellCounter why = ShellCounter::drop_no_route;
        dst = next_hop_mac(out, packet.data, egress == Egress::ipv6_side || from_ipv4, why);
        if (!dst) {
            // Never to a wrong MAC: a counted drop, the fragments with it.
            stats_.add(why, 1 + allocator_.count());
            if constexpr (kCapture) capture_.finish(CaptureKind::dropped, shell_counter_name(why));
            allocator_.release_all();
            rte_pktmbuf_free(m);
            return;
        }
    }
    const CaptureKind kind = egress == Egress::sender ? CaptureKind::error_sent : CaptureKind::sent;
    enqueue<kCapture>(out, m, packet, *dst, frame, kind);
    for (unsigned f = 0; f < allocator_.count(); ++f)
        enqueue<kCapture>(out, allocator_.mbuf(f), allocator_.buffer(f), *dst, frame, kind);
    allocator_.forget_all();
    if constexpr (kCapture)
        capture_.finish(CaptureKind::received, siit::counter_name(verdict.counter).data());
}

std::size_t Worker::egress_port(siit::Action action, std::size_t in_port, bool from_ipv4) const {
    switch (kEgress[static_cast<int>(action)]) {
    case Egress::other_family:
        return static_cast<std::size_t>(from_ipv4 ? context_.ipv6_port : context_.ipv4_port);
    case Egress::ipv6_side:
        return static_cast<std::size_t>(context_.ipv6_port);
    case Egress::sender:
    case Egress::none:
        break;
    }
    return in_port;
}

const std::array<std::uint8_t, 6>* Worker::next_hop_mac(std::size_t out, const std::uint8_t* packet,
                                                        bool to_ipv6, ShellCounter& why) const {
    const Port& port = context_.ports[out];
    switch (port.next_hop_mode) {
    case Port::NextHopMode::configured_mac:
        return &port.config.next_hop_mac;
    case Port::NextHopMode::kernel_neighbour:
        why = ShellCounter::drop_neighbour_unresolved;
        return kernel_->next_hop[out].resolved ? &kernel_->next_hop[out].mac : nullptr;
    case Port::NextHopMode::kernel_routes:
        break;
    }
    // The kernel's routing table picks the next hop of each packet; an unresolved one is asked
    // for (no system call here: the mirror thread does the asking).
    bool routed = false;
    const Mac* mac = nullptr;
    if (to_ipv6) {
        siit::Ipv6Address next_hop;
        mac = kernel_->routing[out].resolve6(siit::Ipv6Address::from_bytes(packet + 24), routed,
                                             next_hop);
        if (!mac && routed) context_.mirror->want(out, next_hop.bytes.data(), true);
    } else {
        std::uint32_t next_hop = 0;
        mac = kernel_->routing[out].resolve4(siit::load32(packet + 16), routed, next_hop);
        std::uint8_t bytes[4];
        siit::store32(bytes, next_hop);
        if (!mac && routed) context_.mirror->want(out, bytes, false);
    }
    why = routed ? ShellCounter::drop_neighbour_unresolved : ShellCounter::drop_no_route;
    return mac;
}

// Sets the mbuf to the translated packet, writes its L2 header for port `out`, and queues it.
template <bool kCapture>
void Worker::enqueue(std::size_t out, rte_mbuf* m, const siit::PacketBuffer& packet,
                     const std::array<std::uint8_t, 6>& dst, const Frame& frame, CaptureKind kind) {
    const Port& port = context_.ports[out];
    TxQueue& q = tx_[out];
    const std::uint32_t l2 = port.l3 ? 0 : frame.tagged ? 18 : 14;
    if (packet.headroom < l2 || q.count == std::size(q.mbufs)) {
        stats_.add(ShellCounter::tx_dropped);
        rte_pktmbuf_free(m);
        return;
    }
    std::uint8_t* start = packet.data - l2;
    if (l2) write_l2(start, dst, port.mac, frame.vlan_tci, frame.tagged, packet.data[0] >> 4);
    m->data_off = static_cast<std::uint16_t>(start - static_cast<std::uint8_t*>(m->buf_addr));
    m->data_len = static_cast<std::uint16_t>(packet.length + l2);
    m->pkt_len = packet.length + l2;
    q.mbufs[q.count++] = m;
    if constexpr (kCapture) capture_.sent(m, out, kind);
}

// One TX burst per port that has packets; what the port does not take is dropped, counted.
void Worker::flush_tx() {
    const auto tx_queue = static_cast<std::uint16_t>(plan_.index);
    for (std::size_t p = 0; p < tx_.size(); ++p) {
        TxQueue& q = tx_[p];
        if (q.count == 0) continue;
        const std::uint16_t sent = rte_eth_tx_burst(context_.ports[p].id, tx_queue, q.mbufs,
                                                    static_cast<std::uint16_t>(q.count));
        stats_.add(ShellCounter::tx_packets, sent);
        stats_.port_tx[p] += sent;
        if (sent < q.count) {
            stats_.add(ShellCounter::tx_dropped, q.count - sent);
            rte_pktmbuf_free_bulk(q.mbufs + sent, q.count - sent);
        }
        q.count = 0;
    }
}

} // namespace siitd
