// RFC 4884 layout arithmetic; see icmp_extension.hpp.
#include "siit/icmp_extension.hpp"

#include <algorithm>

namespace siit::detail {

IcmpPayloadLayout icmp_payload_layout(std::uint32_t length_units, std::uint32_t unit,
                                      std::uint32_t available) {
    const std::uint32_t original = length_units * unit;
    if (length_units == 0 || original < 128 || original >= available) return {available, 0};
    return {original, available - original};
}

IcmpPayloadPlan plan_icmp_payload(std::uint32_t translated_original, std::uint32_t extension_length,
                                  std::uint32_t unit, std::uint32_t budget) {
    if (extension_length > 0) {
        const std::uint32_t padded =
            std::max<std::uint32_t>(128, (translated_original + unit - 1) / unit * unit);
        if (padded + extension_length <= budget) return {translated_original, padded, true};
        // Truncate the original datagram (on a unit boundary) to make room for the extension.
        if (extension_length + 128 <= budget) {
            const std::uint32_t room = (budget - extension_length) / unit * unit;
            return {std::min(translated_original, room), room, true};
        }
    }
    const std::uint32_t keep = std::min(translated_original, budget);
    return {keep, keep, false};
}

} // namespace siit::detail
