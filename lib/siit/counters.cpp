// Names and descriptions of the counters declared in counters.hpp.
#include "siit/counters.hpp"

#include <array>

namespace siit {

namespace {
constexpr std::array<std::string_view, kCounterCount> kNames = {
#define SIIT_COUNTER_NAME(name, description) #name,
    SIIT_COUNTERS(SIIT_COUNTER_NAME)
#undef SIIT_COUNTER_NAME
};
constexpr std::array<std::string_view, kCounterCount> kDescriptions = {
#define SIIT_COUNTER_DESCRIPTION(name, description) description,
    SIIT_COUNTERS(SIIT_COUNTER_DESCRIPTION)
#undef SIIT_COUNTER_DESCRIPTION
};
} // namespace

std::string_view counter_name(Counter counter) {
    return kNames.at(static_cast<std::size_t>(counter));
}
std::string_view counter_description(Counter counter) {
    return kDescriptions.at(static_cast<std::size_t>(counter));
}

} // namespace siit
