// An immutable longest-prefix-match index over a set of EAM entries, both directions: the large,
// rarely rebuilt base of an EAMT version (eamt.hpp), and the small overlay of entries added since.
//
// Per direction, one open-addressing hash table keyed by (masked prefix, length), probed from the
// longest prefix length in use to the shortest, after two cheap checks:
// - a directory of 65 536 one-byte cells, indexed by the address's top 16 bits (IPv4) or by a
//   hash of its top 64 bits (IPv6), says whether any entry lies over that cell, so an address no
//   entry comes near (an IPv4 client of a hosting provider, a pool6 address) costs one read of a
//   cache-resident byte and no probe at all;
// - a bit filter (16 bits per entry, cache-resident) answers "certainly absent" for most lengths
//   without touching the large table. Its reads do not depend on each other, so the core issues
//   them together; a loop over the directory's own list of lengths measured slower, its branches
//   unpredictable (docs/eamt.md).
// Slots hold their keys, so that a probe reads the slot's line alone (a fingerprint checked against
// the entry measured twice the worker's time at a million entries: the entry's miss then sits
// inside the lookup, where no prefetch stage reaches it). IPv4 slots take 8 bytes, IPv6 slots 20,
// at a load factor of at most 0.7: about 72 bytes an entry at a million (docs/eamt.md).
//
// Lookups may skip the entries a bitmap marks as removed (`Removed`), so that a version can be the
// base minus a few entries without a rebuild. Any number of threads may call the const methods.
#pragma once

#include <bit>
#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "siit/bytes.hpp"
#include "siit/eam.hpp"
#include "siit/prefetch.hpp"

namespace siit {

class EamIndex {
  public:
    // The largest index (entry indexes are 24 bits in the slots).
    static constexpr std::size_t kMaxEntries = (1u << 24) - 1;

    // Removed entries, one bit per entry index; null: none.
    using Removed = const std::uint64_t*;

    // Builds an index over `entries`. When any entry is invalid (RFC 7757 §3.2), duplicated, or
    // maps a prefix that another entry maps differently, returns null and appends one message per
    // problem to `errors`, naming the entries involved. Entries already in order (EamIndex::less)
    // are not sorted again.
    static std::unique_ptr<EamIndex> build(std::vector<EamEntry> entries,
                                           std::vector<std::string>& errors);
    // The entry with its host bits cleared on both sides, as an index keys it.
    static EamEntry masked(EamEntry e);
    // The order entries() keeps: by IPv4 prefix, then length, then IPv6 prefix.
    static bool less(const EamEntry& a, const EamEntry& b) {
        return std::tie(a.prefix4.address.value, a.prefix4.length, a.prefix6) <
               std::tie(b.prefix4.address.value, b.prefix4.length, b.prefix6);
    }

    // Longest-prefix match (RFC 7757 §3.3, §3.4) over the entries `removed` does not mark.
    [[gnu::always_inline]] const EamEntry* lookup4(Ipv4Address address,
                                                   Removed removed = nullptr) const;
    // `address`: 16 bytes.
    [[gnu::always_inline]] const EamEntry* lookup6(const std::uint8_t* address,
                                                   Removed removed = nullptr) const;
    // The entry with exactly this prefix, removed or not, or null.
    const EamEntry* exact4(const Ipv4Prefix& prefix) const;
    const EamEntry* exact6(const Ipv6Prefix& prefix) const;

    // Starts fetching the slots a lookup of `address` will probe (those the directory and the
    // filter do not rule out) and returns at once; changes nothing.
    void prefetch_slots4(Ipv4Address address) const {
        if (cell4(address.value) == 0) return;
        for (const std::uint8_t length : lengths4_) {
            const std::uint64_t hash = hash4(address.value & mask32(length), length);
            if (filter_has(filter4_, hash)) prefetch_for_read(&table4_[home(hash)]);
        }
    }
    void prefetch_slots6(const std::uint8_t* address) const {
        const std::uint64_t hi = load64(address), lo = load64(address + 8);
        if (cell6(hi) == 0 && !short6_) return;
        for (const std::uint8_t length : lengths6_) {
            const std::uint64_t hash =
                hash6(hi & mask64(length), lo & mask64(static_cast<int>(length) - 64), length);
            if (filter_has(filter6_, hash)) {
                // A 20-byte slot straddles two lines one time in four.
                const Slot6* slot = &table6_[home(hash)];
                prefetch_for_read(slot);
                prefetch_for_read(reinterpret_cast<const char*>(slot) + sizeof(Slot6) - 1);
            }
        }
    }

    // Every entry, in EamIndex::less order; an entry's index is its position here.
    const std::vector<EamEntry>& entries() const { return entries_; }
    std::size_t index_of(const EamEntry* e) const {
        return static_cast<std::size_t>(e - entries_.data());
    }
    // Bytes this index occupies.
    std::size_t memory_bytes() const;

  private:
    EamIndex() = default;

    struct Slot6 {
        std::uint32_t words[4];     // masked IPv6 prefix, most significant word first
        std::uint32_t length_index; // length << 24 | entry index; all ones: empty
    };

