// Where the workers and the mbuf pools go: each (port, RX queue) to a worker lcore, one mbuf pool
// per NUMA socket with ports, and which pool each RX queue and each worker takes from. Decided from
// the sockets DPDK reports, without DPDK itself, so that a two-socket layout is tested on any
// machine (tests/app/test_placement.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace siitd {

// One worker polls some (port, RX queue) pairs and owns TX queue `index` on every port.
struct WorkerPlan {
    unsigned index = 0;
    unsigned lcore = 0;
    std::vector<std::pair<std::uint16_t, std::uint16_t>> rx; // (port index, queue)
};

// Every port's RX queues, dealt round robin over the worker lcores (at most one worker per queue);
// without worker lcores, one worker on the main lcore polls them all.
std::vector<WorkerPlan> plan_workers(const std::vector<std::uint16_t>& rx_queues_per_port,
                                     const std::vector<unsigned>& worker_lcores,
                                     unsigned main_lcore);

// The NUMA sockets that get an mbuf pool: those of the ports, in port order, each once (a NIC's
// frames are written into memory on its own socket). Virtual devices report no socket (-1); with
// no port on a known socket, the one pool is on the main lcore's.
std::vector<int> pool_sockets(const std::vector<int>& port_sockets, int main_socket);

// The pool for `socket`: the one on that socket, or the first where there is none (a worker on a
// socket without ports).
std::size_t pool_for_socket(const std::vector<int>& pool_sockets, int socket);

// A warning for each worker that serves a port on another socket than its lcore's: every frame
// then crosses the interconnect.
std::vector<std::string> cross_socket_warnings(const std::vector<WorkerPlan>& plans,
                                               const std::vector<int>& port_sockets,
                                               const std::vector<std::string>& port_names,
                                               const std::function<int(unsigned)>& lcore_socket);

} // namespace siitd
