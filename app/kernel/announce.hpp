// The announce interface (deploy/fleet.md): a tap siitd holds for as long as it runs, whose
// carrier tells the box's routing daemon whether this box should be sent traffic. The carrier is
// on while the workers translate, every port that faces a network has its link, and the box is
// not draining; off otherwise. The tap goes with the process (SIGKILL, a crash), which a routing
// daemon sees as the interface gone. The shipped BIRD configuration (deploy/bird/siitd-fleet.conf)
// announces the pools through static routes via this interface under `check link`, so that each
// of those events withdraws them; a hang (the tap stays up) is BFD's to catch.
//
// Draining (`siitctl drain`): the carrier goes off, the announcements go, and the workers go on
// translating whatever still arrives until the neighbours have moved their traffic elsewhere.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "dataplane/stats.hpp"
#include "ports/port.hpp"

namespace siitd {

class Announcer {
  public:
    // `interface`: the tap's name; `ports` and `stats` are the data plane's, read to decide the
    // carrier and to count what still arrives.
    Announcer(std::string interface, const std::vector<Port>& ports,
              const std::vector<WorkerStats>& stats);
    ~Announcer();
    // Creates the tap, up with its carrier off, and starts the thread that keeps the carrier.
    // False, with the reason, when the kernel refuses (the name taken, no CAP_NET_ADMIN).
    bool start(std::string& error);
    // Carrier off, then the tap goes.
    void stop();
    // The workers translate from now on: the carrier may come on.
    void set_translating() { translating_.store(true, std::memory_order_release); }
    // Starts (true) or ends (false) draining. Returns whether this changed anything.
    bool set_draining(bool draining);
    bool draining() const { return draining_.load(std::memory_order_acquire); }
    bool carrier() const { return carrier_.load(std::memory_order_acquire); }
    // `status`'s "announce": the interface, its carrier and why, draining since when, and the
    // packets per second that arrived for translation over the last second.
    nlohmann::json state_json() const;
    // Packets per second that arrived from the networks for translation (not for the box's
    // kernel) over the last second.
    std::uint64_t arriving_per_second() const {
        return arriving_per_second_.load(std::memory_order_relaxed);
    }
    const std::string& interface() const { return interface_; }

  private:
    void run();
    // Sets the carrier to what it should be now, and logs a change. Either thread.
    void follow();
    // Why the carrier should be off now; empty when it should be on.
    std::string reason_off() const;
    bool set_carrier(bool on);
    void sample_arrivals();

    std::string interface_;
    const std::vector<Port>& ports_;
    const std::vector<WorkerStats>& stats_;
    int tap_ = -1;
    std::thread thread_;
    std::atomic<bool> stop_{false}, translating_{false}, draining_{false}, carrier_{false};
    std::atomic<std::uint64_t> arriving_per_second_{0};
    std::mutex follow_mutex_;  // one follow() at a time
    mutable std::mutex mutex_; // guards the fields below
    std::string off_because_ = "starting";
    std::optional<std::chrono::system_clock::time_point> draining_since_;
    // The last second's samples of the packets that arrived for translation: (when, total).
    std::vector<std::pair<std::chrono::steady_clock::time_point, std::uint64_t>> samples_;
};

} // namespace siitd
