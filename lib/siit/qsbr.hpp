// Quiescent-state-based reclamation, as the EAMT needs it: a writer publishes a new version, takes
// a token, and frees the old version once every reader has reported a quiescent state after that
// token. The interface mirrors DPDK's rte_rcu_qsbr (start/check/quiescent), so siitd plugs
// rte_rcu_qsbr in from app/; lib/ and its tests use ThreadQsbr below, which needs no EAL.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

namespace siit {

class QuiescentStateTracker {
  public:
    virtual ~QuiescentStateTracker() = default;
    // Reader `reader` (an index below the tracker's capacity) starts or stops reading. An offline
    // reader holds nothing, so writers never wait for it: go offline before blocking or stopping.
    virtual void online(unsigned reader) = 0;
    virtual void offline(unsigned reader) = 0;
    // Reader: holds no pointer to any table version from here on. Workers call it once per loop.
    virtual void quiescent(unsigned reader) = 0;
    // Writer: after publishing, returns a token that readers must pass. Thread-safe for writers.
    virtual std::uint64_t start() = 0;
    // Writer: whether every registered reader has been quiescent since `token`. Never blocks when
    // `wait` is false; spins until true when it is.
    virtual bool check(std::uint64_t token, bool wait) = 0;
};

// A plain-C++ tracker for up to `max_readers` readers, each identified by an index. Readers call
// quiescent() between bursts (never while holding a pointer to a table version) and offline()
// before they stop or block, so that writers do not wait for them.
class ThreadQsbr final : public QuiescentStateTracker {
  public:
    explicit ThreadQsbr(unsigned max_readers);
    void online(unsigned reader) override;
    void offline(unsigned reader) override;
    // A store of the current token: no read-modify-write, no lock, no system call.
    void quiescent(unsigned reader) override {
        readers_[reader].seen.store(token_.load(std::memory_order_acquire),
                                    std::memory_order_release);
    }
    std::uint64_t start() override;
    bool check(std::uint64_t token, bool wait) override;

  private:
    static constexpr std::uint64_t kOffline = 0;
    struct alignas(64) Reader { // one cache line each: readers never share a line
        std::atomic<std::uint64_t> seen{kOffline};
    };
    std::atomic<std::uint64_t> token_{1};
    unsigned count_;
    std::unique_ptr<Reader[]> readers_;
};

} // namespace siit
