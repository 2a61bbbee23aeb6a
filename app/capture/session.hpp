// What the workers and the capture writer share while `siitctl capture` runs (capture.hpp starts
// and ends it; capture/recorder.hpp is a worker's side). With no capture running the workers see
// a null session: one load per burst, nothing per packet.
#pragma once

#include <pcap/pcap.h>
#include <rte_mbuf.h>

#include <array>
#include <atomic>
#include <cstdint>

#include "config/config_file.hpp"

struct rte_ring;

namespace siitd {

// What a captured copy is: the pcapng comment and direction flag say it to the reader.
enum class CaptureKind : std::uint8_t {
    received,    // came in, and was translated (what went out for it follows, same id)
    sent,        // went out: the translation of the received packet with its id
    error_sent,  // went out: an ICMP error siitd generated for the received packet with its id
    dropped,     // came in and was dropped; the reason is the counter it was counted in
    to_kernel,   // came in for the box's own kernel (ARP, NDP, its addresses)
    from_kernel, // went out: sent by the box's kernel
};

// The metadata of one captured copy, kept in its mbuf's private area.
struct CaptureRecord {
    std::uint64_t id = 0;    // the pair's: worker << 48 | its sequence number
    std::uint64_t tsc = 0;   // when the worker saw it
    const char* reason = ""; // the counter it was counted in (static storage)
    std::uint32_t original_length = 0;
    std::uint16_t port = 0; // port index
    CaptureKind kind = CaptureKind::received;
};

// One capture while it runs. The workers only read it, except the counters.
struct CaptureSession {
    // A pair (what came in and what went out for it) is kept when it came in on a port in
    // rx_ports, or something of it went out on a port in tx_ports (a bit per port index), and the
    // filter, if any, matches one of its packets.
    std::uint64_t rx_ports = 0, tx_ports = 0;
    bool filtered = false;
    bpf_program filter_ethernet{}, filter_raw{}; // for Ethernet ports and for L3 ports (net_tun)
    std::uint32_t snaplen = 0;
    rte_ring* ring = nullptr;    // workers enqueue (multi-producer), the writer dequeues
    rte_mempool* pool = nullptr; // the copies' own mbufs: a capture never takes traffic's
    // Pairs the capture lost (its ring or its pool full, or what the writer had not yet sent),
    // by the port they came in by: the capture's loss, never traffic's.
    std::array<std::atomic<std::uint64_t>, kMaxPorts> lost{};
};

// A copy's metadata (the capture pool's mbufs have room for it).
inline CaptureRecord& capture_record(rte_mbuf* copy) {
    return *static_cast<CaptureRecord*>(rte_mbuf_to_priv(copy));
}

} // namespace siitd
