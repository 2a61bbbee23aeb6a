// The EAMT's versions: a base, an overlay, and how a batch of changes makes the next version; see
// eamt.hpp.
#include "siit/eamt.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "siit/problem_cap.hpp"

namespace siit {

namespace {

// dataplane-bench: prefetching is neutral while a table's arrays fit the last-level cache and
// saves a quarter to a half of the worker's time at a million entries.
constexpr std::size_t kPrefetchWorthwhileBytes = std::size_t{4} << 20;

std::vector<std::uint64_t> no_bits(std::size_t count) {
    return std::vector<std::uint64_t>((count + 63) / 64, 0);
}
bool bit(const std::vector<std::uint64_t>& bits, std::size_t i) {
    return (bits[i >> 6] >> (i & 63)) & 1;
}
void set_bit(std::vector<std::uint64_t>& bits, std::size_t i, bool on) {
    const std::uint64_t mask = std::uint64_t{1} << (i & 63);
    bits[i >> 6] = on ? bits[i >> 6] | mask : bits[i >> 6] & ~mask;
}

// What a batch does to one version's entries, found in a first pass over the batch.
struct BatchEffect {
    std::vector<std::uint64_t> removed;     // the base's removed bits after the batch
    std::vector<bool> added_removed;        // which of the overlay's added entries go
    std::vector<EamEntry> adds;             // entries the batch adds, in batch order
    std::vector<std::size_t> adds_position; // each one's change number
    std::vector<const EamEntry*> removals;  // the entries the batch removes
};

} // namespace

void EamTable::finish() {
    size_ = base_->entries().size() - removed_count_ + (added_ ? added_->entries().size() : 0);
    prefetch_worthwhile_ = base_->memory_bytes() > kPrefetchWorthwhileBytes;
}

std::unique_ptr<EamTable> EamTable::build(std::vector<EamEntry> entries,
                                          std::vector<std::string>& errors) {
    std::shared_ptr<const EamIndex> base = EamIndex::build(std::move(entries), errors);
    if (!base) return nullptr;
    auto table = std::unique_ptr<EamTable>(new EamTable);
    table->base_ = std::move(base);
    for (const EamEntry& e : table->base_->entries())
        table->digest_ += eamt_digest_term(e);
    table->finish();
    return table;
}

const EamEntry* EamTable::exact4(const Ipv4Prefix& prefix) const {
    if (added_)
        if (const EamEntry* e = added_->exact4(prefix)) return e;
    const EamEntry* e = base_->exact4(prefix);
    return e && !base_removed(base_->index_of(e)) ? e : nullptr;
}

const EamEntry* EamTable::exact6(const Ipv6Prefix& prefix) const {
    if (added_)
        if (const EamEntry* e = added_->exact6(prefix)) return e;
    const EamEntry* e = base_->exact6(prefix);
    return e && !base_removed(base_->index_of(e)) ? e : nullptr;
}

std::unique_ptr<EamTable> EamTable::changed(const std::vector<EamtChange>& changes,
                                            std::vector<std::string>& errors) const {
    const std::vector<EamEntry> no_entries;
    const std::vector<EamEntry>& added = added_ ? added_->entries() : no_entries;
    const auto in_added = [&added](const EamEntry* e) {
        return !added.empty() && e >= added.data() && e < added.data() + added.size();
    };
    BatchEffect batch;
    batch.removed = removed_ ? *removed_ : no_bits(base_->entries().size());
    batch.added_removed.assign(added.size(), false);
    const auto removed_by_batch = [&](const EamEntry* e) {
        return in_added(e) ? bool(batch.added_removed[static_cast<std::size_t>(e - added.data())])
                           : bit(batch.removed, base_->index_of(e));
    };

    // First pass: each change against this version, as the batch names it.
    {
        ProblemCap problems(errors);
        for (std::size_t i = 0; i < changes.size(); ++i) {
            const EamtChange& c = changes[i];
            const auto where = [i] { return "change " + std::to_string(i + 1) + ": "; };
            if (c.kind == EamtChange::Kind::add) {
                if (!c.prefix4 || !c.prefix6) {
                    problems.add_made([&] {
                        return where() + "an addition needs both an IPv4 and an IPv6 prefix";
                    });
                    continue;
                }
                const EamEntry e = EamIndex::masked({*c.prefix4, *c.prefix6});
                if (const EamEntry* existing = exact4(e.prefix4);
                    existing && *existing == e && !removed_by_batch(existing)) {
                    problems.add_made(
                        [&] { return where() + "EAM " + eam_text(e) + " already exists"; });
                    continue;
                }
                batch.adds.push_back(e);
                batch.adds_position.push_back(i + 1);
                continue;
            }
            if (!c.prefix4 && !c.prefix6) {
                problems.add_made([&] {
                    return where() + "a removal needs an IPv4 prefix, an IPv6 prefix, or both";
                });
                continue;
            }
            const EamEntry* target = c.prefix4 ? exact4(*c.prefix4) : exact6(*c.prefix6);
            if (target && c.prefix6 && !(target->prefix6 == *c.prefix6)) target = nullptr;
            if (!target) {
                problems.add_made([&] {
                    return where() + "no EAM entry " +
                           (c.prefix4 ? c.prefix4->to_string() : std::string()) +
                           (c.prefix4 && c.prefix6 ? " <-> " : "") +
                           (c.prefix6 ? c.prefix6->to_string() : std::string()) + " to remove";
                });
                continue;
            }
            if (removed_by_batch(target)) {
                problems.add_made([&] {
                    return where() + "EAM " + eam_text(*target) + " is removed twice in this batch";
                });
                continue;
            }
            if (in_added(target))
                batch.added_removed[static_cast<std::size_t>(target - added.data())] = true;
            else
                set_bit(batch.removed, base_->index_of(target), true);
            batch.removals.push_back(target);
        }
        if (problems.any()) return nullptr;
    }

    // Second pass: the entries the batch adds, as the table they join must hold them (RFC 7757
    // §3.2; one entry per prefix on each side), with build()'s messages.
    {
        ProblemCap problems(errors);
        const auto survivor = [&](const EamEntry* e) { return e && !removed_by_batch(e); };
        for (const EamEntry& e : batch.adds) {
            if (auto error = eam_entry_error(e)) {
                problems.add(std::move(*error));
                continue;
            }
            if (const EamEntry* other = exact4(e.prefix4); survivor(other) && !(*other == e))
                problems.add_made([&] {
                    return "EAM " + eam_text(e) + " conflicts with " + eam_text(*other) +
                           ": both map the IPv4 prefix " + e.prefix4.to_string();
                });
            else if (const EamEntry* other6 = exact6(e.prefix6);
                     survivor(other6) && !(*other6 == e))
                problems.add_made([&] {
                    return "EAM " + eam_text(e) + " conflicts with " + eam_text(*other6) +
                           ": both map the IPv6 prefix " + e.prefix6.to_string();
                });
        }
        // Among the additions themselves.
        std::vector<const EamEntry*> by4(batch.adds.size()), by6;
        for (std::size_t i = 0; i < batch.adds.size(); ++i)
            by4[i] = &batch.adds[i];
        by6 = by4;
        std::stable_sort(by4.begin(), by4.end(), [](const EamEntry* a, const EamEntry* b) {
            return a->prefix4 < b->prefix4;
        });
        std::stable_sort(by6.begin(), by6.end(), [](const EamEntry* a, const EamEntry* b) {
            return a->prefix6 < b->prefix6;
        });
        for (std::size_t i = 1; i < by4.size(); ++i) {
            const EamEntry& e = *by4[i];
            const EamEntry& other = *by4[i - 1];
            if (e.prefix4 == other.prefix4)
                problems.add_made([&] {
                    return e == other
                               ? "EAM " + eam_text(e) + " is listed twice"
                               : "EAM " + eam_text(e) + " conflicts with " + eam_text(other) +
                                     ": both map the IPv4 prefix " + e.prefix4.to_string();
                });
        }
        for (std::size_t i = 1; i < by6.size(); ++i) {
            const EamEntry& e = *by6[i];
            const EamEntry& other = *by6[i - 1];
            if (e.prefix6 == other.prefix6 && !(e == other))
                problems.add_made([&] {
                    return "EAM " + eam_text(e) + " conflicts with " + eam_text(other) +
                           ": both map the IPv6 prefix " + e.prefix6.to_string();
                });
        }
        if (problems.any()) return nullptr;
    }

    // The next version: the overlay after the batch, or a new base when it grows too large.
    auto next = std::unique_ptr<EamTable>(new EamTable);
    next->digest_ = digest_;
    for (const EamEntry* e : batch.removals)
        next->digest_ -= eamt_digest_term(*e);
    std::vector<EamEntry> next_added;
    for (std::size_t i = 0; i < added.size(); ++i)
        if (!batch.added_removed[i]) next_added.push_back(added[i]);
    for (const EamEntry& e : batch.adds) {
        next->digest_ += eamt_digest_term(e);
        // An entry of the base coming back clears its removal instead of joining the overlay.
        if (const EamEntry* in_base = base_->exact4(e.prefix4); in_base && *in_base == e)
            set_bit(batch.removed, base_->index_of(in_base), false);
        else
            next_added.push_back(e);
    }
    std::size_t removed_count = 0;
    for (const std::uint64_t word : batch.removed)
        removed_count += static_cast<std::size_t>(std::popcount(word));
    const std::size_t overlay = next_added.size() + removed_count;
    const std::size_t total = base_->entries().size() - removed_count + next_added.size();
    if (total > kMaxEntries) {
        errors.push_back("the EAMT holds at most " + std::to_string(kMaxEntries) +
                         " entries; the batch would make " + std::to_string(total));
        return nullptr;
    }
    std::sort(next_added.begin(), next_added.end(), EamIndex::less);
    if (overlay > std::min(kOverlayMax, base_->entries().size())) {
        // A merge of two sorted lists: the new base needs no sort.
        std::vector<EamEntry> all;
        all.reserve(total);
        const auto& base = base_->entries();
        std::size_t a = 0;
        for (std::size_t i = 0; i < base.size(); ++i) {
            if (bit(batch.removed, i)) continue;
            while (a < next_added.size() && EamIndex::less(next_added[a], base[i]))
                all.push_back(next_added[a++]);
            all.push_back(base[i]);
        }
        all.insert(all.end(), next_added.begin() + static_cast<std::ptrdiff_t>(a),
                   next_added.end());
        next->base_ = EamIndex::build(std::move(all), errors);
        if (!next->base_) return nullptr;
    } else {
        next->base_ = base_;
        if (!next_added.empty()) {
            next->added_ = EamIndex::build(std::move(next_added), errors);
            if (!next->added_) return nullptr;
        }
        if (removed_count != 0) {
            next->removed_count_ = removed_count;
            next->removed_ =
                removed_ && *removed_ == batch.removed
                    ? removed_
                    : std::make_shared<const std::vector<std::uint64_t>>(std::move(batch.removed));
        }
    }
    next->finish();
    return next;
}

const std::vector<EamEntry>& EamTable::entries() const {
    if (merged()) return base_->entries();
    std::call_once(listed_once_, [this] {
        const auto& base = base_->entries();
        const std::vector<EamEntry> none;
        const auto& added = added_ ? added_->entries() : none;
        listed_.reserve(size_);
        std::size_t a = 0;
        for (std::size_t i = 0; i < base.size(); ++i) {
            if (base_removed(i)) continue;
            while (a < added.size() && EamIndex::less(added[a], base[i]))
                listed_.push_back(added[a++]);
            listed_.push_back(base[i]);
        }
        listed_.insert(listed_.end(), added.begin() + static_cast<std::ptrdiff_t>(a), added.end());
    });
    return listed_;
}

EamtDifference EamTable::difference_from(const EamTable& older) const {
    EamtDifference d;
    const auto minus = [](const std::vector<EamEntry>& a, const std::vector<EamEntry>& b,
                          std::vector<EamEntry>& out) {
        std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out),
                            EamIndex::less);
    };
    if (base_ != older.base_) {
        minus(entries(), older.entries(), d.added);
        minus(older.entries(), entries(), d.removed);
        return d;
    }
    const std::vector<EamEntry> none;
    const auto& mine = added_ ? added_->entries() : none;
    const auto& theirs = older.added_ ? older.added_->entries() : none;
    minus(mine, theirs, d.added);
    minus(theirs, mine, d.removed);
    if (removed_ != older.removed_) {
        const auto& base = base_->entries();
        const std::size_t words = (base.size() + 63) / 64;
        for (std::size_t w = 0; w < words; ++w) {
            const std::uint64_t now = removed_ ? (*removed_)[w] : 0;
            const std::uint64_t before = older.removed_ ? (*older.removed_)[w] : 0;
            for (std::uint64_t back = before & ~now; back != 0; back &= back - 1)
                d.added.push_back(base[w * 64 + static_cast<std::size_t>(std::countr_zero(back))]);
            for (std::uint64_t gone = now & ~before; gone != 0; gone &= gone - 1)
                d.removed.push_back(
                    base[w * 64 + static_cast<std::size_t>(std::countr_zero(gone))]);
        }
        std::sort(d.added.begin(), d.added.end(), EamIndex::less);
        std::sort(d.removed.begin(), d.removed.end(), EamIndex::less);
    }
    return d;
}

