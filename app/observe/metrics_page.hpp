// The page siitd serves to Prometheus (`metrics`): every counter with its description as HELP,
// by worker, and labelled by direction and protocol where its name has them; the ports'
// statistics and links; each worker's busy time per packet; the mbuf pool; the running EAMT's
// size, version, digest and when it last changed; the announce interface and the drain.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace siit {
struct TranslationVersion;
}

namespace siitd {

class Announcer;
class Dataplane;

class MetricsPage {
  public:
    explicit MetricsPage(const Dataplane& dataplane);
    // The control thread (the only writer of the translation state), at start and at each tick:
    // takes note of the running version's EAMT when it changed. The page itself runs on the
    // metrics server's thread, which must not hold a version that the control thread may free.
    void observe(const siit::TranslationVersion& version);
    // Shows the announce interface and the drain (none: not shown). Any thread.
    void set_announcer(const Announcer* announcer) {
        announcer_.store(announcer, std::memory_order_release);
    }
    // The whole page, Prometheus text format. Any thread.
    std::string render() const;

  private:
    const Dataplane& dataplane_;
    std::atomic<const Announcer*> announcer_{nullptr};
    double start_time_unix_ = 0;
    mutable std::mutex mutex_; // guards the EAMT summary below
    std::uint64_t eamt_version_ = 0;
    std::uint64_t eamt_entries_ = 0;
    std::string eamt_digest_;
    double eamt_changed_unix_ = 0;
};

} // namespace siitd
