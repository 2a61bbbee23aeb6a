// Where the workers and mbuf pools go (app/dataplane/placement.cpp), on the layouts this machine
// cannot show: two NUMA sockets, NICs on both, workers on either.
#include <catch2/catch.hpp>

#include "dataplane/placement.hpp"

using namespace siitd;

using Queues = std::vector<std::pair<std::uint16_t, std::uint16_t>>;

TEST_CASE("placement: RX queues are dealt round robin over the worker lcores", "[placement]") {
    // Two ports of two queues each, three worker lcores.
    const auto plans = plan_workers({2, 2}, {2, 3, 4}, 0);
    REQUIRE(plans.size() == 3);
    CHECK(plans[0].lcore == 2);
    CHECK(plans[0].rx == Queues{{0, 0}, {1, 1}});
    CHECK(plans[1].rx == Queues{{0, 1}});
    CHECK(plans[2].rx == Queues{{1, 0}});
    CHECK(plans[2].index == 2);
    // More lcores than queues: one worker per queue, the other lcores idle.
    CHECK(plan_workers({1, 1}, {1, 2, 3, 4}, 0).size() == 2);
    // No worker lcore: one worker on the main lcore polls everything.
    const auto alone = plan_workers({2, 1}, {}, 5);
    REQUIRE(alone.size() == 1);
    CHECK(alone[0].lcore == 5);
    CHECK(alone[0].rx == Queues{{0, 0}, {0, 1}, {1, 0}});
}

TEST_CASE("placement: one mbuf pool per NUMA socket with ports, in port order", "[placement]") {
    CHECK(pool_sockets({1, 0, 1}, 0) == std::vector<int>{1, 0});
    CHECK(pool_sockets({0, 0}, 1) == std::vector<int>{0});
    // Virtual devices have no socket: the pool goes where the main lcore is.
    CHECK(pool_sockets({-1, -1}, 1) == std::vector<int>{1});
    // A NIC and a virtual device: the NIC's socket only.
    CHECK(pool_sockets({-1, 1}, 0) == std::vector<int>{1});
}

TEST_CASE("placement: a queue or worker takes its socket's pool, else the first", "[placement]") {
    const std::vector<int> sockets{1, 0};
    CHECK(pool_for_socket(sockets, 1) == 0);
    CHECK(pool_for_socket(sockets, 0) == 1);
    CHECK(pool_for_socket(sockets, 3) == 0); // a worker on a socket without ports
    CHECK(pool_for_socket(sockets, -1) == 0);
}

TEST_CASE("placement: a worker on another socket than its port is warned about, once",
          "[placement]") {
    // Port wan on socket 0, port lan on socket 1; lcores 0-3 on socket 0, 4-7 on socket 1.
    const auto socket_of = [](unsigned lcore) { return lcore < 4 ? 0 : 1; };
    const std::vector<int> port_sockets{0, 1};
    const std::vector<std::string> names{"wan", "lan"};
    // Worker 0 (lcore 1) polls wan:0 and lan:1; worker 1 (lcore 5) polls wan:1 and lan:0.
    const auto plans = plan_workers({2, 2}, {1, 5}, 0);
    const auto warnings = cross_socket_warnings(plans, port_sockets, names, socket_of);
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[0] == "worker 0 on lcore 1 (NUMA socket 0) serves port lan on socket 1: every "
                         "frame crosses sockets; give -l lcores of socket 1");
    CHECK(warnings[1] == "worker 1 on lcore 5 (NUMA socket 1) serves port wan on socket 0: every "
                         "frame crosses sockets; give -l lcores of socket 0");
    // Each port's queues on workers of its own socket: nothing to say.
    const auto own = plan_workers({1, 1}, {1, 5}, 0);
    CHECK(cross_socket_warnings(own, port_sockets, names, socket_of).empty());
    // Virtual devices (no socket) are never warned about.
    CHECK(cross_socket_warnings(plans, {-1, -1}, names, socket_of).empty());
    // Two queues of one port on one worker: one warning, not two.
    const auto both = plan_workers({0, 2}, {1}, 0);
    CHECK(cross_socket_warnings(both, port_sockets, names, socket_of).size() == 1);
}
