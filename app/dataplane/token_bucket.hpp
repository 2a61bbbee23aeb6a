// RFC 4443 §2.4(f), RFC 7915 §4.4 and §5.4: a token bucket per worker for the ICMP errors it
// generates. Reads the TSC, no system call.
#pragma once

#include <rte_cycles.h>

#include <algorithm>
#include <cstdint>

namespace siitd {

class TokenBucket {
  public:
    TokenBucket(std::uint32_t per_second, std::uint32_t burst)
        // Zero per second is "not sent" (RFC 7915 §4.4, §5.4): no burst either.
        : per_second_(per_second), burst_(burst), tokens_(per_second == 0 ? 0 : burst),
          hz_(rte_get_tsc_hz()), last_(rte_get_tsc_cycles()) {}
    bool take() {
        const std::uint64_t now = rte_get_tsc_cycles();
        const std::uint64_t earned = (now - last_) * per_second_ / hz_;
        if (earned > 0) {
            tokens_ = std::min<std::uint64_t>(burst_, tokens_ + earned);
            last_ = now;
        }
        if (tokens_ == 0) return false;
        --tokens_;
        return true;
    }

  private:
    std::uint64_t per_second_, burst_, tokens_, hz_, last_;
};

} // namespace siitd
