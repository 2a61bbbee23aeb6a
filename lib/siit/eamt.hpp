// The EAMT (RFC 7757): explicit address mappings that workers look up with no lock while the
// control plane changes them.
//
// An EamTable is one immutable version: the entries and, per direction, a hash table keyed by
// (masked prefix, length), probed from the longest prefix length in use to the shortest. A small
// bit filter per direction (16 bits per entry, cache-resident) answers "certainly absent" for most
// lengths without touching the large table; its loads do not depend on each other, so the CPU
// overlaps them. docs/eamt.md has the measurements behind this choice.
//
// Versions are published to the workers, together with the other settings, by TranslationState
// (translation_state.hpp). Any number of threads may call the const methods of a version they hold.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "siit/bytes.hpp"
#include "siit/eam.hpp"
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

class EamTable final : public EamLookup {
  public:
    // The largest table a version can hold (indexes are 24 bits in the IPv4 slots).
    static constexpr std::size_t kMaxEntries = (1u << 24) - 1;

    // Builds a version from `entries`. When any entry is invalid (RFC 7757 §3.2), duplicated, or
    // maps a prefix that another entry maps differently, returns null and appends one message per
    // problem to `errors`, naming the entries involved.
    static std::unique_ptr<EamTable> build(std::vector<EamEntry> entries,
                                           std::vector<std::string>& errors);

    const EamEntry* find4(Ipv4Address address) const override;
    const EamEntry* find6(const Ipv6Address& address) const override;
    // The same, always inlined, for the translator's fast path; `address`: 16 bytes.
    [[gnu::always_inline]] const EamEntry* lookup4(Ipv4Address address) const;
    [[gnu::always_inline]] const EamEntry* lookup6(const std::uint8_t* address) const;
    // Prefetching, for tables larger than the caches: a worker runs these over a whole burst of
    // packets before translating it, so that the misses of the burst's lookups overlap instead of
    // following one another (docs/dataplane.md, "Large tables"). They change nothing.
    // Whether the arrays that lookups read are large enough for prefetching to pay.
    bool prefetch_worthwhile() const { return prefetch_worthwhile_; }
    // Starts fetching the slots a lookup of `address` will probe, at each prefix length the bit
    // filter does not rule out (it reads the filter), and returns at once.
    void prefetch_slots4(Ipv4Address address) const {
        for (const Length4& l : lengths4_) {
            const std::uint64_t hash = hash4(address.value & l.mask, l.length);
            if (filter_has(filter4_, filter_shift_, hash))
                prefetch_for_read(&table4_[hash >> table_shift_]);
        }
    }
    void prefetch_slots6(const std::uint8_t* address) const {
        const std::uint64_t hi = load64(address), lo = load64(address + 8);
        for (const Length6& l : lengths6_) {
            const std::uint64_t hash = hash6(hi & l.hi_mask, lo & l.lo_mask, l.length);
            if (filter_has(filter6_, filter_shift_, hash)) {
                // A 20-byte slot straddles two lines one time in four.
                const Slot6* slot = &table6_[hash >> table_shift_];
                prefetch_for_read(slot);
                prefetch_for_read(reinterpret_cast<const char*>(slot) + sizeof(Slot6) - 1);
            }
        }
    }
    // Starts fetching an entry a lookup returned, for the mapping that follows. Entries are not
    // line-aligned: one may straddle two lines.
    static void prefetch_entry(const EamEntry* e) {
        prefetch_for_read(e);
        prefetch_for_read(reinterpret_cast<const char*>(e) + sizeof(EamEntry) - 1);
    }
    // The entry with exactly this prefix, or null.
    const EamEntry* exact4(const Ipv4Prefix& prefix) const;
    const EamEntry* exact6(const Ipv6Prefix& prefix) const;
    // The entries this version would have after `changes`, applied all or none: on any refused
    // change returns nothing and appends one message per refusal to `errors`, naming the change by
    // its position in the batch and its prefixes. build() still checks the result as a table.
    std::optional<std::vector<EamEntry>> with_changes(const std::vector<EamtChange>& changes,
                                                      std::vector<std::string>& errors) const;
    // Every entry, sorted by IPv4 prefix then length.
    const std::vector<EamEntry>& entries() const { return entries_; }
    // eamt_digest(entries()), computed once when the table is built.
    const std::string& digest() const { return digest_; }
    // Bytes this version occupies (entries and both hash tables).
    std::size_t memory_bytes() const;

  private:
    struct Slot6 {
        std::uint32_t words[4];     // masked IPv6 prefix, most significant word first
        std::uint32_t length_index; // length << 24 | entry index
    };
    // A prefix length in use and its mask, so that a lookup masks with one AND per half.
    struct Length4 {
        std::uint32_t mask;
        std::uint8_t length;
    };
    struct Length6 {
        std::uint64_t hi_mask, lo_mask; // over the address as two host-order halves
        std::uint8_t length;
    };
    // Multiply-shift hashing (Dietzfelbinger): one or two multiplies per probed length, which
    // matters when a lookup probes a dozen lengths. Only the top bits are good, so tables and
    // filters index with the top bits.
    static std::uint64_t hash4(std::uint32_t masked, std::uint8_t length) {
        return ((std::uint64_t{masked} << 8) | length) * 0x9e3779b97f4a7c15ull;
    }
    static std::uint64_t hash6(std::uint64_t hi, std::uint64_t lo, std::uint8_t length) {
        return ((hi ^ (lo * 0xc2b2ae3d27d4eb4full)) + length) * 0x9e3779b97f4a7c15ull;
    }
    static constexpr std::size_t kPrefetchWorthwhileBytes = std::size_t{4} << 20;
    static constexpr std::uint64_t kEmpty4 = ~std::uint64_t{0};
    static constexpr std::uint32_t kEmpty6 = ~std::uint32_t{0};

