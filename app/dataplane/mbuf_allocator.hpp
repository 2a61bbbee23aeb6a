// Where a worker's extra packets come from when the translator turns one packet into several
// (RFC 7915 §4.1 fragmentation): mbufs from the worker's pool, freed or sent with the first.
#pragma once

#include <rte_mbuf.h>

#include "siit/translator.hpp"

namespace siitd {

class MbufAllocator final : public siit::PacketAllocator {
  public:
    static constexpr unsigned kMaxFragments = 64;

    explicit MbufAllocator(rte_mempool* pool) : pool_(pool) {}
    siit::PacketBuffer* allocate(std::uint32_t length) override {
        if (count_ == kMaxFragments) return nullptr;
        rte_mbuf* m = rte_pktmbuf_alloc(pool_);
        if (!m) return nullptr;
        if (rte_pktmbuf_tailroom(m) < length) {
            rte_pktmbuf_free(m);
            return nullptr;
        }
        mbufs_[count_] = m;
        buffers_[count_] = {rte_pktmbuf_mtod(m, std::uint8_t*), 0, rte_pktmbuf_headroom(m),
                            static_cast<std::uint32_t>(rte_pktmbuf_tailroom(m))};
        return &buffers_[count_++];
    }
    unsigned count() const { return count_; }
    rte_mbuf* mbuf(unsigned i) const { return mbufs_[i]; }
    const siit::PacketBuffer& buffer(unsigned i) const { return buffers_[i]; }
    // The packet was dropped: its extra fragments go back to the pool.
    void release_all() {
        for (unsigned i = 0; i < count_; ++i)
            rte_pktmbuf_free(mbufs_[i]);
        count_ = 0;
    }
    // The extra fragments were queued for TX, which owns them now.
    void forget_all() { count_ = 0; }

  private:
    rte_mempool* pool_;
    unsigned count_ = 0;
    rte_mbuf* mbufs_[kMaxFragments];
    siit::PacketBuffer buffers_[kMaxFragments];
};

} // namespace siitd
