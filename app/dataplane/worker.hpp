// One worker: the loop that moves a burst of frames through lib/'s translator, as named stages.
// Each poll: the kernel taps (worker 0), then for each of its RX queues a burst that is
// prefetched, and each frame classified (L2, VLAN, family, exception path), translated, sent to
// the egress its verdict names with its next hop's MAC, and queued; then every TX queue is
// flushed and the worker reports a quiescent state. Fast path rules: no lock, no allocation
// besides mbufs, no system call.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "capture/recorder.hpp"
#include "dataplane/busy_clock.hpp"
#include "dataplane/dataplane.hpp"
#include "dataplane/mbuf_allocator.hpp"
#include "dataplane/token_bucket.hpp"
#include "siit/translator.hpp"

struct rte_mbuf;

namespace siitd {

struct KernelView;

// What every worker shares, read-only while they run (the Dataplane owns it).
struct WorkerContext {
    const Config& config;
    siit::TranslationState& state;
    RteQsbr& qsbr;
    const std::vector<Port>& ports;
    rte_mempool* pool;
    const KernelMirror* mirror; // null: no kernel interfaces
    int ipv4_port, ipv6_port;   // indexes into ports; equal when one-armed
    siit::LinkMtus link_mtus;   // the MTUs of ipv6_port and ipv4_port
    // The capture running now (siitctl capture), or null: read once per burst.
    const std::atomic<const CaptureSession*>& capture;
};

// The signals of DPDK's tap/tun Rx trigger (SIGIO and the real-time ones) blocked in the calling
// thread and the threads it creates later; Worker::run takes them back for its own thread.
void block_queue_signal();

class Worker {
  public:
    Worker(const WorkerContext& context, const WorkerPlan& plan, WorkerStats& stats);
    // Polls until `stop`, or until no packet arrived for `exit_idle_ms` (0: never).
    void run(const std::atomic<bool>& stop, unsigned exit_idle_ms);

  private:
    // A frame's link layer, as classify() read it.
    struct Frame {
        std::uint16_t ethertype = 0;
        std::uint16_t l2 = 0; // bytes before the IP header
        std::uint16_t vlan_tci = 0;
        bool tagged = false;
        std::array<std::uint8_t, 6> sender{}; // its source MAC, where a reply goes
    };
    enum class Class : std::uint8_t { ip, kernel, dropped };
    // Packets waiting for one egress port's TX burst.
    struct TxQueue {
        rte_mbuf* mbufs[512];
        unsigned count = 0;
    };

    // The stages, in the order a burst meets them.
    unsigned poll_kernel_taps();
    void prefetch_burst(const Port& in, std::uint16_t n);
    void prefetch_ahead(std::uint16_t i, std::uint16_t n);
    // A received burst's frames, classified and translated one by one; kCapture: a capture runs.
    template <bool kCapture>
    void process_burst(std::size_t port_index, const Port& in, std::uint16_t n);
    template <bool kCapture>
    Class classify(rte_mbuf* m, std::size_t in_port, const Port& in, Frame& frame);
    template <bool kCapture>
    void translate(rte_mbuf* m, std::size_t in_port, const Frame& frame,
                   const siit::PacketLookups* looked_up);
    // The egress port of a verdict (its table is in worker.cpp), and the MAC it goes to there:
    // null with the drop counter in `why` when the next hop is unknown.
    std::size_t egress_port(siit::Action action, std::size_t in_port, bool from_ipv4) const;
    const std::array<std::uint8_t, 6>* next_hop_mac(std::size_t out, const std::uint8_t* packet,
                                                    bool to_ipv6, ShellCounter& why) const;
    template <bool kCapture>
    void enqueue(std::size_t out, rte_mbuf* m, const siit::PacketBuffer& packet,
                 const std::array<std::uint8_t, 6>& dst, const Frame& frame, CaptureKind kind);
    void flush_tx();

    const WorkerContext& context_;
    const WorkerPlan& plan_;
    WorkerStats& stats_;
    const siit::TranslationVersion* version_;
    siit::Translator translator_;
    MbufAllocator allocator_;
    TokenBucket icmp_bucket_;
    const KernelView* kernel_ = nullptr;
    bool staged_ = false;
    BusyClock busy_;
    std::vector<TxQueue> tx_;
    rte_mbuf* rx_[256];
    siit::PacketLookups ahead_[256]; // rx_[i]'s EAMT lookups, made ahead when staged_
    // Last: the rarely used, out of the cache lines the translation uses.
    TokenBucket kernel_bucket_; // frames to the kernel interfaces (kernel-packets-per-second)
    CaptureRecorder capture_;   // its pair buffer
};

} // namespace siitd
