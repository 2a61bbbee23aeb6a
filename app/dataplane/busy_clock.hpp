// A worker's busy time (stats.hpp's busy_cycles), measured so that it means one thing at every
// load: in each poll, from the start of the first receive that brought packets to the end of the
// poll's transmit flush. The time before that receive is idle, however long: an empty receive, or
// the worker descheduled while packets queued up, which, counted, made each packet of a light
// load look a thousand times dearer than it is. A receive that itself took longer than
// kDescheduledMicroseconds was descheduled within: its packets' busy time starts when it returned.
// (One TSC read before each receive and one after a receive that brought packets: about a cycle
// per packet at full bursts, next to the 100 ns a packet costs.)
#pragma once

#include <rte_cycles.h>

#include <cstdint>

namespace siitd {

class BusyClock {
  public:
    // No receive of a burst takes this long unless the thread lost its CPU within it (a burst of
    // 32 copied frames on af_packet takes about 2 us; a scheduler's slice is milliseconds).
    static constexpr std::uint64_t kDescheduledMicroseconds = 50;

    explicit BusyClock(std::uint64_t tsc_hz)
        : descheduled_cycles_(tsc_hz / 1000000 * kDescheduledMicroseconds) {}

    // The TSC just before a receive.
    static std::uint64_t now() { return rte_get_tsc_cycles(); }
    // A receive that began at `began` brought `n` packets: the first of the poll starts its busy
    // time.
    void received(std::uint16_t n, std::uint64_t began) {
        if (n == 0 || since_ != 0) return;
        const std::uint64_t returned = now();
        since_ = returned - began < descheduled_cycles_ ? began : returned;
    }
    // The poll's busy cycles once its transmissions are flushed at `end` (0 when nothing came),
    // and the clock ready for the next poll.
    std::uint64_t poll_done(std::uint64_t end) {
        const std::uint64_t busy = since_ != 0 ? end - since_ : 0;
        since_ = 0;
        return busy;
    }

  private:
    std::uint64_t descheduled_cycles_;
    std::uint64_t since_ = 0; // TSC when this poll's first packets began to be received; 0: none
};

} // namespace siitd
