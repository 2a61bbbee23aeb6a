// siitd's counters: every translator outcome (lib/siit/counters.hpp) plus what the shell itself
// counts. One block per worker, cache-line separated, written only by its worker; readers sum.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "ports/port.hpp"
#include "siit/counters.hpp"

struct rte_mempool;

namespace siitd {

#define SIITD_SHELL_COUNTERS(X)                                                                    \
    X(rx_packets, "packets received")                                                              \
    X(tx_packets, "packets sent")                                                                  \
    X(tx_dropped, "packets the NIC's TX queue did not take")                                       \
    X(drop_not_ip, "frames neither IPv4 nor IPv6, on a port without a kernel interface")           \
    X(to_kernel,                                                                                   \
      "frames handed to the kernel interface (ARP, NDP, multicast, the box's addresses)")          \
    X(from_kernel, "frames the kernel sent out through a port")                                    \
    X(drop_kernel_busy, "frames to or from the kernel interface its queue did not take")           \
    X(drop_kernel_rate_limited,                                                                    \
      "frames for the box's kernel over kernel-packets-per-second (a flood to the box)")           \
    X(drop_neighbour_unresolved, "translated packets whose next hop the kernel has not resolved")  \
    X(drop_no_route, "translated packets the kernel has no route for (next-hop \"kernel\")")       \
    X(drop_multi_segment, "multi-segment mbufs (jumbo frames need a larger mbuf size)")            \
    X(drop_runt_frame, "frames shorter than their Ethernet header")                                \
    X(drop_frame_over_mtu,                                                                         \
      "frames longer than the mtu of a port over a kernel interface (net_af_packet, "              \
      "net_af_xdp): a peer's TSO or GSO segments handed over unsplit (docs/router-box.md)")        \
    X(icmp_errors_sent, "ICMP errors the translator generated and sent")                           \
    X(icmp_errors_rate_limited, "ICMP errors not sent: the per-worker token bucket was empty")     \
    X(busy_cycles, "TSC cycles from a poll's first receive that brought packets to its "           \
                   "transmissions flushed (per packet received: cycles per packet)")

enum class ShellCounter : std::uint16_t {
#define SIITD_ENUM(name, description) name,
    SIITD_SHELL_COUNTERS(SIITD_ENUM)
#undef SIITD_ENUM
        count
};

// A shell counter's name (static storage).
const char* shell_counter_name(ShellCounter counter);

struct alignas(64) WorkerStats {
    std::array<std::uint64_t, siit::kCounterCount> translator{};
    std::array<std::uint64_t, static_cast<std::size_t>(ShellCounter::count)> shell{};
    std::array<std::uint64_t, kMaxPorts> port_rx{}, port_tx{}; // by port index
    void add(siit::Counter c) { ++translator[static_cast<std::size_t>(c)]; }
    void add(ShellCounter c, std::uint64_t n = 1) { shell[static_cast<std::size_t>(c)] += n; }
};

// Sums every worker's counters into (name, value) pairs, shell counters first.
std::vector<std::pair<std::string, std::uint64_t>>
sum_stats(const std::vector<WorkerStats>& workers);
// The mbufs of siitd's pools (one per NUMA socket with ports), summed: `in_use` returns to its
// idle level when traffic stops, or something leaks.
struct MbufCounts {
    std::uint64_t size = 0, available = 0, in_use = 0;
};
MbufCounts count_mbufs(const std::vector<rte_mempool*>& pools);
// A worker's cost per packet, in nanoseconds: its busy time (busy_cycles: from each poll's first
// receive that brought packets to the end of its flush) over the packets received from ports and
// from the kernel. What the packets cost in the bursts they came in: at a light load, bursts of
// one or two packets cost more per packet than full ones; idle polls and time descheduled never
// count.
double busy_ns_per_packet(const WorkerStats& worker);
// Every counter's name and one line saying what it counts, in sum_stats' order
// (`siitctl stats --explain`).
std::vector<std::pair<std::string, std::string>> counter_descriptions();
// The same as a JSON object, for `--stats-json` and the control socket.
std::string stats_json(const std::vector<WorkerStats>& workers);
// Serves the sums, and the mbuf pools' counts (mbufs_size, mbufs_available, mbufs_in_use), as
// DPDK telemetry command /siitd/stats (dpdk-telemetry.py shows it). The workers' counters must
// outlive the EAL.
void register_telemetry(const std::vector<WorkerStats>& workers,
                        const std::vector<rte_mempool*>& pools);
// Stops serving them (before the workers' counters go away); the command then answers empty.
void unregister_telemetry();

} // namespace siitd
