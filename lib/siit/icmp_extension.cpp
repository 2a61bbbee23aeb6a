// RFC 4884 layout arithmetic; see icmp_extension.hpp.
#include "siit/icmp_extension.hpp"

#include <algorithm>
#include <cstring>

#include "siit/bytes.hpp"

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

IcmpErrorBody write_icmp_error_body(std::uint8_t* icmp, const TranslatedIcmpHeader& header,
                                    std::uint32_t inner_headers, const std::uint8_t* inner_l4,
                                    std::uint32_t inner_payload, const std::uint8_t* extension,
                                    std::uint32_t extension_length, std::uint32_t unit,
                                    unsigned length_byte, std::uint32_t budget) {
    std::uint8_t* const original = icmp + 8;
    const IcmpPayloadPlan plan = plan_icmp_payload(
        inner_headers + inner_payload, header.may_extend ? extension_length : 0, unit, budget);
    const std::uint32_t copied =
        std::min(inner_payload, plan.keep_original - std::min(plan.keep_original, inner_headers));
    std::memcpy(original + inner_headers, inner_l4, copied);
    icmp[0] = header.type;
    icmp[1] = header.code;
    store16(icmp + 2, 0);
    store32(icmp + 4, header.rest);
    if (!plan.keep_extension) return {8 + plan.keep_original, copied};
    std::memset(original + plan.keep_original, 0, plan.padded_original - plan.keep_original);
    std::memcpy(original + plan.padded_original, extension, extension_length);
    icmp[length_byte] = static_cast<std::uint8_t>(plan.padded_original / unit); // §4.1, §4.5
    return {8 + plan.padded_original + extension_length, copied};
}

} // namespace siit::detail
