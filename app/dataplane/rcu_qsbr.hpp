// DPDK's rte_rcu_qsbr behind lib/'s QuiescentStateTracker: what siitd's workers report their
// quiescent states to, once per loop, so that old EAMT versions are freed only when no worker can
// still hold them. lib/ never sees DPDK; its tests use ThreadQsbr instead.
#pragma once

#include <cstdint>

#include "siit/qsbr.hpp"

struct rte_rcu_qsbr;

namespace siitd {

class RteQsbr final : public siit::QuiescentStateTracker {
  public:
    // Room for `max_readers` readers (worker lcores), indexed from 0. Throws std::runtime_error
    // when rte_rcu_qsbr refuses the size.
    explicit RteQsbr(unsigned max_readers);
    ~RteQsbr() override;
    RteQsbr(const RteQsbr&) = delete;
    RteQsbr& operator=(const RteQsbr&) = delete;

    void online(unsigned reader) override;
    void offline(unsigned reader) override;
    void quiescent(unsigned reader) override;
    std::uint64_t start() override;
    bool check(std::uint64_t token, bool wait) override;

  private:
    rte_rcu_qsbr* qsbr_;
};

} // namespace siitd
