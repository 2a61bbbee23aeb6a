// EAMT benchmark: ns per lookup for 1k, 100k and 1M entries, random and sequential keys, both
// directions; the time and memory to load 1M entries as one batch. The same lookups run through
// DPDK's rte_lpm (IPv4) and rte_lpm6 (IPv6) holding entry indexes, at the sizes their memory
// allows, as the figure to compare with. A benchmark, not a test: it prints, it asserts nothing.
//
// Usage: eamt-bench [--quick]   (--quick: 1k and 100k only, fewer lookups)
#include <rte_eal.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "random_eamt.hpp"
#include "siit/eamt.hpp"
#include "siit/translation_state.hpp"

using namespace siit;
using Clock = std::chrono::steady_clock;

namespace {

volatile std::uintptr_t sink; // keeps lookups from being optimised away

struct Keys {
    std::vector<Ipv4Address> v4;
    std::vector<Ipv6Address> v6;
};

Keys make_keys(const std::vector<EamEntry>& entries, std::size_t count, bool sequential,
               std::mt19937_64& rng) {
    Keys keys;
    for (std::size_t i = 0; i < count; ++i) {
        const EamEntry& e = entries[rng() % entries.size()];
        const Ipv4Address a{e.prefix4.address.value |
                            (static_cast<std::uint32_t>(rng()) & ~e.prefix4.mask())};
        keys.v4.push_back(a);
        keys.v6.push_back(eam_map_4to6(e, a));
    }
    if (sequential) {
        std::sort(keys.v4.begin(), keys.v4.end());
        std::sort(keys.v6.begin(), keys.v6.end());
    }
    return keys;
}

template <typename F> double ns_per(std::size_t count, F&& f) {
    const auto start = Clock::now();
    f();
    return std::chrono::duration<double, std::nano>(Clock::now() - start).count() /
           static_cast<double>(count);
}

long max_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

void bench_size(std::size_t n, std::size_t lookups, std::mt19937_64& rng) {
    const auto entries = bench::make_entries(n, rng);
    const long rss_before = max_rss_kib();
    TranslationState eamt(nullptr);
    const auto load_start = Clock::now();
    const auto errors = eamt.replace(entries);
    const double load_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - load_start).count();
    if (!errors.empty()) {
        std::printf("load refused: %s\n", errors.front().c_str());
        return;
    }
    const EamTable& table = *eamt.table();
    std::printf("\n%zu entries: loaded as one batch in %.1f ms; table %.1f bytes/entry; peak RSS "
                "grew %.1f MiB\n",
                n, load_ms, static_cast<double>(table.memory_bytes()) / static_cast<double>(n),
                static_cast<double>(max_rss_kib() - rss_before) / 1024.0);

    // DPDK's LPM tables, mapping to the same entry indexes, where their memory allows.
    const std::vector<EamEntry>& sorted = table.entries();
    rte_lpm* lpm = nullptr;
    rte_lpm6* lpm6 = nullptr;
    double lpm_load_ms = 0, lpm6_load_ms = 0;
    if (n <= 100000) {
        rte_lpm_config config{static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(n + 256),
                              0};
        auto t0 = Clock::now();
        lpm = rte_lpm_create(("eamt4-" + std::to_string(n)).c_str(), SOCKET_ID_ANY, &config);
        for (std::uint32_t i = 0; lpm && i < sorted.size(); ++i)
            rte_lpm_add(lpm, sorted[i].prefix4.address.value, sorted[i].prefix4.length, i);
        lpm_load_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    }
    if (n <= 1000) {
        rte_lpm6_config config{static_cast<std::uint32_t>(n),
                               static_cast<std::uint32_t>(n * 14 + 256), 0};
        auto t0 = Clock::now();
        lpm6 = rte_lpm6_create(("eamt6-" + std::to_string(n)).c_str(), SOCKET_ID_ANY, &config);
        for (std::uint32_t i = 0; lpm6 && i < sorted.size(); ++i)
            rte_lpm6_add(lpm6, sorted[i].prefix6.address.bytes.data(), sorted[i].prefix6.length, i);
        lpm6_load_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    }
    if (lpm) std::printf("  rte_lpm  (IPv4) loaded in %.1f ms\n", lpm_load_ms);
    if (lpm6) std::printf("  rte_lpm6 (IPv6) loaded in %.1f ms\n", lpm6_load_ms);

