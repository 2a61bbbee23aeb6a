// RteQsbr; see rcu_qsbr.hpp.
#include "dataplane/rcu_qsbr.hpp"

#include <rte_rcu_qsbr.h>

#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>

namespace siitd {

RteQsbr::RteQsbr(unsigned max_readers) {
    const std::size_t size = rte_rcu_qsbr_get_memsize(max_readers);
    if (size == 0)
        throw std::runtime_error("rte_rcu_qsbr cannot track " + std::to_string(max_readers) +
                                 " readers");
    // rte_rcu_qsbr needs cache-line alignment; the memory is ours, so no EAL is needed for it.
    const std::size_t rounded =
        (size + RTE_CACHE_LINE_SIZE - 1) / RTE_CACHE_LINE_SIZE * RTE_CACHE_LINE_SIZE;
    qsbr_ = static_cast<rte_rcu_qsbr*>(std::aligned_alloc(RTE_CACHE_LINE_SIZE, rounded));
    if (!qsbr_) throw std::bad_alloc();
    if (rte_rcu_qsbr_init(qsbr_, max_readers) != 0) {
        std::free(qsbr_);
        throw std::runtime_error("rte_rcu_qsbr_init failed for " + std::to_string(max_readers) +
                                 " readers");
    }
}

RteQsbr::~RteQsbr() {
    std::free(qsbr_);
}

void RteQsbr::online(unsigned reader) {
    rte_rcu_qsbr_thread_register(qsbr_, reader);
    rte_rcu_qsbr_thread_online(qsbr_, reader);
}

void RteQsbr::offline(unsigned reader) {
    rte_rcu_qsbr_thread_offline(qsbr_, reader);
    rte_rcu_qsbr_thread_unregister(qsbr_, reader);
}

void RteQsbr::quiescent(unsigned reader) {
    rte_rcu_qsbr_quiescent(qsbr_, reader);
}

std::uint64_t RteQsbr::start() {
    return rte_rcu_qsbr_start(qsbr_);
}

bool RteQsbr::check(std::uint64_t token, bool wait) {
    return rte_rcu_qsbr_check(qsbr_, token, wait) == 1;
}

} // namespace siitd
