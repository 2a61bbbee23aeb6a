// A random EAMT for the benchmarks (eamt-bench, dataplane-bench): the same realistic mix in both.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "siit/eam.hpp"

namespace siit::bench {

// The benchmarks' IPv4 clients are 192.0.2.0/24, written through pool6. An EAM over them would
// turn every 6->4 packet to them back to IPv6 (RFC 7757 §4.2.2, intrinsic hairpinning), and the
// second half drops those whose EAM source has no pool6 form (a multicast or denylisted address),
// so no table here holds one.
inline bool covers_bench_clients(const Ipv4Prefix& p4) {
    const Ipv4Prefix clients{Ipv4Address{0xc0000200u}, 24};
    const std::uint8_t shorter = std::min(p4.length, clients.length);
    const std::uint32_t mask = Ipv4Prefix{{}, shorter}.mask();
    return (p4.address.value & mask) == (clients.address.value & mask);
}

// A realistic mix: 70% single addresses (/32 <-> /128), 30% ranges /20-/31; each IPv6 side keeps
// exactly the IPv4 suffix bits (RFC 7757 §3.2), under 2001:db8::/32 with random bits between.
// `singles_only`: single addresses only, one prefix length each side.
inline std::vector<EamEntry> make_entries(std::size_t n, std::mt19937_64& rng,
                                          bool singles_only = false) {
    std::vector<EamEntry> entries;
    std::set<std::pair<std::uint32_t, std::uint8_t>> seen4;
    entries.reserve(n);
    while (entries.size() < n) {
        const unsigned l4 = singles_only || rng() % 10 < 7 ? 32 : 20 + rng() % 12;
        Ipv4Prefix p4{Ipv4Address{static_cast<std::uint32_t>(rng())},
                      static_cast<std::uint8_t>(l4)};
        p4.address.value &= p4.mask();
        if (!seen4.insert({p4.address.value, p4.length}).second) continue;
        Ipv6Address v6;
        const std::uint64_t r = rng();
        v6.bytes = {0x20, 0x01, 0x0d, 0xb8};
        for (int i = 0; i < 8; ++i)
            v6.bytes[4 + i] = static_cast<std::uint8_t>(r >> (8 * i));
        const auto l6 = static_cast<std::uint8_t>(128 - (32 - l4));
        for (unsigned bit = l6; bit < 128; ++bit)
            v6.set_bit(bit, false);
        const EamEntry entry{p4, Ipv6Prefix{v6, l6}};
        if (eam_entry_error(entry)) continue; // over an address no router forwards
        if (covers_bench_clients(p4)) continue;
        entries.push_back(entry);
    }
    return entries;
}

// A hosting provider's table: `singles` servers with a public IPv4 address each (/32 <-> /128)
// and `ranges` customer ranges /20-/28, none overlapping another, as random_entries draws them.
inline std::vector<EamEntry> make_hosting_entries(std::size_t singles, std::size_t ranges,
                                                  std::mt19937_64& rng) {
    std::vector<EamEntry> entries = make_entries(singles, rng, true);
    std::set<std::uint32_t> taken;
    for (const auto& e : entries)
        taken.insert(e.prefix4.address.value >> 12);
    while (entries.size() < singles + ranges) {
        const auto l4 = static_cast<std::uint8_t>(20 + rng() % 9);
        Ipv4Prefix p4{Ipv4Address{static_cast<std::uint32_t>(rng())}, l4};
        p4.address.value &= p4.mask();
        if (!taken.insert(p4.address.value >> 12).second) continue; // one range per /20
        Ipv6Address v6;
        v6.bytes = {0x20, 0x01, 0x0d, 0xb8, 0xff};
        const std::uint64_t r = rng();
        for (int i = 0; i < 7; ++i)
            v6.bytes[5 + i] = static_cast<std::uint8_t>(r >> (8 * i));
        const auto l6 = static_cast<std::uint8_t>(128 - (32 - l4));
        for (unsigned bit = l6; bit < 128; ++bit)
            v6.set_bit(bit, false);
        const EamEntry entry{p4, Ipv6Prefix{v6, l6}};
        if (eam_entry_error(entry) || covers_bench_clients(p4)) continue;
        entries.push_back(entry);
    }
    return entries;
}

// Ranks 0..n-1 drawn with probability proportional to 1 / (rank + 1)^s (Zipf): a few entries
// carry most of the traffic, as a hosting provider's popular servers do.
class ZipfRanks {
  public:
    ZipfRanks(std::size_t n, double s) : cdf_(n) {
        double sum = 0;
        for (std::size_t k = 0; k < n; ++k)
            cdf_[k] = sum += 1.0 / std::pow(static_cast<double>(k + 1), s);
        for (auto& c : cdf_)
            c /= sum;
    }
    std::size_t operator()(std::mt19937_64& rng) const {
        const double u = std::uniform_real_distribution<double>(0, 1)(rng);
        return static_cast<std::size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) -
                                        cdf_.begin()) %
               cdf_.size();
    }

  private:
    std::vector<double> cdf_;
};

// The benchmarks' tables by name: "mix" (make_entries), "singles" (/32 <-> /128 only) and
// "hosting" (50 000 singles and 200 ranges). Traffic is uniform over the entries, except for
// "hosting", where it is Zipf-skewed (s = 1.1) over the entries in a random order.
struct BenchTable {
    std::string name;
    std::vector<EamEntry> entries;
    bool zipf = false;
};

inline BenchTable make_bench_table(const std::string& name, std::size_t n, std::mt19937_64& rng) {
    if (name == "hosting") {
        auto entries = make_hosting_entries(50000, 200, rng);
        std::shuffle(entries.begin(), entries.end(), rng);
        return {name, std::move(entries), true};
    }
    return {name, make_entries(n, rng, name == "singles"), false};
}

// Picks the entry a packet or lookup goes to, as the table's traffic is drawn.
class EntryPicker {
  public:
    explicit EntryPicker(const BenchTable& table)
        : table_(table), zipf_(table.zipf ? table.entries.size() : 1, 1.1) {}
    const EamEntry& operator()(std::mt19937_64& rng) const {
        return table_.entries[table_.zipf ? zipf_(rng) : rng() % table_.entries.size()];
    }

  private:
    const BenchTable& table_;
    ZipfRanks zipf_;
};

} // namespace siit::bench
