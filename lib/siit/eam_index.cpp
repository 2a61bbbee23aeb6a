// Building an EamIndex; see eam_index.hpp.
#include "siit/eam_index.hpp"

#include <algorithm>

#include "siit/problem_cap.hpp"

namespace siit {

namespace {

// Slots for `entries` at a load factor of at most 0.7 (linear probing stays short there).
std::size_t slots_for(std::size_t entries) {
    return std::max<std::size_t>(16, entries + entries * 3 / 7 + 1);
}

} // namespace

EamEntry EamIndex::masked(EamEntry e) {
    e.prefix4.address.value &= e.prefix4.mask();
    for (unsigned bit = e.prefix6.length; bit < 128; ++bit)
        e.prefix6.address.set_bit(bit, false);
    return e;
}

std::unique_ptr<EamIndex> EamIndex::build(std::vector<EamEntry> entries,
                                          std::vector<std::string>& errors) {
    if (entries.size() > kMaxEntries) {
        errors.push_back("the EAMT holds at most " + std::to_string(kMaxEntries) +
                         " entries; got " + std::to_string(entries.size()));
        return nullptr;
    }
    // Each problem found below is listed up to siit::kMaxProblemsListed, then counted.
    ProblemCap problems(errors);
    for (auto& e : entries) {
        if (auto error = eam_entry_error(e)) problems.add(std::move(*error));
        e = masked(e);
    }
    if (!std::is_sorted(entries.begin(), entries.end(), less))
        std::sort(entries.begin(), entries.end(), less);

    auto index = std::unique_ptr<EamIndex>(new EamIndex);
    index->entries_ = std::move(entries);
    const auto& all = index->entries_;
    index->slots_ = slots_for(all.size());
    index->table4_.assign(index->slots_, kEmpty);
    index->table6_.assign(index->slots_, Slot6{{0, 0, 0, 0}, kEmpty6});
    // At least 16 filter bits per entry: about 6% false positives per probed length.
    const std::size_t filter_bits = std::bit_ceil(std::max<std::size_t>(1024, all.size() * 16));
    index->filter_shift_ = 64 - static_cast<unsigned>(std::countr_zero(filter_bits));
    index->filter4_.assign(filter_bits / 64, 0);
    index->filter6_.assign(filter_bits / 64, 0);
    index->directory4_.assign(std::size_t{1} << 16, 0);
    index->directory6_.assign(std::size_t{1} << 16, 0);
    std::vector<bool> used4(33), used6(129);
    const auto filter_set = [&index](std::vector<std::uint64_t>& filter, std::uint64_t hash) {
        const std::uint64_t bit = hash >> index->filter_shift_;
        filter[bit >> 6] |= std::uint64_t{1} << (bit & 63);
    };

    for (std::uint32_t at = 0; at < all.size(); ++at) {
        const EamEntry& e = all[at];
        // IPv4 side: the slot, the filter, and every /16 cell the prefix covers.
        const std::uint32_t v4 = e.prefix4.address.value;
        const unsigned l4 = e.prefix4.length;
        const std::uint64_t h4 = hash4(v4, l4);
        filter_set(index->filter4_, h4);
        const std::uint64_t key4 = (std::uint64_t{v4} << 32) | (std::uint64_t{l4} << 24);
        for (std::size_t i = index->home(h4);; i = index->next(i)) {
            const std::uint64_t slot = index->table4_[i];
            if (slot == kEmpty) {
                index->table4_[i] = key4 | at;
                break;
            }
            if ((slot & ~std::uint64_t{0xffffff}) == key4) {
                const EamEntry& other = all[slot & 0xffffff];
                problems.add_made([&] {
                    return other == e
                               ? "EAM " + eam_text(e) + " is listed twice"
                               : "EAM " + eam_text(e) + " conflicts with " + eam_text(other) +
                                     ": both map the IPv4 prefix " + e.prefix4.to_string();
                });
                break;
            }
        }
        used4[l4] = true;
        const std::size_t first = v4 >> 16;
        const std::size_t cells = l4 >= 16 ? 1 : std::size_t{1} << (16 - l4);
        for (std::size_t c = first; c < first + cells; ++c)
            index->directory4_[c] = 1;
        // IPv6 side.
        const std::uint64_t hi = load64(e.prefix6.address.bytes.data());
        const std::uint64_t lo = load64(e.prefix6.address.bytes.data() + 8);
        const unsigned l6 = e.prefix6.length;
        const std::uint64_t h6 = hash6(hi, lo, l6);
        filter_set(index->filter6_, h6);
        const std::uint32_t w[4] = {
            static_cast<std::uint32_t>(hi >> 32), static_cast<std::uint32_t>(hi),
            static_cast<std::uint32_t>(lo >> 32), static_cast<std::uint32_t>(lo)};
        for (std::size_t i = index->home(h6);; i = index->next(i)) {
            Slot6& slot = index->table6_[i];
            if (slot.length_index == kEmpty6) {
                slot = Slot6{{w[0], w[1], w[2], w[3]}, (std::uint32_t{l6} << 24) | at};
                break;
            }
            if ((slot.length_index >> 24) == l6 && std::equal(w, w + 4, slot.words)) {
                const EamEntry& other = all[slot.length_index & 0xffffff];
                if (!(other == e))
                    problems.add_made([&] {
                        return "EAM " + eam_text(e) + " conflicts with " + eam_text(other) +
                               ": both map the IPv6 prefix " + e.prefix6.to_string();
                    });
                break;
            }
        }
        used6[l6] = true;
        if (l6 > 64)
            index->directory6_[cell6_index(hi)] = 1;
        else
            index->short6_ = true;
    }
    if (problems.any()) return nullptr;
    for (std::size_t l = used4.size(); l-- > 0;)
        if (used4[l]) index->lengths4_.push_back(static_cast<std::uint8_t>(l));
    for (std::size_t l = used6.size(); l-- > 0;)
        if (used6[l]) index->lengths6_.push_back(static_cast<std::uint8_t>(l));
    return index;
}

const EamEntry* EamIndex::exact4(const Ipv4Prefix& prefix) const {
    const std::uint32_t v4 = prefix.address.value & prefix.mask();
    return probe4(v4, prefix.length, hash4(v4, prefix.length), nullptr);
}

const EamEntry* EamIndex::exact6(const Ipv6Prefix& prefix) const {
    const std::uint64_t hi = load64(prefix.address.bytes.data()) & mask64(prefix.length);
    const std::uint64_t lo = load64(prefix.address.bytes.data() + 8) & mask64(prefix.length - 64);
    return probe6(hi, lo, prefix.length, hash6(hi, lo, prefix.length), nullptr);
}

std::size_t EamIndex::memory_bytes() const {
    return sizeof(*this) + entries_.capacity() * sizeof(EamEntry) +
           (table4_.capacity() + filter4_.capacity() + filter6_.capacity()) *
               sizeof(std::uint64_t) +
           table6_.capacity() * sizeof(Slot6) + directory4_.capacity() + directory6_.capacity() +
           lengths4_.capacity() + lengths6_.capacity();
}

} // namespace siit