    const EamEntry* probe4(std::uint32_t masked, std::uint8_t length, std::uint64_t hash) const;
    const EamEntry* probe6(std::uint64_t hi, std::uint64_t lo, std::uint8_t length,
                           std::uint64_t hash) const;
    static bool filter_has(const std::vector<std::uint64_t>& filter, unsigned shift,
                           std::uint64_t hash) {
        const std::uint64_t bit = hash >> shift;
        return (filter[bit >> 6] >> (bit & 63)) & 1;
    }
    static void filter_set(std::vector<std::uint64_t>& filter, unsigned shift, std::uint64_t hash) {
        const std::uint64_t bit = hash >> shift;
        filter[bit >> 6] |= std::uint64_t{1} << (bit & 63);
    }

    std::vector<EamEntry> entries_;
    std::string digest_;
    std::vector<std::uint64_t>
        table4_; // masked value << 32 | length << 24 | index; all ones: empty
    std::vector<Slot6> table6_;
    std::uint64_t mask4_ = 0;
    std::uint64_t mask6_ = 0;
    // Bit filters indexed by the top bits of the same hashes the tables use.
    std::vector<std::uint64_t> filter4_, filter6_;
    unsigned filter_shift_ = 63;
    bool prefetch_worthwhile_ = false;
    unsigned table_shift_ = 63;
    std::vector<Length4> lengths4_; // prefix lengths in use, longest first
    std::vector<Length6> lengths6_;
};

// The lookups, inline: the fast path calls them for every packet (two or three times), and
// inlined their loads and multiplies interleave with the rest of its work (called, 2-3 ns more
// per packet in dataplane-bench's translator alone).
inline const EamEntry* EamTable::probe4(std::uint32_t masked, std::uint8_t length,
                                        std::uint64_t hash) const {
    const std::uint64_t key = (std::uint64_t{masked} << 32) | (std::uint64_t{length} << 24);
    for (std::uint64_t i = hash >> table_shift_;; i = (i + 1) & mask4_) {
        const std::uint64_t slot = table4_[i];
        if (slot == kEmpty4) return nullptr;
        if ((slot & ~std::uint64_t{0xffffff}) == key) return &entries_[slot & 0xffffff];
    }
}

inline const EamEntry* EamTable::probe6(std::uint64_t hi, std::uint64_t lo, std::uint8_t length,
                                        std::uint64_t hash) const {
    const auto w0 = static_cast<std::uint32_t>(hi >> 32), w1 = static_cast<std::uint32_t>(hi);
    const auto w2 = static_cast<std::uint32_t>(lo >> 32), w3 = static_cast<std::uint32_t>(lo);
    for (std::uint64_t i = hash >> table_shift_;; i = (i + 1) & mask6_) {
        const Slot6& slot = table6_[i];
        if (slot.length_index == kEmpty6) return nullptr;
        if ((slot.length_index >> 24) == length && slot.words[0] == w0 && slot.words[1] == w1 &&
            slot.words[2] == w2 && slot.words[3] == w3)
            return &entries_[slot.length_index & 0xffffff];
    }
}

inline const EamEntry* EamTable::lookup4(Ipv4Address address) const {
    for (const Length4& l : lengths4_) {
        const std::uint32_t masked = address.value & l.mask;
        const std::uint64_t hash = hash4(masked, l.length);
        if (!filter_has(filter4_, filter_shift_, hash)) continue;
        if (const EamEntry* e = probe4(masked, l.length, hash)) return e;
    }
    return nullptr;
}

inline const EamEntry* EamTable::lookup6(const std::uint8_t* address) const {
    const std::uint64_t hi = load64(address), lo = load64(address + 8);
    for (const Length6& l : lengths6_) {
        const std::uint64_t masked_hi = hi & l.hi_mask, masked_lo = lo & l.lo_mask;
        const std::uint64_t hash = hash6(masked_hi, masked_lo, l.length);
        if (!filter_has(filter6_, filter_shift_, hash)) continue;
        if (const EamEntry* e = probe6(masked_hi, masked_lo, l.length, hash)) return e;
    }
    return nullptr;
}

// FNV-1a (64 bits) over a table's entries in order, each as its IPv4 address (4 bytes, network
// order), its length, its IPv6 address (16 bytes) and its length (EamTable::entries() are
// sorted, so the order they were loaded in does not matter): two tables with the same digest hold
// the same entries, so operators compare boxes, or a box with its file, at a glance. 16 hex digits.
std::string eamt_digest(const std::vector<EamEntry>& entries);

} // namespace siit
