// The EAMT (RFC 7757): explicit address mappings that workers look up with no lock while the
// control plane changes them.
//
// An EamTable is one immutable version: a base index (eam_index.hpp), shared with the versions
// before and after it, plus an overlay of what changed since the base was built: a small index of
// the entries added, and a bitmap of the base's entries removed. One change to a million-entry
// table therefore copies the overlay (at most kOverlayMax entries and a bit per base entry), not
// the table; once the overlay outgrows that bound, the change builds a new base from every entry
// (a merge of two sorted lists, then the index). A version with an empty overlay is looked up as
// its base alone. docs/eamt.md has the measurements behind these choices.
//
// Versions are published to the workers, together with the other settings, by TranslationState
// (translation_state.hpp). Any number of threads may call the const methods of a version they
// hold, except entries() (see there).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "siit/eam.hpp"
#include "siit/eam_index.hpp"
#include "siit/prefetch.hpp"

namespace siit {

// One change in a batch. A removal names the IPv4 prefix, the IPv6 prefix, or both.
struct EamtChange {
    enum class Kind : std::uint8_t { add, remove };
    Kind kind = Kind::add;
    std::optional<Ipv4Prefix> prefix4;
    std::optional<Ipv6Prefix> prefix6;

    static EamtChange add(const EamEntry& e) { return {Kind::add, e.prefix4, e.prefix6}; }
    static EamtChange remove(std::optional<Ipv4Prefix> p4, std::optional<Ipv6Prefix> p6) {
        return {Kind::remove, p4, p6};
    }
};

// What one version holds that another does not, both in EamIndex::less order.
struct EamtDifference {
    std::vector<EamEntry> added, removed;
};

class EamTable final : public EamLookup {
  public:
    static constexpr std::size_t kMaxEntries = EamIndex::kMaxEntries;
    // The most entries an overlay holds (added plus removed) before a change merges it into a new
    // base: rebuilding an overlay this size stays well under a millisecond, and a merge (about
    // 0.1 s at a million entries) comes at most once per this many single changes.
    static constexpr std::size_t kOverlayMax = 4096;

    // Builds a version from `entries`, with no overlay. When any entry is invalid (RFC 7757
    // §3.2), duplicated, or maps a prefix that another entry maps differently, returns null and
    // appends one message per problem to `errors`, naming the entries involved.
    static std::unique_ptr<EamTable> build(std::vector<EamEntry> entries,
                                           std::vector<std::string>& errors);
    // The version this one becomes after `changes`, applied all or none: on any refused change
    // returns null and appends one message per refusal to `errors`, naming the change by its
    // position in the batch and its prefixes, or the entries that would conflict.
    std::unique_ptr<EamTable> changed(const std::vector<EamtChange>& changes,
                                      std::vector<std::string>& errors) const;

    const EamEntry* find4(Ipv4Address address) const override { return lookup4(address); }
    const EamEntry* find6(const Ipv6Address& address) const override {
        return lookup6(address.bytes.data());
    }
    // The same, always inlined, for the translator's fast path; `address`: 16 bytes.
    [[gnu::always_inline]] const EamEntry* lookup4(Ipv4Address address) const {
        if (!added_ && !removed_) [[likely]]
            return base_->lookup4(address);
        return overlaid4(address);
    }
    [[gnu::always_inline]] const EamEntry* lookup6(const std::uint8_t* address) const {
        if (!added_ && !removed_) [[likely]]
            return base_->lookup6(address);
        return overlaid6(address);
    }
    // Prefetching, for tables larger than the caches: a worker runs these over a whole burst of
    // packets before translating it, so that the misses of the burst's lookups overlap instead of
    // following one another (docs/dataplane.md, "Large tables"). They change nothing.
    // Whether the arrays that lookups read are large enough for prefetching to pay.
    bool prefetch_worthwhile() const { return prefetch_worthwhile_; }
    // Starts fetching the base's slots a lookup of `address` will probe (the overlay is small
    // enough to stay in the caches) and returns at once.
    void prefetch_slots4(Ipv4Address address) const { base_->prefetch_slots4(address); }
    void prefetch_slots6(const std::uint8_t* address) const { base_->prefetch_slots6(address); }
    // Starts fetching an entry a lookup returned, for the mapping that follows. Entries are not
    // line-aligned: one may straddle two lines.
    static void prefetch_entry(const EamEntry* e) {
        prefetch_for_read(e);
        prefetch_for_read(reinterpret_cast<const char*>(e) + sizeof(EamEntry) - 1);
    }
    // The entry with exactly this prefix, or null.
    const EamEntry* exact4(const Ipv4Prefix& prefix) const;
    const EamEntry* exact6(const Ipv6Prefix& prefix) const;

