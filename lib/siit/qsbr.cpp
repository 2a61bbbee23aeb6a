// ThreadQsbr; see qsbr.hpp.
#include "siit/qsbr.hpp"

#include <thread>

namespace siit {

ThreadQsbr::ThreadQsbr(unsigned max_readers)
    : count_(max_readers), readers_(new Reader[max_readers]) {}

void ThreadQsbr::online(unsigned reader) {
    readers_[reader].seen.store(token_.load(std::memory_order_acquire), std::memory_order_seq_cst);
}

void ThreadQsbr::offline(unsigned reader) {
    readers_[reader].seen.store(kOffline, std::memory_order_release);
}

std::uint64_t ThreadQsbr::start() {
    // seq_cst orders the caller's publication of a new version before the new token.
    return token_.fetch_add(1, std::memory_order_seq_cst) + 1;
}

bool ThreadQsbr::check(std::uint64_t token, bool wait) {
    for (unsigned i = 0; i < count_; ++i) {
        for (;;) {
            const std::uint64_t seen = readers_[i].seen.load(std::memory_order_acquire);
            if (seen == kOffline || seen >= token) break;
            if (!wait) return false;
            std::this_thread::yield();
        }
    }
    return true;
}

} // namespace siit
