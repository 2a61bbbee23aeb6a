// The EAMT's versions and their publication; see eamt.hpp.
#include "siit/eamt.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>

#include "siit/bytes.hpp"
#include "siit/problem_cap.hpp"

namespace siit {

namespace {

std::uint32_t mask32(unsigned length) {
    return length == 0 ? 0 : ~std::uint32_t{0} << (32 - length);
}

std::uint64_t mask64(int length) {
    return length <= 0 ? 0 : length >= 64 ? ~std::uint64_t{0} : ~std::uint64_t{0} << (64 - length);
}

// The IPv6 address as two host-order halves, most significant first.
void halves(const Ipv6Address& a, std::uint64_t& hi, std::uint64_t& lo) {
    hi = load64(a.bytes.data());
    lo = load64(a.bytes.data() + 8);
}

std::size_t capacity_for(std::size_t entries) { // load factor at most 0.5 after rounding
    return std::bit_ceil(std::max<std::size_t>(16, entries * 2));
}

std::string describe(const EamEntry& e) {
    return e.prefix4.to_string() + " <-> " + e.prefix6.to_string();
}

std::vector<std::uint8_t> lengths_longest_first(const std::vector<bool>& used) {
    std::vector<std::uint8_t> lengths;
    for (std::size_t l = used.size(); l-- > 0;)
        if (used[l]) lengths.push_back(static_cast<std::uint8_t>(l));
    return lengths;
}

} // namespace

std::unique_ptr<EamTable> EamTable::build(std::vector<EamEntry> entries,
                                          std::vector<std::string>& errors) {
    if (entries.size() > kMaxEntries) {
        errors.push_back("the EAMT holds at most " + std::to_string(kMaxEntries) +
                         " entries; got " + std::to_string(entries.size()));
        return nullptr;
    }
    // Each problem found below is listed up to siit::kMaxProblemsListed, then counted.
    ProblemCap problems(errors);
    for (const auto& e : entries)
        if (auto error = eam_entry_error(e)) problems.add(std::move(*error));
    std::sort(entries.begin(), entries.end(), [](const EamEntry& a, const EamEntry& b) {
        return std::tie(a.prefix4.address.value, a.prefix4.length, a.prefix6) <
               std::tie(b.prefix4.address.value, b.prefix4.length, b.prefix6);
    });

    auto table = std::unique_ptr<EamTable>(new EamTable);
    table->entries_ = std::move(entries);
    const auto& all = table->entries_;
    const std::size_t capacity = capacity_for(all.size());
    table->table4_.assign(capacity, kEmpty4);
    table->table6_.assign(capacity, Slot6{{0, 0, 0, 0}, kEmpty6});
    table->mask4_ = capacity - 1;
    table->mask6_ = capacity - 1;
    table->table_shift_ = 64 - static_cast<unsigned>(std::countr_zero(capacity));
    // 8 filter bits per slot, 16 per entry at least: about 6% false positives per probed length.
    const std::size_t filter_bits = capacity * 8;
    table->filter_shift_ = 64 - static_cast<unsigned>(std::countr_zero(filter_bits));
    table->filter4_.assign(filter_bits / 64, 0);
    table->filter6_.assign(filter_bits / 64, 0);
    std::vector<bool> used4(33), used6(129);

    for (std::uint32_t index = 0; index < all.size(); ++index) {
        const EamEntry& e = all[index];
        // IPv4 side.
        const std::uint32_t v4 = e.prefix4.address.value;
        const std::uint64_t h4 = hash4(v4, e.prefix4.length);
        filter_set(table->filter4_, table->filter_shift_, h4);
        for (std::uint64_t i = h4 >> table->table_shift_;; i = (i + 1) & table->mask4_) {
            const std::uint64_t slot = table->table4_[i];
            if (slot == kEmpty4) {
                table->table4_[i] =
                    (std::uint64_t{v4} << 32) | (std::uint64_t{e.prefix4.length} << 24) | index;
                break;
            }
            if ((slot >> 32) == v4 && ((slot >> 24) & 0xff) == e.prefix4.length) {
                const EamEntry& other = all[slot & 0xffffff];
                problems.add_made([&] {
                    return other == e
                               ? "EAM " + describe(e) + " is listed twice"
                               : "EAM " + describe(e) + " conflicts with " + describe(other) +
                                     ": both map the IPv4 prefix " + e.prefix4.to_string();
                });
                break;
            }
        }
        used4[e.prefix4.length] = true;
        // IPv6 side.
        std::uint64_t hi, lo;
        halves(e.prefix6.address, hi, lo);
        hi &= mask64(e.prefix6.length);
        lo &= mask64(e.prefix6.length - 64);
        const std::uint32_t w[4] = {
            static_cast<std::uint32_t>(hi >> 32), static_cast<std::uint32_t>(hi),
            static_cast<std::uint32_t>(lo >> 32), static_cast<std::uint32_t>(lo)};
        const std::uint64_t h6 = hash6(hi, lo, e.prefix6.length);
        filter_set(table->filter6_, table->filter_shift_, h6);
        for (std::uint64_t i = h6 >> table->table_shift_;; i = (i + 1) & table->mask6_) {
            Slot6& slot = table->table6_[i];
            if (slot.length_index == kEmpty6) {
                slot = Slot6{{w[0], w[1], w[2], w[3]},
                             (std::uint32_t{e.prefix6.length} << 24) | index};
                break;
            }
            if ((slot.length_index >> 24) == e.prefix6.length && std::equal(w, w + 4, slot.words)) {
                const EamEntry& other = all[slot.length_index & 0xffffff];
                if (!(other == e))
                    problems.add_made([&] {
                        return "EAM " + describe(e) + " conflicts with " + describe(other) +
                               ": both map the IPv6 prefix " + e.prefix6.to_string();
                    });
                break;
            }
        }
        used6[e.prefix6.length] = true;
    }
    if (problems.any()) return nullptr;
    table->digest_ = eamt_digest(table->entries_);
    // dataplane-bench: prefetching is neutral at 100k entries (10 MiB, mostly in the last-level
    // cache) and saves a quarter to a half of the worker's time at 1M (90 MiB).
    table->prefetch_worthwhile_ = table->memory_bytes() > kPrefetchWorthwhileBytes;
    for (const std::uint8_t length : lengths_longest_first(used4))
        table->lengths4_.push_back({mask32(length), length});
    for (const std::uint8_t length : lengths_longest_first(used6))
        table->lengths6_.push_back({mask64(length), mask64(length - 64), length});
    return table;
}

const EamEntry* EamTable::find4(Ipv4Address address) const {
    return lookup4(address);
}

const EamEntry* EamTable::find6(const Ipv6Address& address) const {
    return lookup6(address.bytes.data());
}

const EamEntry* EamTable::exact4(const Ipv4Prefix& prefix) const {
    return probe4(prefix.address.value, prefix.length, hash4(prefix.address.value, prefix.length));
}

const EamEntry* EamTable::exact6(const Ipv6Prefix& prefix) const {
    std::uint64_t hi, lo;
    halves(prefix.address, hi, lo);
    hi &= mask64(prefix.length);
    lo &= mask64(prefix.length - 64);
    return probe6(hi, lo, prefix.length, hash6(hi, lo, prefix.length));
}

std::size_t EamTable::memory_bytes() const {
    return sizeof(*this) + entries_.capacity() * sizeof(EamEntry) +
           table4_.capacity() * sizeof(std::uint64_t) + table6_.capacity() * sizeof(Slot6) +
           (filter4_.capacity() + filter6_.capacity()) * sizeof(std::uint64_t);
}

std::optional<std::vector<EamEntry>>
EamTable::with_changes(const std::vector<EamtChange>& changes,
                       std::vector<std::string>& errors) const {
    const EamTable* old = this;
    const auto& old_entries = old->entries();
    std::vector<bool> removed(old_entries.size());
    std::vector<EamEntry> added;
    ProblemCap problems(errors);
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const EamtChange& c = changes[i];
        const std::string where = "change " + std::to_string(i + 1) + ": ";
        if (c.kind == EamtChange::Kind::add) {
            if (!c.prefix4 || !c.prefix6) {
                problems.add(where + "an addition needs both an IPv4 and an IPv6 prefix");
                continue;
            }
            const EamEntry e{*c.prefix4, *c.prefix6};
            if (const EamEntry* existing = old->exact4(e.prefix4);
                existing && *existing == e &&
                !removed[static_cast<std::size_t>(existing - old_entries.data())]) {
                problems.add(where + "EAM " + describe(e) + " already exists");
                continue;
            }
            added.push_back(e);
            continue;
        }
        if (!c.prefix4 && !c.prefix6) {
            problems.add(where + "a removal needs an IPv4 prefix, an IPv6 prefix, or both");
            continue;
        }
        const EamEntry* target = c.prefix4 ? old->exact4(*c.prefix4) : old->exact6(*c.prefix6);
        if (target && c.prefix6 && !(target->prefix6 == *c.prefix6)) target = nullptr;
        const std::string named = (c.prefix4 ? c.prefix4->to_string() : std::string()) +
                                  (c.prefix4 && c.prefix6 ? " <-> " : "") +
                                  (c.prefix6 ? c.prefix6->to_string() : std::string());
        if (!target) {
            problems.add(where + "no EAM entry " + named + " to remove");
            continue;
        }
        const auto index = static_cast<std::size_t>(target - old_entries.data());
        if (removed[index]) {
            problems.add(where + "EAM " + describe(*target) + " is removed twice in this batch");
            continue;
        }
        removed[index] = true;
    }
    if (problems.any()) return std::nullopt;
    std::vector<EamEntry> next;
    next.reserve(old_entries.size() + added.size());
    for (std::size_t i = 0; i < old_entries.size(); ++i)
        if (!removed[i]) next.push_back(old_entries[i]);
    next.insert(next.end(), added.begin(), added.end());
    return next;
}

std::string eamt_digest(const std::vector<EamEntry>& entries) {
    // Byte by byte over each entry's binary form: 22 bytes an entry, a million in tens of
    // milliseconds (the table's build computes it once; `status` and the metrics only read it).
    std::uint64_t hash = 0xcbf29ce484222325ull;
    const auto mix = [&hash](std::uint8_t byte) {
        hash ^= byte;
        hash *= 0x100000001b3ull;
    };
    for (const auto& e : entries) {
        for (int shift = 24; shift >= 0; shift -= 8)
            mix(static_cast<std::uint8_t>(e.prefix4.address.value >> shift));
        mix(e.prefix4.length);
        for (const std::uint8_t byte : e.prefix6.address.bytes)
            mix(byte);
        mix(e.prefix6.length);
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

} // namespace siit
