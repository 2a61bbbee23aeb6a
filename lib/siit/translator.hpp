// The translator: one IPv4 or IPv6 packet in, the translated packet (or an ICMP error for the
// sender, or a named drop) out. Pure C++ on byte buffers; the DPDK shell in app/ wraps it.
//
// One Translator per worker: it holds the per-worker IPv4 Identification generator and is not
// thread-safe; the configuration and the EAMT it reads may be shared by all workers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "siit/bytes.hpp"
#include "siit/counters.hpp"
#include "siit/eam.hpp"
#include "siit/eamt.hpp"
#include "siit/headers.hpp"
#include "siit/link_mtus.hpp"
#include "siit/translator_config.hpp"

namespace siit {

class EamTable;

// A packet in a buffer that may grow at both ends: `data` is the first byte of the IP header.
struct PacketBuffer {
    std::uint8_t* data = nullptr;
    std::uint32_t length = 0;
    std::uint32_t headroom = 0; // writable bytes before data
    std::uint32_t tailroom = 0; // writable bytes after data + length
};

// Headroom and tailroom that every input buffer must have: enough for the largest growth (an ICMP
// error built in front of the packet, or an ICMPv4 error whose headers grow by 40 bytes).
inline constexpr std::uint32_t kRequiredHeadroom = 96;
inline constexpr std::uint32_t kRequiredTailroom = 64;

// Where extra packets go when one packet becomes several (RFC 7915 §4.1 fragmentation).
class PacketAllocator {
  public:
    virtual ~PacketAllocator() = default;
    // A buffer with room for `length` bytes after data, owned by the allocator, which reads its
    // final length back after the translator returns; null when none is available.
    virtual PacketBuffer* allocate(std::uint32_t length) = 0;
};

enum class Action : std::uint8_t {
    forward, // the buffer now holds the translated packet, for the other family's side
    hairpin, // the buffer holds an IPv6 packet for the IPv6 side again (RFC 7757 §4.2)
    reply,   // the buffer holds an ICMP error of the input's family, for the sender
    drop,    // nothing to send
};

struct Verdict {
    Action action;
    Counter counter;                 // what happened, by name
    std::uint16_t extra_packets = 0; // fragments handed to the allocator after this one
};

// The EAMT lookups that translating one packet makes, made ahead of it for a whole burst
// (Translator::look_up_ahead) so that translation finds the answers instead of looking up again.
struct PacketLookups {
    const EamTable* table = nullptr; // the version looked up in; null: nothing was looked up
    std::uint8_t ip_version = 0;     // how the packet's addresses were read: 4 or 6
    // 6->4: the destination's IPv4 form is inside an EAM's IPv4 prefix (RFC 7757 §4.2).
    bool dst4_in_eamt = false;
    const EamEntry* src = nullptr; // the source address's EAM, or null
    const EamEntry* dst = nullptr; // the destination address's EAM, or null
};

class Translator {
  public:
    // `eamt` may be null (pool6 only). Both must outlive the translator; `mtus` are those of the
    // links it translates for, fixed for its life.
    Translator(const TranslatorConfig& config, const EamLookup* eamt, LinkMtus mtus = {});

    // RFC 7915 §4: an IPv4 packet to IPv6. On forward, extra fragments (if any) were allocated
    // through `allocator` (may be null: oversized DF=0 packets are then counted drops).
    // `ahead`: this packet's lookups, made by look_up_ahead (may be null).
    Verdict translate_4to6(PacketBuffer& packet, PacketAllocator* allocator,
                           const PacketLookups* ahead = nullptr) {
        if (fast_path_)
            if (const Counter counter = fast_4to6(packet, ahead); counter != kNotTaken)
                return Verdict{Action::forward, counter, 0};
        return translate_4to6_impl(packet, allocator, false);
    }
    // RFC 7915 §5: an IPv6 packet to IPv4, or back to IPv6 when it hairpins.
    Verdict translate_6to4(PacketBuffer& packet, PacketAllocator* allocator,
                           const PacketLookups* ahead = nullptr) {
        if (fast_path_)
            if (const Counter counter = fast_6to4(packet, ahead); counter != kNotTaken)
                return Verdict{Action::forward, counter, 0};
        return translate_6to4_full(packet, allocator);
    }