    std::printf("  %-11s %-10s %12s %12s %12s\n", "keys", "direction", "siit ns", "staged ns",
                "rte_lpm* ns");
    for (const bool sequential : {false, true}) {
        const Keys keys = make_keys(entries, lookups, sequential, rng);
        const char* kind = sequential ? "sequential" : "random";
        const double ours4 = ns_per(lookups, [&] {
            std::uintptr_t acc = 0;
            for (const auto& k : keys.v4)
                acc += reinterpret_cast<std::uintptr_t>(table.find4(k));
            sink = acc;
        });
        double theirs4 = -1;
        if (lpm)
            theirs4 = ns_per(lookups, [&] {
                std::uintptr_t acc = 0;
                for (const auto& k : keys.v4) {
                    std::uint32_t index = 0;
                    if (rte_lpm_lookup(lpm, k.value, &index) == 0)
                        acc += reinterpret_cast<std::uintptr_t>(&sorted[index]);
                }
                sink = acc;
            });
        const double ours6 = ns_per(lookups, [&] {
            std::uintptr_t acc = 0;
            for (const auto& k : keys.v6)
                acc += reinterpret_cast<std::uintptr_t>(table.find6(k));
            sink = acc;
        });
        double theirs6 = -1;
        if (lpm6)
            theirs6 = ns_per(lookups, [&] {
                std::uintptr_t acc = 0;
                for (const auto& k : keys.v6) {
                    std::uint32_t index = 0;
                    if (rte_lpm6_lookup(lpm6, k.bytes.data(), &index) == 0)
                        acc += reinterpret_cast<std::uintptr_t>(&sorted[index]);
                }
                sink = acc;
            });
        // The same lookups in bursts of 32, as siitd's workers make them for a large table: every
        // key's slots prefetched, then the lookups, each found entry prefetched for the mapping
        // (EamTable::prefetch_slots4/6, prefetch_entry).
        constexpr std::size_t kBurst = 32;
        auto staged = [&](const auto& keys_of_direction, auto prefetch_slots, auto find) {
            return ns_per(lookups, [&] {
                std::uintptr_t acc = 0;
                for (std::size_t at = 0; at < keys_of_direction.size(); at += kBurst) {
                    const std::size_t end = std::min(at + kBurst, keys_of_direction.size());
                    for (std::size_t i = at; i < end; ++i)
                        prefetch_slots(keys_of_direction[i]);
                    for (std::size_t i = at; i < end; ++i)
                        if (const EamEntry* e = find(keys_of_direction[i])) {
                            EamTable::prefetch_entry(e);
                            acc += reinterpret_cast<std::uintptr_t>(e);
                        }
                }
                sink = acc;
            });
        };
        const double staged4 = staged(
            keys.v4, [&](Ipv4Address k) { table.prefetch_slots4(k); },
            [&](Ipv4Address k) { return table.find4(k); });
        const double staged6 = staged(
            keys.v6, [&](const Ipv6Address& k) { table.prefetch_slots6(k.bytes.data()); },
            [&](const Ipv6Address& k) { return table.find6(k); });
        auto show = [](double v) {
            return v < 0 ? std::string("(no memory)") : std::to_string(v).substr(0, 6);
        };
        std::printf("  %-11s %-10s %12.1f %12.1f %12s\n", kind, "4->6", ours4, staged4,
                    show(theirs4).c_str());
        std::printf("  %-11s %-10s %12.1f %12.1f %12s\n", kind, "6->4", ours6, staged6,
                    show(theirs6).c_str());
    }
    if (lpm) rte_lpm_free(lpm);
    if (lpm6) rte_lpm6_free(lpm6);
}

} // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const char* eal_args[] = {"eamt-bench",
                              "--no-huge",
                              "-m",
                              "2048",
                              "--no-pci",
                              "--no-shconf",
                              "--log-level=lib.eal:error"};
    if (rte_eal_init(7, const_cast<char**>(eal_args)) < 0) {
        std::fprintf(stderr,
                     "eamt-bench: rte_eal_init failed; the rte_lpm comparison needs DPDK's EAL\n");
        return 1;
    }
    std::printf(
        "EAMT lookup benchmark (one core). Targets: < 30 ns/lookup at 1M entries, 1M-entry batch\n"
        "loaded in < 1 s, < 100 bytes per entry. rte_lpm/rte_lpm6 hold the same entries where "
        "their\n"
        "memory allows (rte_lpm needs a 1 KiB tbl8 group per /25-/32 entry, rte_lpm6 up to 13 per "
        "/128).\n");
    std::mt19937_64 rng(7757);
    const std::size_t lookups = quick ? 200000 : 4000000;
    // Largest first, so that the 1M load's peak-RSS growth is not hidden by earlier rte_lpm heaps.
    for (const std::size_t n : {std::size_t{1000000}, std::size_t{100000}, std::size_t{1000}}) {
        if (quick && n > 100000) continue;
        bench_size(n, lookups, rng);
    }
    rte_eal_cleanup();
    return 0;
}
