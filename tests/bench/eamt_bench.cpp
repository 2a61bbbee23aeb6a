// EAMT benchmark: ns per lookup for a 1M-entry mix, 1M single addresses, a hosting provider's
// table (50 000 singles and 200 ranges, Zipf traffic), 100k and 1k entries, random and sequential
// keys, both directions; the time and memory to load each as one batch; the time to publish one
// change in the large tables. The same lookups run through DPDK's rte_fib (IPv4) and rte_fib6
// (IPv6) holding entry indexes, at the sizes their memory allows, as the figure to compare with.
// A benchmark, not a test: it prints, it asserts nothing.
//
// Usage: eamt-bench [--quick | TABLE [N]]   (--quick: the hosting table, 100k and 1k only,
// fewer lookups; TABLE N: that table only, mix or singles of N entries, or hosting)
#include <rte_eal.h>
#include <rte_fib.h>
#include <rte_fib6.h>
#include <rte_memory.h>
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

Keys make_keys(const bench::EntryPicker& pick, std::size_t count, bool sequential,
               std::mt19937_64& rng) {
    Keys keys;
    for (std::size_t i = 0; i < count; ++i) {
        const EamEntry& e = pick(rng);
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

// DPDK's own structures on the same entries, holding entry indexes, looked up in bulk as their
// fast API has it: rte_fib (DIR-24-8) and rte_fib6 (a trie), where their memory allows.
struct DpdkTables {
    rte_fib* fib = nullptr;
    rte_fib6* fib6 = nullptr;
    double fib_load_ms = 0, fib6_load_ms = 0;
    ~DpdkTables() {
        rte_fib_free(fib);
        rte_fib6_free(fib6);
    }
};

void load_dpdk(DpdkTables& d, const std::string& name, const std::vector<EamEntry>& sorted) {
    const std::size_t n = sorted.size();
    if (n <= 100000) { // each /25-/32 takes a 1 KiB tbl8 group
        rte_fib_conf conf{};
        conf.type = RTE_FIB_DIR24_8;
        conf.default_nh = std::uint32_t{1}
                          << 30; // beyond every entry index, within the 4-byte range
        conf.max_routes = static_cast<int>(n);
        conf.dir24_8.nh_sz = RTE_FIB_DIR24_8_4B;
        conf.dir24_8.num_tbl8 = static_cast<std::uint32_t>(n + 256);
        const auto t0 = Clock::now();
        d.fib = rte_fib_create(("fib-" + name).c_str(), SOCKET_ID_ANY, &conf);
        for (std::uint32_t i = 0; d.fib && i < n; ++i)
            rte_fib_add(d.fib, sorted[i].prefix4.address.value, sorted[i].prefix4.length, i);
        d.fib_load_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    }
    if (n <= 60000) { // up to 13 tbl8 groups a /128
        rte_fib6_conf conf{};
        conf.type = RTE_FIB6_TRIE;
        conf.default_nh = std::uint32_t{1}
                          << 30; // beyond every entry index, within the 4-byte range
        conf.max_routes = static_cast<int>(n);
        conf.trie.nh_sz = RTE_FIB6_TRIE_4B;
        conf.trie.num_tbl8 = static_cast<std::uint32_t>(n * 14 + 256);
        const auto t0 = Clock::now();
        d.fib6 = rte_fib6_create(("fib6-" + name).c_str(), SOCKET_ID_ANY, &conf);
        for (std::uint32_t i = 0; d.fib6 && i < n; ++i)
            if (rte_fib6_add(d.fib6, sorted[i].prefix6.address.bytes.data(),
                             sorted[i].prefix6.length, i) != 0) {
                rte_fib6_free(d.fib6);
                d.fib6 = nullptr;
            }
        d.fib6_load_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    }
    if (d.fib) std::printf("  rte_fib  (DIR-24-8) loaded in %.1f ms\n", d.fib_load_ms);
    if (d.fib6) std::printf("  rte_fib6 (trie)     loaded in %.1f ms\n", d.fib6_load_ms);
}

// One add or one removal at a time, `count` of them alternating, each published through
// TranslationState as the control plane does; prints the time each took to publish.
void bench_updates(TranslationState& state, const std::vector<EamEntry>& loaded,
                   const std::vector<EamEntry>& fresh, std::mt19937_64& rng) {
    std::vector<double> us;
    std::size_t merges = 0;
    std::vector<bool> gone(loaded.size());
    for (std::size_t i = 0; i < fresh.size() * 2; ++i) {
        EamtChange change;
        if (i % 2 == 0) {
            change = EamtChange::add(fresh[i / 2]);
        } else {
            std::size_t at = rng() % loaded.size();
            while (gone[at])
                at = rng() % loaded.size();
            gone[at] = true;
            change = EamtChange::remove(loaded[at].prefix4, std::nullopt);
        }
        const auto t0 = Clock::now();
        const auto errors = state.apply({change});
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        if (!errors.empty()) {
            std::printf("  update refused: %s\n", errors.front().c_str());
            return;
        }
        merges += state.table()->merged();
    }
    std::sort(us.begin(), us.end());
    const auto at = [&us](double q) { return us[static_cast<std::size_t>(q * (us.size() - 1))]; };
    std::printf("  %zu single changes (adds and removals alternating), each published: median "
                "%.0f us, p99 %.0f us, max %.0f us (target: p99 <= 1000 us); %zu merged a new "
                "base\n",
                us.size(), at(0.5), at(0.99), us.back(), merges);
}

void bench_table(const bench::BenchTable& bench_table, std::size_t lookups, bool updates,
                 std::mt19937_64& rng) {
    const std::vector<EamEntry>& entries = bench_table.entries;
    const std::size_t n = entries.size();
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
    std::printf("\n%zu entries, %s%s: loaded as one batch in %.1f ms; table %.1f bytes/entry; "
                "peak RSS grew %.1f MiB\n",
                n, bench_table.name.c_str(), bench_table.zipf ? " (traffic Zipf s=1.1)" : "",
                load_ms, static_cast<double>(table.memory_bytes()) / static_cast<double>(n),
                static_cast<double>(max_rss_kib() - rss_before) / 1024.0);

    const std::vector<EamEntry>& sorted = table.entries();
    DpdkTables dpdk;
    load_dpdk(dpdk, bench_table.name + std::to_string(n), sorted);
    std::printf("  %-11s %-10s %10s %10s %12s\n", "keys", "direction", "siit ns", "staged ns",
                "rte_fib* ns");
    const bench::EntryPicker pick(bench_table);
    for (const bool sequential : {false, true}) {
        const Keys keys = make_keys(pick, lookups, sequential, rng);
        const char* kind = sequential ? "sequential" : bench_table.zipf ? "zipf" : "random";
        const double ours4 = ns_per(lookups, [&] {
            std::uintptr_t acc = 0;
            for (const auto& k : keys.v4)
                acc += reinterpret_cast<std::uintptr_t>(table.find4(k));
            sink = acc;
        });
        const double ours6 = ns_per(lookups, [&] {
            std::uintptr_t acc = 0;
            for (const auto& k : keys.v6)
                acc += reinterpret_cast<std::uintptr_t>(table.find6(k));
            sink = acc;
        });
        constexpr std::size_t kBurst = 32;
        double theirs4 = -1, theirs6 = -1;
        if (dpdk.fib)
            theirs4 = ns_per(lookups, [&] {
                std::uintptr_t acc = 0;
                std::uint32_t ips[kBurst];
                std::uint64_t hops[kBurst];
                for (std::size_t at = 0; at + kBurst <= keys.v4.size(); at += kBurst) {
                    for (std::size_t i = 0; i < kBurst; ++i)
                        ips[i] = keys.v4[at + i].value;
                    rte_fib_lookup_bulk(dpdk.fib, ips, hops, kBurst);
                    for (std::size_t i = 0; i < kBurst; ++i)
                        acc += hops[i];
                }
                sink = acc;
            });
        if (dpdk.fib6)
            theirs6 = ns_per(lookups, [&] {
                std::uintptr_t acc = 0;
                std::uint8_t ips[kBurst][RTE_FIB6_IPV6_ADDR_SIZE];
                std::uint64_t hops[kBurst];
                for (std::size_t at = 0; at + kBurst <= keys.v6.size(); at += kBurst) {
                    for (std::size_t i = 0; i < kBurst; ++i)
                        std::memcpy(ips[i], keys.v6[at + i].bytes.data(), 16);
                    rte_fib6_lookup_bulk(dpdk.fib6, ips, hops, kBurst);
                    for (std::size_t i = 0; i < kBurst; ++i)
                        acc += hops[i];
                }
                sink = acc;
            });
        // The same lookups in bursts of 32, as siitd's workers make them for a large table: every
        // key's slots prefetched, then the lookups, each found entry prefetched for the mapping
        // (EamTable::prefetch_slots4/6, prefetch_entry).
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
        std::printf("  %-11s %-10s %10.1f %10.1f %12s\n", kind, "4->6", ours4, staged4,
                    show(theirs4).c_str());
        std::printf("  %-11s %-10s %10.1f %10.1f %12s\n", kind, "6->4", ours6, staged6,
                    show(theirs6).c_str());
    }
    if (updates) {
        // Entries of the same kind that the table does not hold yet.
        std::vector<EamEntry> fresh;
        const auto more = bench::make_entries(2000, rng, bench_table.name != "mix");
        for (const auto& e : more)
            if (!table.exact4(e.prefix4) && !table.exact6(e.prefix6) && fresh.size() < 500 &&
                !table.find4(e.prefix4.address))
                fresh.push_back(e);
        bench_updates(eamt, entries, fresh, rng);
    }
}

} // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    // One table only: TABLE [N] (mix, singles or hosting).
    const bool one = argc > 1 && !quick;
    const char* eal_args[] = {"eamt-bench",
                              "--no-huge",
                              "-m",
                              "4096",
                              "--no-pci",
                              "--no-shconf",
                              "--log-level=lib.eal:error"};
    if (rte_eal_init(7, const_cast<char**>(eal_args)) < 0) {
        std::fprintf(stderr,
                     "eamt-bench: rte_eal_init failed; the rte_fib comparison needs DPDK's EAL\n");
        return 1;
    }
    std::printf(
        "EAMT lookup benchmark (one core). Targets: random lookups <= 20 ns at 100k entries and\n"
        "<= 30 ns at 1M; one change published in <= 1 ms (p99) at 1M; 1M entries loaded as one\n"
        "batch in < 0.5 s; < 64 bytes per entry. rte_fib/rte_fib6 hold the same entries where\n"
        "their memory allows (a 1 KiB tbl8 group per /25-/32, up to 13 per /128), looked up 32 at\n"
        "a time (rte_fib_lookup_bulk).\n");
    std::mt19937_64 rng(7757);
    const std::size_t lookups = quick ? 200000 : 4000000;
    struct Run {
        const char* name;
        std::size_t n;
    };
    // Largest first, so that the 1M loads' peak-RSS growth is not hidden by earlier DPDK heaps.
    const std::vector<Run> runs =
        one     ? std::vector<Run>{{argv[1], argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0}}
        : quick ? std::vector<Run>{{"hosting", 0}, {"mix", 100000}, {"mix", 1000}}
                : std::vector<Run>{{"mix", 1000000},
                                   {"singles", 1000000},
                                   {"hosting", 0},
                                   {"mix", 100000},
                                   {"mix", 1000}};
    for (const Run& run : runs) {
        const bench::BenchTable table = bench::make_bench_table(run.name, run.n, rng);
        bench_table(table, lookups, table.entries.size() >= 50000, rng);
    }
    rte_eal_cleanup();
    return 0;
}
