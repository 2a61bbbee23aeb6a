// Route and neighbour lookups for translated packets; see kernel_routes.hpp.
#include "kernel_routes.hpp"

#include <algorithm>

namespace siitd {

namespace {
bool covers6(const siit::Ipv6Address& prefix, std::uint8_t length, const siit::Ipv6Address& a) {
    for (unsigned i = 0; i < 16 && length > 0; ++i, length = length > 8 ? length - 8 : 0) {
        const std::uint8_t mask =
            length >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - length));
        if ((a.bytes[i] & mask) != (prefix.bytes[i] & mask)) return false;
    }
    return true;
}
} // namespace

void KernelRoutes::finish() {
    std::stable_sort(routes4.begin(), routes4.end(),
                     [](const Route4& a, const Route4& b) { return a.length > b.length; });
    std::stable_sort(routes6.begin(), routes6.end(),
                     [](const Route6& a, const Route6& b) { return a.length > b.length; });
    std::sort(neighbours4.begin(), neighbours4.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::sort(neighbours6.begin(), neighbours6.end(),
              [](const auto& a, const auto& b) { return a.first.bytes < b.first.bytes; });
}

const Mac* KernelRoutes::resolve4(std::uint32_t dst, bool& routed, std::uint32_t& next_hop) const {
    routed = false;
    for (const Route4& r : routes4) {
        const std::uint32_t mask = r.length == 0 ? 0 : ~std::uint32_t{0} << (32 - r.length);
        if ((dst & mask) != (r.prefix & mask)) continue;
        routed = true;
        next_hop = r.gateway ? r.gateway : dst;
        const auto it =
            std::lower_bound(neighbours4.begin(), neighbours4.end(), next_hop,
                             [](const auto& n, std::uint32_t a) { return n.first < a; });
        return it != neighbours4.end() && it->first == next_hop ? &it->second : nullptr;
    }
    return nullptr;
}

const Mac* KernelRoutes::resolve6(const siit::Ipv6Address& dst, bool& routed,
                                  siit::Ipv6Address& next_hop) const {
    routed = false;
    for (const Route6& r : routes6) {
        if (!covers6(r.prefix, r.length, dst)) continue;
        routed = true;
        next_hop = r.via ? r.gateway : dst;
        const auto it = std::lower_bound(
            neighbours6.begin(), neighbours6.end(), next_hop,
            [](const auto& n, const siit::Ipv6Address& a) { return n.first.bytes < a.bytes; });
        return it != neighbours6.end() && it->first.bytes == next_hop.bytes ? &it->second : nullptr;
    }
    return nullptr;
}

} // namespace siitd
