// Counter summation; see stats.hpp.
#include "stats.hpp"

#include <nlohmann/json.hpp>

namespace siitd {

std::vector<std::pair<std::string, std::uint64_t>>
sum_stats(const std::vector<WorkerStats>& workers) {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    static const char* shell_names[] = {
#define SIITD_NAME(name, description) #name,
        SIITD_SHELL_COUNTERS(SIITD_NAME)
#undef SIITD_NAME
    };
    for (std::size_t i = 0; i < static_cast<std::size_t>(ShellCounter::count); ++i) {
        std::uint64_t total = 0;
        for (const auto& w : workers)
            total += w.shell[i];
        out.emplace_back(shell_names[i], total);
    }
    for (std::size_t i = 0; i < siit::kCounterCount; ++i) {
        std::uint64_t total = 0;
        for (const auto& w : workers)
            total += w.translator[i];
        out.emplace_back(std::string(siit::counter_name(static_cast<siit::Counter>(i))), total);
    }
    return out;
}

std::string stats_json(const std::vector<WorkerStats>& workers) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [name, value] : sum_stats(workers))
        j[name] = value;
    return j.dump();
}

} // namespace siitd