std::string EamTable::digest() const {
    return eamt_digest_text(digest_);
}

std::size_t EamTable::memory_bytes() const {
    return sizeof(*this) + base_->memory_bytes() + (added_ ? added_->memory_bytes() : 0) +
           (removed_ ? removed_->capacity() * sizeof(std::uint64_t) : 0) +
           listed_.capacity() * sizeof(EamEntry);
}

std::uint64_t eamt_digest_term(const EamEntry& e) {
    // FNV-1a over the entry's 22 bytes, then a final mix (splitmix64's) so that terms of
    // neighbouring entries do not cancel in the sum.
    std::uint64_t hash = 0xcbf29ce484222325ull;
    const auto mix = [&hash](std::uint8_t byte) {
        hash ^= byte;
        hash *= 0x100000001b3ull;
    };
    for (int shift = 24; shift >= 0; shift -= 8)
        mix(static_cast<std::uint8_t>(e.prefix4.address.value >> shift));
    mix(e.prefix4.length);
    for (const std::uint8_t byte : e.prefix6.address.bytes)
        mix(byte);
    mix(e.prefix6.length);
    hash = (hash ^ (hash >> 30)) * 0xbf58476d1ce4e5b9ull;
    hash = (hash ^ (hash >> 27)) * 0x94d049bb133111ebull;
    return hash ^ (hash >> 31);
}

std::string eamt_digest_text(std::uint64_t sum) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(sum));
    return text;
}

std::string eamt_digest(const std::vector<EamEntry>& entries) {
    std::uint64_t sum = 0;
    for (const EamEntry& e : entries)
        sum += eamt_digest_term(e);
    return eamt_digest_text(sum);
}

} // namespace siit