    // How many entries this version holds.
    std::size_t size() const { return size_; }
    // Every entry, in EamIndex::less order (by IPv4 prefix, then length). For a version with an
    // overlay the list is made on the first call and kept; any thread may call it, but it costs
    // a copy of the table there, so the workers never do.
    const std::vector<EamEntry>& entries() const;
    // What this version holds that `older` does not, and the reverse: from the overlays alone
    // when both versions share a base (a single change costs microseconds), else from both lists.
    EamtDifference difference_from(const EamTable& older) const;
    // The table's digest (eamt_digest), kept up to date change by change.
    std::string digest() const;
    // Bytes this version occupies: its base (shared with other versions) and its overlay.
    std::size_t memory_bytes() const;
    // Whether this version is its base alone (no overlay).
    bool merged() const { return !added_ && !removed_; }

  private:
    EamTable() = default;
    const EamEntry* overlaid4(Ipv4Address address) const {
        const EamEntry* in_base = base_->lookup4(address, removed_bits());
        const EamEntry* in_added = added_ ? added_->lookup4(address) : nullptr;
        if (!in_added) return in_base;
        return !in_base || in_added->prefix4.length > in_base->prefix4.length ? in_added : in_base;
    }
    const EamEntry* overlaid6(const std::uint8_t* address) const {
        const EamEntry* in_base = base_->lookup6(address, removed_bits());
        const EamEntry* in_added = added_ ? added_->lookup6(address) : nullptr;
        if (!in_added) return in_base;
        return !in_base || in_added->prefix6.length > in_base->prefix6.length ? in_added : in_base;
    }
    EamIndex::Removed removed_bits() const { return removed_ ? removed_->data() : nullptr; }
    bool base_removed(std::size_t index) const {
        return removed_ && (((*removed_)[index >> 6] >> (index & 63)) & 1);
    }
    void finish(); // the derived fields: size, prefetch_worthwhile

    std::shared_ptr<const EamIndex> base_;
    std::shared_ptr<const EamIndex> added_;                     // null: nothing added since base_
    std::shared_ptr<const std::vector<std::uint64_t>> removed_; // null: nothing removed
    std::size_t removed_count_ = 0;
    std::size_t size_ = 0;
    std::uint64_t digest_ = 0;
    bool prefetch_worthwhile_ = false;
    // entries() of a version with an overlay, made on first use.
    mutable std::once_flag listed_once_;
    mutable std::vector<EamEntry> listed_;
};

// An EAMT's digest: the sum, modulo 2^64, of a 64-bit hash of each entry's binary form (its IPv4
// address in network order, its length, its IPv6 address and its length), as 16 hex digits. Two
// tables with the same entries have the same digest whatever order they were loaded or changed
// in, so operators compare boxes, or a box with its file, at a glance; and a change adds or
// subtracts its entries' hashes instead of reading the whole table again.
std::string eamt_digest(const std::vector<EamEntry>& entries);
// One entry's term in that sum.
std::uint64_t eamt_digest_term(const EamEntry& entry);
std::string eamt_digest_text(std::uint64_t sum);

} // namespace siit