    // Whether a worker should prefetch the EAMT lines its packets' lookups will read: the table
    // is larger than a core's caches (EamTable::prefetch_worthwhile).
    bool lookups_worth_prefetching() const { return table_ && table_->prefetch_worthwhile(); }
    // The staged pipeline for such tables (docs/dataplane.md, "Large tables"), two passes over a
    // burst before it is translated. Both take `packet` as an IPv4 or IPv6 packet, possibly
    // truncated, read nothing beyond `length` bytes, and skip a packet too short for its
    // addresses. First pass: starts fetching the EAMT slots that the packet's lookups will probe
    // (for an IPv6 packet, also those of its pool6 destination's IPv4 form, which hairpinning
    // looks up) and returns at once.
    void prefetch_lookup_slots(const std::uint8_t* packet, std::uint32_t length) const;
    // Second pass: makes those lookups, the slots now cached, into `ahead`, and starts fetching
    // the entries they found. translate_4to6/6to4 given `ahead` then use it instead of looking up
    // again, as long as the translator's table and settings are the ones it was made with (a
    // worker keeps one version for a whole burst).
    void look_up_ahead(const std::uint8_t* packet, std::uint32_t length,
                       PacketLookups& ahead) const;

    const TranslatorConfig& config() const { return *config_; }
    const EamLookup* eamt() const { return eamt_; }
    const LinkMtus& link_mtus() const { return mtus_; }
    void set_eamt(const EamLookup* eamt) {
        if (eamt != eamt_) adopt_eamt(eamt);
    }
    void set_config(const TranslatorConfig* config) { config_ = config; }
    // The IPv4 Identification the next generated ID starts from (tests make it deterministic).
    void seed_ipv4_id(std::uint16_t next) { next_ipv4_id_ = next; }
    // The fast path (fast_path.cpp) is on by default; tests turn it off to compare the two paths.
    void set_fast_path(bool on) { fast_path_ = on; }
    // Packets the fast path translated (the rest took the full translation).
    std::uint64_t fast_path_packets() const { return fast_path_packets_; }
    std::uint16_t next_ipv4_id() { return next_ipv4_id_++; }

  private:
    // The common case in one pass (fast_path.cpp): the counter of the packet translated and
    // forwarded, or kNotTaken, the packet untouched, when the full translation must decide. The
    // entry points above are inline so that the Verdict stays in registers: built in memory
    // across a call, it was read back with a store-forwarding stall on every packet. For the same
    // reason this is a bare Counter and not a std::optional: GCC stored the optional's two
    // fields separately and read them back as one word, which the CPU cannot forward (perf put a
    // quarter of fast_6to4's samples on that load).
    static constexpr Counter kNotTaken = static_cast<Counter>(0xffff);
    static_assert(kCounterCount < 0xffff, "kNotTaken must name no counter");
    // `ahead` is used when it was made for this packet's family with this translator's table.
    Counter fast_4to6(PacketBuffer& packet, const PacketLookups* ahead);
    Counter fast_6to4(PacketBuffer& packet, const PacketLookups* ahead);
    // The same, with `Table` the EamTable itself (direct calls the compiler can inline) or the
    // EamLookup interface (any other table, tests' reference one for instance), and `kAhead`
    // whether `ahead` is given: without it, the code has no trace of it.
    template <typename Table, bool kAhead>
    Counter fast_4to6(PacketBuffer& packet, const Table* table, const PacketLookups* ahead);
    template <typename Table, bool kAhead>
    Counter fast_6to4(PacketBuffer& packet, const Table* table, const PacketLookups* ahead);
    void adopt_eamt(const EamLookup* eamt);
    // RFC 7915 §5 in full, every case (translate_6to4.cpp).
    Verdict translate_6to4_full(PacketBuffer& packet, PacketAllocator* allocator);
    // `hairpin`: the packet is an IPv6 packet's IPv4 form on its way back (RFC 7757 §4.2); its
    // hop was already counted, so the TTL is not decremented again.
    Verdict translate_4to6_impl(PacketBuffer& packet, PacketAllocator* allocator, bool hairpin);
    // RFC 7757 §4.2.2: sends a 6to4 result back through §4 when `hairpins` (condition set A or B
    // held; translate_common.hpp's hairpins()).
    Verdict hairpin_if_needed(Verdict translated, PacketBuffer& packet, PacketAllocator* allocator,
                              bool hairpins);

    const TranslatorConfig* config_;
    LinkMtus mtus_;
    const EamLookup* eamt_ = nullptr;
    const EamTable* table_ = nullptr; // eamt_ when it is an EamTable, for the fast path
    std::uint16_t next_ipv4_id_ = 1;
    bool fast_path_ = true;
    std::uint64_t fast_path_packets_ = 0;
};

} // namespace siit
