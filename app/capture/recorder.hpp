// A worker's side of `siitctl capture`: it copies what came in before translation changes it,
// and each packet that went out for it, as one pair with one id, then hands the pair to the
// capture's ring whole (or counts it lost). The copies come from the capture's own pool and the
// ring never waits: a capture that cannot keep up loses capture records, never traffic.
#pragma once

#include <cstdint>
#include <vector>

#include "capture/session.hpp"
#include "ports/port.hpp"

namespace siitd {

class CaptureRecorder {
  public:
    CaptureRecorder(unsigned worker, const std::vector<Port>& ports)
        : ports_(ports), next_id_(std::uint64_t{worker} << 48) {}
    // Once per burst: the session running now (null: none, and every call below is skipped by
    // the worker's `on()` test).
    void set_session(const CaptureSession* session) { session_ = session; }
    bool on() const { return session_ != nullptr; }

    // Starts a pair with a copy of what came in on port `port` (before translation).
    void received(const rte_mbuf* m, std::size_t port);
    // Adds a packet that went out on `port` for the pair's input: `m` as it leaves.
    void sent(const rte_mbuf* m, std::size_t port, CaptureKind kind);
    // Ends the pair: its input is marked with `kind` and the counter it was counted in (a name in
    // static storage: counter_name()'s views are of NUL-terminated literals).
    void finish(CaptureKind input_kind, const char* reason);
    // A lone packet: one the kernel sent (from_kernel) or one dropped before it was a pair.
    void single(const rte_mbuf* m, std::size_t port, CaptureKind kind, const char* reason) {
        if (kind == CaptureKind::from_kernel) {
            sent(m, port, kind);
            finish(kind, reason);
        } else {
            received(m, port);
            finish(kind, reason);
        }
    }

  private:
    // Copies `m` into the pair; false when it could not (the pair is then incomplete).
    bool add(const rte_mbuf* m, std::size_t port, CaptureKind kind);
    bool selected() const;
    bool matches() const;
    void discard();

    const std::vector<Port>& ports_;
    const CaptureSession* session_ = nullptr;
    std::uint64_t next_id_;
    std::uint64_t id_ = 0;
    // The pair: its input first (when it has one), then its outputs (the packet and up to
    // MbufAllocator::kMaxFragments more).
    rte_mbuf* copies_[66];
    unsigned count_ = 0;
    bool has_input_ = false;    // the pair started with a packet that came in
    bool input_copied_ = false; // ... and copies_[0] is it
    bool incomplete_ = false;   // a copy failed (pool empty, or more outputs than copies_ holds)
    int input_port_ = -1;
};

} // namespace siitd
