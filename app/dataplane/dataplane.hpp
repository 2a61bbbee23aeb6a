// The DPDK shell: ports, queues, mbufs and the workers that move packets between them through
// lib/'s translator (one Worker each, worker.hpp). Fast path rules: no lock, no allocation besides
// mbufs, no system call.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/config_file.hpp"
#include "dataplane/placement.hpp"
#include "dataplane/rcu_qsbr.hpp"
#include "dataplane/stats.hpp"
#include "ports/port.hpp"
#include "siit/link_mtus.hpp"
#include "siit/translation_state.hpp"

struct rte_mempool;

namespace siitd {

struct KernelView;
struct CaptureSession;

class KernelMirror;

class Dataplane {
  public:
    // `state` holds the settings and EAMT the workers translate with; start() fills in the MTUs of
    // the ports.
    Dataplane(const Config& config, siit::TranslationState& state, RteQsbr& qsbr);
    // Configures and starts every port. Returns false, with a message, when a port cannot be used.
    bool start(std::string& error);
    // Creates the kernel interface (net_tap) of physical port `index`, with the port's MAC.
    bool start_kernel_interface(std::size_t index, unsigned worker_count, std::string& error);
    // Runs every worker (on worker lcores, and on the calling lcore when there are none) until
    // `stop` is set, or until no packet arrived for `exit_idle_ms` (0: never). `running` is called
    // once the workers on other lcores are launched, before the calling lcore's own starts.
    void run(const std::atomic<bool>& stop, unsigned exit_idle_ms,
             const std::function<void()>& running = {});
    // The same in two steps, for callers that keep the main lcore busy (benchmarks): launch()
    // starts the workers on worker lcores (false when there are none), wait() joins them.
    bool launch(const std::atomic<bool>& stop, unsigned exit_idle_ms);
    void wait();
    void shutdown();
    const std::vector<WorkerStats>& stats() const { return stats_; }
    unsigned worker_count() const { return static_cast<unsigned>(plans_.size()); }
    const std::vector<WorkerPlan>& plans() const { return plans_; }
    const std::vector<Port>& ports() const { return ports_; }
    // The MTUs of the links translated packets leave by: those of the IPv6 and IPv4 ports.
    siit::LinkMtus link_mtus() const;
    // The mbuf pools, one per NUMA socket that has ports (empty before start()): a port's RX
    // queues take from its socket's, a worker allocates from its lcore's.
    const std::vector<rte_mempool*>& mempools() const { return pools_; }
    // The kernel's neighbours and addresses, for ports with a kernel interface; set before run().
    void set_kernel_mirror(const KernelMirror* mirror) { mirror_ = mirror; }

    // The capture running now, which every worker reads once per burst (Capture publishes it).
    std::atomic<const CaptureSession*>& capture_session() { return capture_; }

    // The loop of worker `index`; public for rte_eal_remote_launch's trampoline.
    void worker_loop(unsigned index);

  private:
    const Config& config_;
    siit::TranslationState& state_;
    RteQsbr& qsbr_;
    std::vector<Port> ports_;
    std::vector<WorkerPlan> plans_;
    std::vector<WorkerStats> stats_;
    std::vector<rte_mempool*> pools_;
    std::vector<int> pool_sockets_; // pools_[i] is on NUMA socket pool_sockets_[i]
    // The pool on `socket`, or the first one (ports and lcores of no known socket).
    rte_mempool* pool_for_socket(int socket) const;
    const KernelMirror* mirror_ = nullptr;
    const std::atomic<bool>* stop_ = nullptr;
    std::vector<std::pair<Dataplane*, unsigned>> launch_args_; // rte_eal_remote_launch's arguments
    unsigned exit_idle_ms_ = 0;
    std::atomic<const CaptureSession*> capture_{nullptr};
    int ipv4_port_ = -1, ipv6_port_ = -1; // indexes into ports_; equal when one-armed
};

} // namespace siitd
