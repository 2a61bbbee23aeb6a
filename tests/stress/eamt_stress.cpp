// EAMT under concurrent change: readers on every core look up continuously while a writer
// publishes batches (adds and removes), whole replacements, and batches it expects to be refused,
// for a bounded time. Run under ThreadSanitizer and AddressSanitizer (a version freed too early is
// a use-after-free there).
//
// Every published version k maps 10.j.0.0/16 <-> 2001:db8:K:K:0:j::/112 (K: the 32 bits of k) for
// j in [0, 64), so any lookup
// says which version answered. A reader checks, within one snapshot, that every answer comes from
// the same version (never a mix), that the version was announced before it was published, that it
// never goes backwards, and that the refused batches (version 0xffffffff) are never seen.
// Catch2 test cases, so that the closing count includes them. SIIT_STRESS_SECONDS sets the time.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>
#include <vector>

#include "dataplane/rcu_qsbr.hpp"
#include "siit/eamt.hpp"
#include "siit/translation_state.hpp"

using namespace siit;

namespace {

constexpr unsigned kPrefixes = 64;
constexpr std::uint32_t kRefusedVersion = 0xffffffff;

EamEntry version_entry(std::uint32_t version, unsigned j) {
    Ipv6Address v6{};
    v6.bytes = {0x20,
                0x01,
                0x0d,
                0xb8,
                static_cast<std::uint8_t>(version >> 24),
                static_cast<std::uint8_t>(version >> 16),
                static_cast<std::uint8_t>(version >> 8),
                static_cast<std::uint8_t>(version),
                0,
                0,
                0,
                static_cast<std::uint8_t>(j),
                0,
                0,
                0,
                0};
    return EamEntry{Ipv4Prefix{Ipv4Address{(10u << 24) | (j << 16)}, 16}, Ipv6Prefix{v6, 112}};
}

// Entries no reader looks up, the same in every version: with them a batch of 2 x kPrefixes
// changes stays an overlay on the version's base (EamTable::kOverlayMax), so readers see
// overlays published as well as new bases.
constexpr unsigned kBallast = 4096;

std::vector<EamEntry> version_table(std::uint32_t version) {
    std::vector<EamEntry> entries;
    for (unsigned j = 0; j < kPrefixes; ++j)
        entries.push_back(version_entry(version, j));
    for (std::uint32_t b = 0; b < kBallast; ++b) {
        Ipv6Address v6;
        v6.bytes = {0x20, 0x01, 0x0d, 0xb8, 0xba, 0x11};
        v6.bytes[14] = static_cast<std::uint8_t>(b >> 8);
        v6.bytes[15] = static_cast<std::uint8_t>(b);
        entries.push_back({Ipv4Prefix{Ipv4Address{(11u << 24) | b}, 32}, Ipv6Prefix{v6, 128}});
    }
    return entries;
}

std::uint32_t version_of(const EamEntry& e) {
    const auto& b = e.prefix6.address.bytes;
    return (std::uint32_t{b[4]} << 24) | (std::uint32_t{b[5]} << 16) | (std::uint32_t{b[6]} << 8) |
           b[7];
}

double stress_seconds() {
    const char* s = std::getenv("SIIT_STRESS_SECONDS");
    return s ? std::atof(s) : 3.0;
}

unsigned reader_count() {
    return std::max(2u, std::thread::hardware_concurrency());
}

void stress(QuiescentStateTracker& qsbr, unsigned readers) {
    TranslationState eamt(&qsbr);
    std::atomic<std::uint32_t> announced{1}; // the newest version a writer may have published
    REQUIRE(eamt.replace(version_table(1)).empty());

    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> lookups{0}, failures{0}, snapshots{0};
    std::vector<std::thread> threads;
    for (unsigned r = 0; r < readers; ++r) {
        threads.emplace_back([&, r] {
            qsbr.online(r);
            std::mt19937 rng(r + 1);
            std::uint32_t last_version = 0;
            std::uint64_t local_lookups = 0, local_failures = 0, local_snapshots = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                const EamTable* table = eamt.table();
                const std::uint32_t newest = announced.load(std::memory_order_acquire);
                std::uint32_t seen = 0;
                for (int i = 0; i < 32; ++i) {
                    const unsigned j = rng() % kPrefixes;
                    const Ipv4Address v4{(10u << 24) | (j << 16) |
                                         static_cast<std::uint32_t>(rng() & 0xffff)};
                    const EamEntry* e = table->find4(v4);
                    ++local_lookups;
                    if (!e) {
                        ++local_failures;
                        continue;
                    }
                    const std::uint32_t v = version_of(*e);
                    // The reverse lookup must land on the same entry of the same version.
                    const EamEntry* back = table->find6(eam_map_4to6(*e, v4));
                    ++local_lookups;
                    if (!back || !(*back == *e) || (seen != 0 && v != seen)) ++local_failures;
                    seen = v;
                }
                if (seen == kRefusedVersion || seen > newest || seen < last_version)
                    ++local_failures;
                last_version = seen;
                ++local_snapshots;
                qsbr.quiescent(r); // the table pointer is dead from here on
            }
            qsbr.offline(r);
            lookups += local_lookups;
            failures += local_failures;
            snapshots += local_snapshots;
        });
    }

