// One immutable object published to lock-free readers: readers load the current version with one
// acquire load; a writer publishes a whole new version with one atomic exchange and retires the old
// one, which is freed only after every reader has passed a quiescent state (qsbr.hpp).
//
// Readers call get() from any thread; writers (publish, reclaim) serialise among themselves
// outside this class (TranslationState holds a mutex; the kernel mirror has one writer thread).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>

#include "siit/qsbr.hpp"

namespace siit {

template <typename T> class Published {
  public:
    // `tracker` null: no concurrent readers, old versions are freed at once.
    Published(QuiescentStateTracker* tracker, std::unique_ptr<const T> first)
        : tracker_(tracker), current_(first.release()) {}
    ~Published() {
        retired_.clear(); // readers are gone by now: the owner stops them first
        delete current_.load(std::memory_order_acquire);
    }
    Published(const Published&) = delete;
    Published& operator=(const Published&) = delete;

    const T* get() const { return current_.load(std::memory_order_acquire); }

    void publish(std::unique_ptr<const T> next) {
        const T* old = current_.exchange(next.release(), std::memory_order_acq_rel);
        if (!tracker_) {
            delete old;
            return;
        }
        retired_.emplace_back(tracker_->start(), std::unique_ptr<const T>(old));
        reclaim(false); // what earlier publications retired, without waiting for anybody
    }

    // Frees the retired versions no reader can still hold; waits for readers when `wait`.
    // Returns how many are still retired.
    std::size_t reclaim(bool wait) {
        while (!retired_.empty() && tracker_ && tracker_->check(retired_.front().first, wait))
            retired_.pop_front();
        retired_count_.store(retired_.size(), std::memory_order_relaxed);
        return retired_.size();
    }
    // How many versions are retired and not yet freed, as of the last publish or reclaim; any
    // thread, no lock (for counters: a writer busy with a long change never delays it).
    std::size_t retired() const { return retired_count_.load(std::memory_order_relaxed); }

  private:
    QuiescentStateTracker* tracker_;
    std::atomic<const T*> current_;
    std::deque<std::pair<std::uint64_t, std::unique_ptr<const T>>> retired_;
    std::atomic<std::size_t> retired_count_{0};
};

} // namespace siit
