// Counter summation; see stats.hpp.
#include "dataplane/stats.hpp"

#include <rte_cycles.h>
#include <rte_mempool.h>
#include <rte_telemetry.h>

#include <atomic>
#include <nlohmann/json.hpp>

namespace siitd {

const char* shell_counter_name(ShellCounter counter) {
    static const char* const names[] = {
#define SIITD_NAME(name, description) #name,
        SIITD_SHELL_COUNTERS(SIITD_NAME)
#undef SIITD_NAME
    };
    return names[static_cast<std::size_t>(counter)];
}

std::vector<std::pair<std::string, std::uint64_t>>
sum_stats(const std::vector<WorkerStats>& workers) {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (std::size_t i = 0; i < static_cast<std::size_t>(ShellCounter::count); ++i) {
        std::uint64_t total = 0;
        for (const auto& w : workers)
            total += w.shell[i];
        out.emplace_back(shell_counter_name(static_cast<ShellCounter>(i)), total);
    }
    for (std::size_t i = 0; i < siit::kCounterCount; ++i) {
        std::uint64_t total = 0;
        for (const auto& w : workers)
            total += w.translator[i];
        out.emplace_back(std::string(siit::counter_name(static_cast<siit::Counter>(i))), total);
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> counter_descriptions() {
    std::vector<std::pair<std::string, std::string>> out = {
#define SIITD_DESCRIPTION(name, description) {#name, description},
        SIITD_SHELL_COUNTERS(SIITD_DESCRIPTION)
#undef SIITD_DESCRIPTION
    };
    for (std::size_t i = 0; i < siit::kCounterCount; ++i) {
        const auto counter = static_cast<siit::Counter>(i);
        out.emplace_back(std::string(siit::counter_name(counter)),
                         std::string(siit::counter_description(counter)));
    }
    return out;
}

namespace {
std::atomic<const std::vector<WorkerStats>*> g_telemetry_stats{nullptr};
std::atomic<const std::vector<rte_mempool*>*> g_telemetry_pools{nullptr};

// Runs on DPDK's telemetry thread: reads the workers' counters without stopping them (aligned
// 64-bit loads; a sum may lag a packet behind, never tear).
int telemetry_stats(const char*, const char*, rte_tel_data* d) {
    rte_tel_data_start_dict(d);
    if (g_telemetry_stats)
        for (const auto& [name, value] : sum_stats(*g_telemetry_stats))
            rte_tel_data_add_dict_u64(d, name.c_str(), value);
    if (const auto* pools = g_telemetry_pools.load(std::memory_order_acquire)) {
        const MbufCounts mbufs = count_mbufs(*pools);
        rte_tel_data_add_dict_u64(d, "mbufs_size", mbufs.size);
        rte_tel_data_add_dict_u64(d, "mbufs_available", mbufs.available);
        rte_tel_data_add_dict_u64(d, "mbufs_in_use", mbufs.in_use);
    }
    return 0;
}
} // namespace

void unregister_telemetry() {
    g_telemetry_stats.store(nullptr, std::memory_order_release);
    g_telemetry_pools.store(nullptr, std::memory_order_release);
}

void register_telemetry(const std::vector<WorkerStats>& workers,
                        const std::vector<rte_mempool*>& pools) {
    g_telemetry_stats.store(&workers, std::memory_order_release);
    g_telemetry_pools.store(&pools, std::memory_order_release);
    rte_telemetry_register_cmd("/siitd/stats", telemetry_stats,
                               "Every siitd counter, summed over workers, and the mbuf pools' "
                               "size, available and in-use counts. Takes no parameters");
}

MbufCounts count_mbufs(const std::vector<rte_mempool*>& pools) {
    MbufCounts counts;
    for (const rte_mempool* pool : pools) {
        if (!pool) continue;
        counts.size += pool->size;
        counts.available += rte_mempool_avail_count(pool);
        counts.in_use += rte_mempool_in_use_count(pool);
    }
    return counts;
}

std::string stats_json(const std::vector<WorkerStats>& workers) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [name, value] : sum_stats(workers))
        j[name] = value;
    return j.dump();
}

double busy_ns_per_packet(const WorkerStats& worker) {
    const auto shell = [&worker](ShellCounter c) {
        return static_cast<double>(worker.shell[static_cast<std::size_t>(c)]);
    };
    const double packets = shell(ShellCounter::rx_packets) + shell(ShellCounter::from_kernel);
    return packets == 0 ? 0
                        : shell(ShellCounter::busy_cycles) * 1e9 /
                              static_cast<double>(rte_get_tsc_hz()) / packets;
}

} // namespace siitd
