// How siitd writes a moment in its replies: ISO 8601, UTC, to the second ("2026-12-02T07:30:00Z").
#pragma once

#include <chrono>
#include <ctime>
#include <string>

namespace siit::control {

inline std::string utc_text(std::chrono::system_clock::time_point when) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

} // namespace siit::control