    std::uint32_t version = 1, refused_batches = 0, published = 0, overlays = 0;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(stress_seconds());
    std::mt19937 rng(42);
    while (std::chrono::steady_clock::now() < deadline) {
        const std::uint32_t next = version + 1;
        switch (rng() % 3) {
        case 0: { // a batch: remove every entry of the running version, add the next one's
            std::vector<EamtChange> batch;
            for (unsigned j = 0; j < kPrefixes; ++j) {
                batch.push_back(
                    EamtChange::remove(version_entry(version, j).prefix4, std::nullopt));
                batch.push_back(EamtChange::add(version_entry(next, j)));
            }
            announced.store(next, std::memory_order_release);
            REQUIRE(eamt.apply(batch).empty());
            overlays += !eamt.table()->merged();
            break;
        }
        case 1: // a whole replacement
            announced.store(next, std::memory_order_release);
            REQUIRE(eamt.replace(version_table(next)).empty());
            break;
        default: { // a batch that must be refused whole: the refused version's entries, one invalid
            std::vector<EamtChange> batch;
            for (unsigned j = 0; j < kPrefixes; ++j)
                batch.push_back(EamtChange::add(version_entry(kRefusedVersion, j)));
            batch.push_back(EamtChange::add(EamEntry{*Ipv4Prefix::parse("172.16.0.0/12"),
                                                     *Ipv6Prefix::parse("2001:db8:ffff::/120")}));
            REQUIRE_FALSE(eamt.apply(batch).empty());
            ++refused_batches;
            continue;
        }
        }
        version = next;
        ++published;
        eamt.reclaim(false);
    }
    stop = true;
    for (auto& t : threads)
        t.join();
    const std::size_t still_retired = eamt.reclaim(true);

    INFO(readers << " readers, " << published << " versions published (" << overlays
                 << " of them overlays), " << refused_batches << " batches refused, "
                 << snapshots.load() << " snapshots, " << lookups.load() << " lookups");
    CHECK(failures.load() == 0);
    CHECK(published > 10);
    CHECK(refused_batches > 0);
    CHECK(overlays > 0);
    CHECK(snapshots.load() > 100);
    CHECK(still_retired == 0);
}

} // namespace

TEST_CASE("EAMT stress with ThreadQsbr: concurrent readers see whole published versions only",
          "[stress][eamt]") {
    ThreadQsbr qsbr(reader_count());
    stress(qsbr, reader_count());
}

TEST_CASE(
    "EAMT stress with DPDK rte_rcu_qsbr: concurrent readers see whole published versions only",
    "[stress][eamt]") {
    siitd::RteQsbr qsbr(reader_count());
    stress(qsbr, reader_count());
}
