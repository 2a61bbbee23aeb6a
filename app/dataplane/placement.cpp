// Where the workers and the mbuf pools go; see placement.hpp.
#include "dataplane/placement.hpp"

#include <algorithm>

namespace siitd {

std::vector<WorkerPlan> plan_workers(const std::vector<std::uint16_t>& rx_queues_per_port,
                                     const std::vector<unsigned>& worker_lcores,
                                     unsigned main_lcore) {
    std::vector<std::pair<std::uint16_t, std::uint16_t>> queues;
    for (std::uint16_t p = 0; p < rx_queues_per_port.size(); ++p)
        for (std::uint16_t q = 0; q < rx_queues_per_port[p]; ++q)
            queues.emplace_back(p, q);
    const std::size_t count =
        worker_lcores.empty()
            ? 1
            : std::max<std::size_t>(1, std::min(worker_lcores.size(), queues.size()));
    std::vector<WorkerPlan> plans(count);
    for (unsigned w = 0; w < count; ++w) {
        plans[w].index = w;
        plans[w].lcore = worker_lcores.empty() ? main_lcore : worker_lcores[w];
    }
    for (std::size_t i = 0; i < queues.size(); ++i)
        plans[i % count].rx.push_back(queues[i]);
    return plans;
}

std::vector<int> pool_sockets(const std::vector<int>& port_sockets, int main_socket) {
    std::vector<int> sockets;
    for (const int s : port_sockets)
        if (s >= 0 && std::find(sockets.begin(), sockets.end(), s) == sockets.end())
            sockets.push_back(s);
    if (sockets.empty()) sockets.push_back(main_socket);
    return sockets;
}

std::size_t pool_for_socket(const std::vector<int>& pool_sockets, int socket) {
    const auto found = std::find(pool_sockets.begin(), pool_sockets.end(), socket);
    return found == pool_sockets.end() ? 0 : static_cast<std::size_t>(found - pool_sockets.begin());
}

std::vector<std::string> cross_socket_warnings(const std::vector<WorkerPlan>& plans,
                                               const std::vector<int>& port_sockets,
                                               const std::vector<std::string>& port_names,
                                               const std::function<int(unsigned)>& lcore_socket) {
    std::vector<std::string> warnings;
    for (const auto& plan : plans)
        for (const auto& [port_index, unused_queue] : plan.rx) {
            const int socket = port_sockets[port_index];
            const int own = lcore_socket(plan.lcore);
            if (socket < 0 || own == socket) continue;
            const std::string text =
                "worker " + std::to_string(plan.index) + " on lcore " + std::to_string(plan.lcore) +
                " (NUMA socket " + std::to_string(own) + ") serves port " + port_names[port_index] +
                " on socket " + std::to_string(socket) +
                ": every frame crosses sockets; give -l lcores of socket " + std::to_string(socket);
            if (std::find(warnings.begin(), warnings.end(), text) == warnings.end())
                warnings.push_back(text);
        }
    return warnings;
}

} // namespace siitd
