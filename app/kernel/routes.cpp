// Route and neighbour lookups for translated packets; see kernel/routes.hpp.
#include "kernel/routes.hpp"

#include <algorithm>

#include "siit/bytes.hpp"

namespace siitd {

namespace {

using siit::U128;

U128 as_u128(const siit::Ipv6Address& a) {
    return siit::ipv6_u128(a.bytes.data());
}

// A prefix as the range of addresses it covers.
template <typename Address> struct Span {
    Address first, last;
    std::int32_t route;
};

template <typename Address>
Span<Address> span_of(Address prefix, unsigned length, unsigned bits, std::int32_t route) {
    const Address host = length == 0      ? static_cast<Address>(~Address{0})
                         : length == bits ? Address{0}
                                          : (Address{1} << (bits - length)) - 1;
    return {static_cast<Address>(prefix & ~host), static_cast<Address>(prefix | host), route};
}

// Prefixes nest or are disjoint, so a sweep in order of start (the wider first where two start
// together) with a stack of the prefixes still open gives, at every point where the answer
// changes, the most specific prefix covering it.
template <typename Address, typename Boundary>
std::vector<Boundary> flatten(std::vector<Span<Address>> spans) {
    std::stable_sort(spans.begin(), spans.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.last > b.last;
    });
    // The same prefix twice: the first one appended stays.
    spans.erase(std::unique(spans.begin(), spans.end(),
                            [](const auto& a, const auto& b) {
                                return a.first == b.first && a.last == b.last;
                            }),
                spans.end());
    std::vector<Boundary> out{{Address{0}, -1}};
    const auto emit = [&](Address start, std::int32_t route) {
        if (out.back().start == start)
            out.back().route = route;
        else if (out.back().route != route)
            out.push_back({start, route});
    };
    std::vector<Span<Address>> open;
    const auto close_until = [&](const Address* before) {
        while (!open.empty() && (!before || open.back().last < *before)) {
            const Address last = open.back().last;
            open.pop_back();
            if (last != static_cast<Address>(~Address{0}))
                emit(static_cast<Address>(last + 1), open.empty() ? -1 : open.back().route);
        }
    };
    for (const auto& s : spans) {
        close_until(&s.first);
        emit(s.first, s.route);
        open.push_back(s);
    }
    close_until(nullptr);
    return out;
}

template <typename Boundary, typename Address>
std::int32_t route_at(const std::vector<Boundary>& ranges, Address a) {
    if (ranges.empty()) return -1;
    const auto it = std::upper_bound(ranges.begin(), ranges.end(), a,
                                     [](Address x, const Boundary& b) { return x < b.start; });
    return std::prev(it)->route; // the first boundary starts at 0
}

} // namespace

void KernelRoutes::finish() {
    std::vector<Span<std::uint32_t>> spans4;
    for (std::size_t i = 0; i < routes4.size(); ++i)
        spans4.push_back(span_of<std::uint32_t>(routes4[i].prefix, routes4[i].length, 32,
                                                static_cast<std::int32_t>(i)));
    ranges4_ = flatten<std::uint32_t, Boundary<std::uint32_t>>(std::move(spans4));
    std::vector<Span<U128>> spans6;
    for (std::size_t i = 0; i < routes6.size(); ++i)
        spans6.push_back(span_of<U128>(as_u128(routes6[i].prefix), routes6[i].length, 128,
                                       static_cast<std::int32_t>(i)));
    ranges6_ = flatten<U128, Boundary<U128>>(std::move(spans6));
    std::sort(neighbours4.begin(), neighbours4.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::sort(neighbours6.begin(), neighbours6.end(),
              [](const auto& a, const auto& b) { return a.first.bytes < b.first.bytes; });
}

const Mac* KernelRoutes::resolve4(std::uint32_t dst, bool& routed, std::uint32_t& next_hop) const {
    const std::int32_t route = route_at(ranges4_, dst);
    routed = route >= 0;
    if (!routed) return nullptr;
    const Route4& r = routes4[static_cast<std::size_t>(route)];
    next_hop = r.gateway ? r.gateway : dst;
    const auto it = std::lower_bound(neighbours4.begin(), neighbours4.end(), next_hop,
                                     [](const auto& n, std::uint32_t a) { return n.first < a; });
    return it != neighbours4.end() && it->first == next_hop ? &it->second : nullptr;
}

const Mac* KernelRoutes::resolve6(const siit::Ipv6Address& dst, bool& routed,
                                  siit::Ipv6Address& next_hop) const {
    const std::int32_t route = route_at(ranges6_, as_u128(dst));
    routed = route >= 0;
    if (!routed) return nullptr;
    const Route6& r = routes6[static_cast<std::size_t>(route)];
    next_hop = r.via ? r.gateway : dst;
    const auto it = std::lower_bound(
        neighbours6.begin(), neighbours6.end(), next_hop,
        [](const auto& n, const siit::Ipv6Address& a) { return n.first.bytes < a.bytes; });
    return it != neighbours6.end() && it->first.bytes == next_hop.bytes ? &it->second : nullptr;
}

} // namespace siitd