    static std::uint32_t mask32(unsigned length) {
        return length == 0 ? 0 : ~std::uint32_t{0} << (32 - length);
    }
    static std::uint64_t mask64(int length) {
        return length <= 0    ? 0
               : length >= 64 ? ~std::uint64_t{0}
                              : ~std::uint64_t{0} << (64 - length);
    }
    // Multiply-shift hashing (Dietzfelbinger): one or two multiplies per probed length. Only the
    // top bits are good, so tables and filters index with the top bits.
    static std::uint64_t hash4(std::uint32_t masked, unsigned length) {
        return ((std::uint64_t{masked} << 8) | length) * 0x9e3779b97f4a7c15ull;
    }
    static std::uint64_t hash6(std::uint64_t hi, std::uint64_t lo, unsigned length) {
        return ((hi ^ (lo * 0xc2b2ae3d27d4eb4full)) + length) * 0x9e3779b97f4a7c15ull;
    }
    // The directory cell of an IPv6 address: its top 64 bits, hashed to 16.
    static std::size_t cell6_index(std::uint64_t hi) {
        return static_cast<std::size_t>((hi * 0x9e3779b97f4a7c15ull) >> 48);
    }
    // IPv4: nonzero when an entry lies over the address's /16.
    std::uint8_t cell4(std::uint32_t address) const { return directory4_[address >> 16]; }
    // IPv6: nonzero when an entry of 65 bits or more lies over a /64 that hashes to the
    // address's cell; entries of 64 bits or fewer (short6_) lie over any address.
    std::uint8_t cell6(std::uint64_t hi) const { return directory6_[cell6_index(hi)]; }
    // The first slot probed for `hash`: its top 32 bits scaled to the table (fast range
    // reduction, so the table need not be a power of two).
    std::size_t home(std::uint64_t hash) const {
        return static_cast<std::size_t>(((hash >> 32) * slots_) >> 32);
    }
    std::size_t next(std::size_t i) const { return i + 1 == slots_ ? 0 : i + 1; }
    bool filter_has(const std::vector<std::uint64_t>& filter, std::uint64_t hash) const {
        const std::uint64_t bit = hash >> filter_shift_;
        return (filter[bit >> 6] >> (bit & 63)) & 1;
    }
    static bool is_removed(Removed removed, std::size_t index) {
        return removed && ((removed[index >> 6] >> (index & 63)) & 1);
    }

    const EamEntry* probe4(std::uint32_t masked, unsigned length, std::uint64_t hash,
                           Removed removed) const;
    const EamEntry* probe6(std::uint64_t hi, std::uint64_t lo, unsigned length, std::uint64_t hash,
                           Removed removed) const;

    static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
    static constexpr std::uint32_t kEmpty6 = ~std::uint32_t{0};

    std::vector<EamEntry> entries_;
    std::vector<std::uint64_t> table4_; // masked value << 32 | length << 24 | index; ones: empty
    std::vector<Slot6> table6_;
    std::size_t slots_ = 1;
    std::vector<std::uint64_t> filter4_, filter6_;
    unsigned filter_shift_ = 63;
    std::vector<std::uint8_t> directory4_, directory6_;
    bool short6_ = false;                // an IPv6 entry of 64 bits or fewer
    std::vector<std::uint8_t> lengths4_; // prefix lengths in use, longest first
    std::vector<std::uint8_t> lengths6_;
};

// Inline: the fast path calls the lookups for every packet (two or three times), and inlined
// their loads and multiplies interleave with the rest of its work.
inline const EamEntry* EamIndex::probe4(std::uint32_t masked, unsigned length, std::uint64_t hash,
                                        Removed removed) const {
    const std::uint64_t key = (std::uint64_t{masked} << 32) | (std::uint64_t{length} << 24);
    for (std::size_t i = home(hash);; i = next(i)) {
        const std::uint64_t slot = table4_[i];
        if (slot == kEmpty) return nullptr;
        if ((slot & ~std::uint64_t{0xffffff}) == key) {
            const std::size_t index = slot & 0xffffff;
            return is_removed(removed, index) ? nullptr : &entries_[index];
        }
    }
}

inline const EamEntry* EamIndex::probe6(std::uint64_t hi, std::uint64_t lo, unsigned length,
                                        std::uint64_t hash, Removed removed) const {
    const auto w0 = static_cast<std::uint32_t>(hi >> 32), w1 = static_cast<std::uint32_t>(hi);
    const auto w2 = static_cast<std::uint32_t>(lo >> 32), w3 = static_cast<std::uint32_t>(lo);
    for (std::size_t i = home(hash);; i = next(i)) {
        const Slot6& slot = table6_[i];
        if (slot.length_index == kEmpty6) return nullptr;
        if ((slot.length_index >> 24) == length && slot.words[0] == w0 && slot.words[1] == w1 &&
            slot.words[2] == w2 && slot.words[3] == w3) {
            const std::size_t index = slot.length_index & 0xffffff;
            return is_removed(removed, index) ? nullptr : &entries_[index];
        }
    }
}

inline const EamEntry* EamIndex::lookup4(Ipv4Address address, Removed removed) const {
    // No entry over the address's /16: nothing to probe. Otherwise every length in use, longest
    // first: a loop the branch predictor learns, whose filter reads the core issues together.
    if (cell4(address.value) == 0) return nullptr;
    for (const std::uint8_t length : lengths4_) {
        const std::uint32_t masked = address.value & mask32(length);
        const std::uint64_t hash = hash4(masked, length);
        if (!filter_has(filter4_, hash)) continue;
        if (const EamEntry* e = probe4(masked, length, hash, removed)) return e;
    }
    return nullptr;
}

inline const EamEntry* EamIndex::lookup6(const std::uint8_t* address, Removed removed) const {
    const std::uint64_t hi = load64(address), lo = load64(address + 8);
    if (cell6(hi) == 0 && !short6_) return nullptr;
    for (const std::uint8_t length : lengths6_) {
        const std::uint64_t masked_hi = hi & mask64(length);
        const std::uint64_t masked_lo = lo & mask64(static_cast<int>(length) - 64);
        const std::uint64_t hash = hash6(masked_hi, masked_lo, length);
        if (!filter_has(filter6_, hash)) continue;
        if (const EamEntry* e = probe6(masked_hi, masked_lo, length, hash, removed)) return e;
    }
    return nullptr;
}

} // namespace siit
