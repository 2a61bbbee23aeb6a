// The workers' launch and join; see dataplane.hpp (ports and mempool: ports.cpp; what a worker
// does with each burst: worker.cpp).
#include "dataplane/dataplane.hpp"

#include <rte_launch.h>
#include <rte_lcore.h>

#include "dataplane/worker.hpp"

namespace siitd {

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

void Dataplane::run(const std::atomic<bool>& stop, unsigned exit_idle_ms,
                    const std::function<void()>& running) {
    launch(stop, exit_idle_ms);
    if (running) running();
    // Without worker lcores the one worker runs here, on the main lcore.
    for (unsigned w = 0; w < plans_.size(); ++w)
        if (plans_[w].lcore == rte_get_main_lcore()) worker_loop(w);
    wait();
}

siit::LinkMtus Dataplane::link_mtus() const {
    return {ports_[static_cast<std::size_t>(ipv6_port_)].config.mtu,
            ports_[static_cast<std::size_t>(ipv4_port_)].config.mtu};
}

void Dataplane::worker_loop(unsigned index) {
    // The worker allocates (fragments, ICMP errors) from the pool of its own socket.
    rte_mempool* pool =
        pool_for_socket(static_cast<int>(rte_lcore_to_socket_id(plans_[index].lcore)));
    const WorkerContext context{config_, state_,     qsbr_,      ports_,      pool,
                                mirror_, ipv4_port_, ipv6_port_, link_mtus(), capture_};
    Worker(context, plans_[index], stats_[index]).run(*stop_, exit_idle_ms_);
}

} // namespace siitd
