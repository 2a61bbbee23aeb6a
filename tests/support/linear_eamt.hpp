// A reference EAMT for tests: a plain list searched linearly for the longest prefix. Obviously
// correct, so it is the oracle that faster tables are compared with.
#pragma once

#include <vector>

#include "siit/eam.hpp"

namespace siit::test {

class LinearEamt final : public EamLookup {
  public:
    std::vector<EamEntry> entries;

    const EamEntry* find4(Ipv4Address address) const override {
        const EamEntry* best = nullptr;
        for (const auto& e : entries)
            if (e.prefix4.contains(address) && (!best || e.prefix4.length > best->prefix4.length))
                best = &e;
        return best;
    }
    const EamEntry* find6(const Ipv6Address& address) const override {
        const EamEntry* best = nullptr;
        for (const auto& e : entries)
            if (e.prefix6.contains(address) && (!best || e.prefix6.length > best->prefix6.length))
                best = &e;
        return best;
    }
};

} // namespace siit::test
