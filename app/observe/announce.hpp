// The announce interface (deploy/fleet.md): a tap siitd holds for as long as it runs, which is up
// only while this box should be sent traffic: while the workers translate, every port that faces a
// network has its link, and the box is not draining. Otherwise siitd takes it down; and it goes
// with the process (SIGKILL, a crash). The shipped BIRD configuration
// (deploy/bird/siitd-fleet.conf) announces the pools through static routes via this interface, so
// that each of those events withdraws them; a hang (the interface stays up) is BFD's to catch.
//
// Up and down, not the carrier: the kernel reports an administrative change at once, while a
// carrier change waits for its link watch, which holds an event for up to a second after the
// previous one (a lost port's link and its kernel interface's carrier are such events).
//
// Draining (`siitctl drain`): the interface goes down, the announcements go, and the workers go on
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
    // `interface`: the tap's name; `ports` and `stats` are the data plane's, read to decide
    // whether the interface is up and to count what still arrives.
    Announcer(std::string interface, const std::vector<Port>& ports,
              const std::vector<WorkerStats>& stats);
    ~Announcer();
    // Creates the tap, down, and starts the thread that keeps it up or down. False, with the
    // reason, when the kernel refuses (the name taken, no CAP_NET_ADMIN).
    bool start(std::string& error);
    // Down, then the tap goes.
    void stop();
    // The workers translate from now on: the interface may come up.
    void set_translating() { translating_.store(true, std::memory_order_release); }
    // Starts (true) or ends (false) draining, and brings the interface down or up at once.
    // Returns whether this changed anything.
    bool set_draining(bool draining);
    bool draining() const { return draining_.load(std::memory_order_acquire); }
    bool up() const { return up_.load(std::memory_order_acquire); }
    // `status`'s and `drain`'s "announce": the interface, up or down and why, draining since
    // when, and the packets per second that arrived for translation over the last second.
    nlohmann::json state_json() const;
    // Packets per second that arrived from the networks for translation (not for the box's
    // kernel) over the last second.
    std::uint64_t arriving_per_second() const {
        return arriving_per_second_.load(std::memory_order_relaxed);
    }
    const std::string& interface() const { return interface_; }

  private:
    void run();
    // Why the interface should be down now; empty when it should be up.
    std::string reason_down() const;
    // Brings the interface up or down, and logs the change. Either thread.
    void follow();
    bool set_up(bool up);
    void sample_arrivals();

    std::string interface_;
    const std::vector<Port>& ports_;
    const std::vector<WorkerStats>& stats_;
    int tap_ = -1;
    std::thread thread_;
    std::atomic<bool> stop_{false}, translating_{false}, draining_{false}, up_{false};
    std::atomic<std::uint64_t> arriving_per_second_{0};
    std::mutex follow_mutex_;  // one follow() at a time
    mutable std::mutex mutex_; // guards the fields below
    std::string down_because_ = "starting";
    std::optional<std::chrono::system_clock::time_point> draining_since_;
    // The last second's samples of the packets that arrived for translation: (when, total).
    std::vector<std::pair<std::chrono::steady_clock::time_point, std::uint64_t>> samples_;
};

} // namespace siitd
