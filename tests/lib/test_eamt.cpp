// eamt.hpp: longest-prefix match both ways, refusals, all-or-nothing batches, QSBR reclamation,
// and hairpinning through the translator in each mode.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <random>

#include "linear_eamt.hpp"
#include "packet_builder.hpp"
#include "packet_harness.hpp"
#include "siit/bytes.hpp"
#include "siit/checksum.hpp"
#include "siit/eamt.hpp"
#include "siit/translation_state.hpp"

using namespace siit;
using namespace siit::test;

namespace {

EamEntry entry(const char* v4, const char* v6) {
    return EamEntry{*Ipv4Prefix::parse(v4), *Ipv6Prefix::parse(v6)};
}
Ipv4Address a4(const char* s) {
    return *Ipv4Address::parse(s);
}
Ipv6Address a6(const char* s) {
    return *Ipv6Address::parse(s);
}

Ipv6Address map4(const EamTable& t, const char* v4) {
    const EamEntry* e = t.find4(a4(v4));
    REQUIRE(e);
    return eam_map_4to6(*e, a4(v4));
}
Ipv4Address map6(const EamTable& t, const char* v6) {
    const EamEntry* e = t.find6(a6(v6));
    REQUIRE(e);
    return eam_map_6to4(*e, a6(v6));
}

bool mentions(const std::vector<std::string>& errors, const std::string& text) {
    for (const auto& e : errors)
        if (e.find(text) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("RFC7757 3.3 EAMT example: lookups both ways through one table", "[eamt]") {
    TranslationState eamt(nullptr);
    REQUIRE(eamt.replace({entry("192.0.2.1/32", "2001:db8:aaaa::/128"),
                          entry("192.0.2.2/32", "2001:db8:bbbb::b/128"),
                          entry("192.0.2.16/28", "2001:db8:cccc::/124"),
                          entry("192.0.2.128/26", "2001:db8:dddd::/64"),
                          entry("192.0.2.192/31", "64:ff9b::/127")})
                .empty());
    const EamTable& t = *eamt.table();
    CHECK(map4(t, "192.0.2.1") == a6("2001:db8:aaaa::"));
    CHECK(map4(t, "192.0.2.2") == a6("2001:db8:bbbb::b"));
    CHECK(map4(t, "192.0.2.24") == a6("2001:db8:cccc::8"));
    CHECK(map4(t, "192.0.2.129") ==
          a6("2001:db8:dddd:0:400::")); // 6 suffix bits right after /64: 000001
    CHECK(map4(t, "192.0.2.193") == a6("64:ff9b::1"));
    CHECK(map6(t, "2001:db8:cccc::f") == a4("192.0.2.31"));
    CHECK(map6(t, "2001:db8:dddd:0:fc00::") == a4("192.0.2.191"));
    CHECK(map6(t, "64:ff9b::") == a4("192.0.2.192"));
    CHECK_FALSE(t.find4(a4("192.0.2.3")));
    CHECK_FALSE(t.find6(a6("2001:db8:aaaa::1")));
}

TEST_CASE("RFC7757 3.2 longest prefix wins independently on each side", "[eamt]") {
    TranslationState eamt(nullptr);
    // IPv4 overlap: a /32 inside a /24. IPv6 overlap: a /128 inside a /120 of another entry.
    REQUIRE(eamt.replace({entry("192.0.2.0/24", "2001:db8:1::/120"),
                          entry("192.0.2.7/32", "2001:db8:2::7/128"),
                          entry("198.51.100.9/32", "2001:db8:1::9/128")})
                .empty());
    const EamTable& t = *eamt.table();
    CHECK(map4(t, "192.0.2.7") == a6("2001:db8:2::7"));
    CHECK(map4(t, "192.0.2.8") == a6("2001:db8:1::8"));
    CHECK(map6(t, "2001:db8:1::9") == a4("198.51.100.9"));
    CHECK(map6(t, "2001:db8:1::a") == a4("192.0.2.10"));
}

TEST_CASE("RFC7757 3.2 /1, /32 and /128 entries; a /0 holds addresses no router forwards",
          "[eamt]") {
    TranslationState eamt(nullptr);
    // 0.0.0.0/0 covers 0/8, 127/8, 169.254/16 and 240/4, which are never translated.
    const auto refused = eamt.replace({entry("0.0.0.0/0", "2001:db8:ffff::/96")});
    REQUIRE(refused.size() == 1);
    CHECK(mentions(refused, "no router forwards"));
    REQUIRE(eamt.replace({entry("1.0.0.0/8", "2001:db8:ffff::/104"),
                          entry("203.0.113.5/32", "2001:db8::5/128")})
                .empty());
    const EamTable& t = *eamt.table();
    CHECK(map4(t, "1.8.8.8") == a6("2001:db8:ffff::8:808"));
    CHECK(map4(t, "203.0.113.5") == a6("2001:db8::5"));
    CHECK(map6(t, "2001:db8:ffff::8:808") == a4("1.8.8.8"));
    CHECK(map6(t, "2001:db8::5") == a4("203.0.113.5"));
    CHECK_FALSE(t.find6(a6("2001:db8:fffe::1")));
}

TEST_CASE("EAMT refuses invalid, duplicate and conflicting entries, naming both", "[eamt]") {
    TranslationState eamt(nullptr);
    REQUIRE(eamt.replace({entry("192.0.2.0/24", "2001:db8:1::/120")}).empty());
    const EamTable* before = eamt.table();

    auto errors = eamt.apply({EamtChange::add(entry("198.51.100.0/24", "2001:db8:2::/121"))});
    CHECK(mentions(errors, "RFC 7757 §3.2"));
    errors = eamt.apply({EamtChange::add(entry("192.0.2.0/24", "2001:db8:1::/120"))});
    CHECK(mentions(errors, "already exists"));
    errors = eamt.apply({EamtChange::add(entry("192.0.2.0/24", "2001:db8:9::/120"))});
    CHECK(mentions(errors, "conflicts with 192.0.2.0/24 <-> 2001:db8:1::/120"));
    CHECK(mentions(errors, "both map the IPv4 prefix 192.0.2.0/24"));
    errors = eamt.apply({EamtChange::add(entry("198.51.100.0/24", "2001:db8:1::/120"))});
    CHECK(mentions(errors, "both map the IPv6 prefix 2001:db8:1::/120"));
    errors = eamt.apply({EamtChange::remove(Ipv4Prefix::parse("203.0.113.0/24"), std::nullopt)});
    CHECK(mentions(errors, "no EAM entry 203.0.113.0/24 to remove"));
    errors = eamt.apply({EamtChange::remove(Ipv4Prefix::parse("192.0.2.0/24"),
                                            Ipv6Prefix::parse("2001:db8:7::/120"))});
    CHECK(mentions(errors, "no EAM entry 192.0.2.0/24 <-> 2001:db8:7::/120"));
    errors = eamt.apply({EamtChange::remove(Ipv4Prefix::parse("192.0.2.0/24"), std::nullopt),
                         EamtChange::remove(std::nullopt, Ipv6Prefix::parse("2001:db8:1::/120"))});
    CHECK(mentions(errors, "change 2: EAM 192.0.2.0/24 <-> 2001:db8:1::/120 is removed twice"));
    errors = eamt.replace(
        {entry("10.0.0.0/8", "2001:db8:a::/104"), entry("10.0.0.0/8", "2001:db8:a::/104")});
    CHECK(mentions(errors, "is listed twice"));
    // Nothing of the above reached the workers.
    CHECK(eamt.table() == before);
    CHECK(eamt.table()->entries().size() == 1);
}

TEST_CASE("EAMT batch with one bad change is refused whole and names the change", "[eamt]") {
    TranslationState eamt(nullptr);
    REQUIRE(eamt.replace({entry("192.0.2.0/24", "2001:db8:1::/120")}).empty());
    const EamTable* before = eamt.table();
    const auto errors =
        eamt.apply({EamtChange::add(entry("198.51.100.0/24", "2001:db8:2::/120")),
                    EamtChange::remove(Ipv4Prefix::parse("192.0.2.0/24"), std::nullopt),
                    EamtChange::add(entry("203.0.113.0/24", "2001:db8:3::/121"))});
    REQUIRE(errors.size() == 1);
    CHECK(mentions(errors, "203.0.113.0/24 <-> 2001:db8:3::/121"));
    CHECK(eamt.table() == before);
    CHECK(eamt.table()->find4(a4("192.0.2.1")));
    CHECK_FALSE(eamt.table()->find4(a4("198.51.100.1")));
    // The good part alone goes through, in one publication.
    CHECK(eamt.apply({EamtChange::add(entry("198.51.100.0/24", "2001:db8:2::/120")),
                      EamtChange::remove(Ipv4Prefix::parse("192.0.2.0/24"), std::nullopt)})
              .empty());
    CHECK(eamt.table()->find4(a4("198.51.100.1")));
    CHECK_FALSE(eamt.table()->find4(a4("192.0.2.1")));
}

TEST_CASE("EAMT old versions are freed only after every reader is quiescent", "[eamt][qsbr]") {
    ThreadQsbr qsbr(2);
    qsbr.online(0);
    qsbr.online(1);
    TranslationState eamt(&qsbr);
    REQUIRE(eamt.replace({entry("192.0.2.0/24", "2001:db8:1::/120")}).empty());
    CHECK(eamt.reclaim(false) == 1); // the empty initial version: readers have not moved on
    qsbr.quiescent(0);
    CHECK(eamt.reclaim(false) == 1); // reader 1 still may hold it
    qsbr.quiescent(1);
    CHECK(eamt.reclaim(false) == 0);

    const EamTable* held = eamt.table(); // reader 0 holds version 2 ...
    REQUIRE(eamt.replace({entry("198.51.100.0/24", "2001:db8:2::/120")}).empty());
    qsbr.quiescent(1);
    CHECK(eamt.reclaim(false) == 1);     // ... so it stays
    CHECK(held->find4(a4("192.0.2.9"))); // and is still readable
    qsbr.offline(0);                     // an offline reader holds nothing
    CHECK(eamt.reclaim(false) == 0);
}

TEST_CASE("EAMT lookups agree with a linear longest-prefix search on random tables", "[eamt]") {
    std::mt19937 rng(7757);
    for (int table_round = 0; table_round < 20; ++table_round) {
        std::vector<EamEntry> entries;
        LinearEamt oracle;
        for (int i = 0; i < 300; ++i) {
            const unsigned l4 = 8 + rng() % 25;
            const unsigned l6 = 96 - rng() % 40 + (rng() % 2 ? 0 : 32 - (32 - l4)); // varied, valid
            Ipv4Prefix p4{Ipv4Address{static_cast<std::uint32_t>(rng()) &
                                      Ipv4Prefix{{}, static_cast<std::uint8_t>(l4)}.mask()},
                          static_cast<std::uint8_t>(l4)};
            const unsigned len6 = std::min(128u - (32u - l4), l6);
            Ipv6Address v6;
            for (auto& b : v6.bytes)
                b = static_cast<std::uint8_t>(rng() % 4); // dense, to force overlaps
            for (unsigned bit = len6; bit < 128; ++bit)
                v6.set_bit(bit, false);
            const EamEntry e{p4, Ipv6Prefix{v6, static_cast<std::uint8_t>(len6)}};
            if (eam_entry_error(e)) continue; // over an address no router forwards
            bool clash = false;
            for (const auto& other : entries)
                clash |= other.prefix4 == e.prefix4 || other.prefix6 == e.prefix6;
            if (clash) continue;
            entries.push_back(e);
        }
        oracle.entries = entries;
        TranslationState eamt(nullptr);
        REQUIRE(eamt.replace(entries).empty());
        const EamTable& t = *eamt.table();
        for (int probe = 0; probe < 2000; ++probe) {
            const auto& e = entries[rng() % entries.size()];
            const Ipv4Address v4{e.prefix4.address.value |
                                 (static_cast<std::uint32_t>(rng()) & ~e.prefix4.mask())};
            const EamEntry* got4 = t.find4(v4);
            const EamEntry* want4 = oracle.find4(v4);
            REQUIRE(got4);
            CHECK(*got4 == *want4);
            Ipv6Address v6 = e.prefix6.address;
            for (unsigned bit = e.prefix6.length; bit < 128; ++bit)
                v6.set_bit(bit, rng() % 2);
            const EamEntry* got6 = t.find6(v6);
            const EamEntry* want6 = oracle.find6(v6);
            REQUIRE(got6);
            CHECK(*got6 == *want6);
        }
    }
}

namespace {

// A random valid entry over a dense corner of both address spaces, so that entries overlap.
EamEntry random_entry(std::mt19937& rng) {
    while (true) {
        const unsigned l4 = 16 + rng() % 17;
        const Ipv4Prefix p4{
            Ipv4Address{(0xc6330000u | (static_cast<std::uint32_t>(rng()) & 0xffffu)) &
                        Ipv4Prefix{{}, static_cast<std::uint8_t>(l4)}.mask()},
            static_cast<std::uint8_t>(l4)};
        const unsigned len6 = 128 - (32 - l4) - rng() % 8;
        Ipv6Address v6 = a6("2001:db8::");
        for (std::size_t b = 12; b < 16; ++b)
            v6.bytes[b] = static_cast<std::uint8_t>(rng() % 16);
        for (unsigned bit = len6; bit < 128; ++bit)
            v6.set_bit(bit, false);
        const EamEntry e{p4, Ipv6Prefix{v6, static_cast<std::uint8_t>(len6)}};
        if (!eam_entry_error(e)) return e;
    }
}

bool clashes(const std::vector<EamEntry>& entries, const EamEntry& e) {
    for (const auto& other : entries)
        if (other.prefix4 == e.prefix4 || other.prefix6 == e.prefix6) return true;
    return false;
}

// Both directions of `table` answer as the oracle does, at addresses in and near its entries.
void check_lookups(const EamTable& table, const LinearEamt& oracle, std::mt19937& rng) {
    const auto same = [](const EamEntry* got, const EamEntry* want) {
        return got == want || (got && want && *got == *want);
    };
    for (int probe = 0; probe < 40; ++probe) {
        Ipv4Address v4{0xc6330000u | (static_cast<std::uint32_t>(rng()) & 0xffffu)};
        Ipv6Address v6 = a6("2001:db8::");
        for (std::size_t b = 12; b < 16; ++b)
            v6.bytes[b] = static_cast<std::uint8_t>(rng() % 16);
        if (!oracle.entries.empty() && probe % 2 == 0) {
            const auto& e = oracle.entries[rng() % oracle.entries.size()];
            v4.value =
                e.prefix4.address.value | (static_cast<std::uint32_t>(rng()) & ~e.prefix4.mask());
            v6 = eam_map_4to6(e, v4);
        }
        REQUIRE(same(table.find4(v4), oracle.find4(v4)));
        REQUIRE(same(table.find6(v6), oracle.find6(v6)));
    }
}

} // namespace

TEST_CASE("EAMT versions made by thousands of single changes agree with a linear search",
          "[eamt][overlay]") {
    std::mt19937 rng(6052);
    LinearEamt oracle;
    while (oracle.entries.size() < 600) {
        const EamEntry e = random_entry(rng);
        if (!clashes(oracle.entries, e)) oracle.entries.push_back(e);
    }
    TranslationState state(nullptr);
    TranslatorConfig config; // pool6, so that the table may empty
    config.pool6 = Ipv6Prefix::parse("64:ff9b::/96");
    REQUIRE(state.replace_all(config, oracle.entries).empty());
    bool saw_overlay = false, saw_merge = false;
    for (int step = 0; step < 4000; ++step) {
        // Held, as the audit holds it: with no tracker the state frees an old version at once.
        const std::shared_ptr<const EamTable> before = state.snapshot()->eamt;
        std::vector<EamtChange> batch;
        std::vector<EamEntry> next = oracle.entries;
        const int changes = step % 10 == 0 ? 2 + static_cast<int>(rng() % 4) : 1;
        for (int c = 0; c < changes; ++c) {
            // Adds outnumber removals below 600 entries, so the table hovers there; it may
            // still empty now and then.
            if (next.empty() || rng() % 1200 >= next.size()) {
                const EamEntry e = random_entry(rng);
                if (clashes(next, e)) continue;
                batch.push_back(EamtChange::add(e));
                next.push_back(e);
            } else {
                const std::size_t at = rng() % next.size();
                const EamEntry e = next[at];
                // A batch's removals name entries of the version it changes.
                if (std::find(oracle.entries.begin(), oracle.entries.end(), e) ==
                    oracle.entries.end())
                    continue;
                const unsigned how = rng() % 3; // by IPv4 prefix, by IPv6 prefix, by both
                batch.push_back(
                    EamtChange::remove(how != 1 ? std::optional(e.prefix4) : std::nullopt,
                                       how != 0 ? std::optional(e.prefix6) : std::nullopt));
                next.erase(next.begin() + static_cast<std::ptrdiff_t>(at));
            }
        }
        if (batch.empty()) continue;
        if (step % 50 == 7) {
            // One bad change refuses the batch whole: the version stays.
            batch.push_back(EamtChange::remove(Ipv4Prefix::parse("203.0.113.0/24"), std::nullopt));
            CHECK_FALSE(state.apply(batch).empty());
            REQUIRE(state.table() == before.get());
            continue;
        }
        const auto refused = state.apply(batch);
        INFO("step " << step << ": " << (refused.empty() ? "" : refused.front()));
        REQUIRE(refused.empty());
        oracle.entries = next;
        const EamTable& table = *state.table();
        saw_overlay |= !table.merged();
        saw_merge |= table.merged();
        REQUIRE(table.size() == oracle.entries.size());
        REQUIRE(table.digest() == eamt_digest(oracle.entries));
        check_lookups(table, oracle, rng);
        // What changed, as the audit log reads it from the two versions.
        const EamtDifference d = table.difference_from(*before);
        std::size_t adds = 0, removes = 0;
        for (const auto& change : batch)
            (change.kind == EamtChange::Kind::add ? adds : removes) += 1;
        REQUIRE(d.added.size() == adds);
        REQUIRE(d.removed.size() == removes);
        if (step % 97 == 0) {
            std::vector<EamEntry> sorted = oracle.entries;
            std::sort(sorted.begin(), sorted.end(), EamIndex::less);
            REQUIRE(table.entries() == sorted);
            for (const auto& e : sorted) {
                const EamEntry* by4 = table.exact4(e.prefix4);
                const EamEntry* by6 = table.exact6(e.prefix6);
                REQUIRE(by4);
                REQUIRE(by6);
                REQUIRE(*by4 == e);
                REQUIRE(*by6 == e);
            }
        }
    }
    CHECK(saw_overlay);
    CHECK(saw_merge);
}

TEST_CASE("EAMT entry removed and added back in one batch, or over several, is the same table",
          "[eamt][overlay]") {
    std::vector<EamEntry> entries;
    for (std::uint32_t i = 0; i < 64; ++i) {
        Ipv6Address v6 = a6("2001:db8:2::");
        store32(v6.bytes.data() + 12, i);
        entries.push_back({Ipv4Prefix{Ipv4Address{0xc6336400u + i}, 32}, Ipv6Prefix{v6, 128}});
    }
    TranslationState state(nullptr);
    REQUIRE(state.replace(entries).empty());
    const std::string digest = state.table()->digest();
    const EamEntry e = entries[5];
    REQUIRE(state.apply({EamtChange::remove(e.prefix4, std::nullopt), EamtChange::add(e)}).empty());
    CHECK(state.table()->digest() == digest);
    CHECK(*state.table()->find4(e.prefix4.address) == e);
    REQUIRE(state.apply({EamtChange::remove(std::nullopt, e.prefix6)}).empty());
    CHECK_FALSE(state.table()->find4(e.prefix4.address));
    CHECK_FALSE(state.table()->merged());
    // Back: the removal is cleared, not overlaid, and the version is its base alone again.
    REQUIRE(state.apply({EamtChange::add(e)}).empty());
    CHECK(state.table()->digest() == digest);
    CHECK(state.table()->merged());
    CHECK(state.table()->entries() == state.table()->entries()); // made once, kept
    CHECK(state.table()->find6(e.prefix6.address) != nullptr);
    // A longer prefix added over the base wins; removing it uncovers the base's entry again.
    const EamEntry range{*Ipv4Prefix::parse("198.51.100.0/24"),
                         *Ipv6Prefix::parse("2001:db8:3::/120")};
    REQUIRE(state.apply({EamtChange::add(range)}).empty());
    CHECK(*state.table()->find4(a4("198.51.100.5")) == entries[5]);
    CHECK(*state.table()->find4(a4("198.51.100.200")) == range);
    REQUIRE(state.apply({EamtChange::remove(entries[5].prefix4, std::nullopt)}).empty());
    CHECK(*state.table()->find4(a4("198.51.100.5")) == range);
}

namespace {

// Runs an IPv6 packet from H6 to H6b's pool6 address (H6b is an EAM host) in `mode`. pool6 is
// network-specific: RFC 6052 §3.1 keeps the Well-Known Prefix from documentation addresses.
Outcome hairpin_run(HairpinMode mode, const Bytes& packet, const EamTable* table) {
    TranslatorConfig config;
    config.pool6 = *Ipv6Prefix::parse("2001:db8:64::/96");
    config.hairpin_mode = mode;
    Translator translator(config, table);
    return run_translator(translator, Direction::from_ipv6, packet);
}

Bytes ipv6_packet(const char* src, const char* dst, std::uint8_t next, const Bytes& l4) {
    return siit::test::ipv6_packet(a6(src), a6(dst), next, l4);
}

} // namespace

TEST_CASE("RFC7757 4.2 hairpinning in each mode: off, simple, intrinsic", "[eamt][hairpin]") {
    TranslationState eamt(nullptr);
    REQUIRE(eamt.replace({entry("198.51.100.0/24", "2001:db8:100::/120")}).empty());
    const EamTable* table = eamt.table();
    Bytes udp(16, 0x61);
    store16(udp.data(), 1000);
    store16(udp.data() + 2, 2000);
    store16(udp.data() + 4, 16);
    store16(udp.data() + 6, 0);
    const Bytes data = ipv6_packet("2001:db8:100::5", "2001:db8:64::198.51.100.7", 17, udp);
    // An ICMPv6 Port Unreachable from H6 about a packet H6b sent it through the translator: H6
    // saw it come from H6b's pool6 form.
    const Bytes inner = ipv6_packet("2001:db8:64::198.51.100.7", "2001:db8:100::5", 17, udp);
    Bytes icmp(8 + inner.size(), 0);
    icmp[0] = 1; // Destination Unreachable
    icmp[1] = 4; // Port Unreachable
    std::copy(inner.begin(), inner.end(), icmp.begin() + 8);
    const Bytes error = ipv6_packet("2001:db8:100::5", "2001:db8:64::198.51.100.7", 58, icmp);

    // off, and simple (§4.2.1: the IPv4 network sends it back): the packet leaves as IPv4.
    for (const HairpinMode mode : {HairpinMode::off, HairpinMode::simple}) {
        auto out = hairpin_run(mode, data, table);
        CHECK(out.verdict.action == Action::forward);
        REQUIRE(out.packets.size() == 1);
        CHECK(out.packets[0][0] >> 4 == 4);
        auto out_error = hairpin_run(mode, error, table);
        CHECK(out_error.verdict.action == Action::forward);
        CHECK(out_error.verdict.counter == Counter::translated_6to4_icmp_error);
    }

    // intrinsic (§4.2.2): back to IPv6 with the source in its RFC 6052 form.
    auto intrinsic = hairpin_run(HairpinMode::intrinsic, data, table);
    CHECK(intrinsic.verdict.action == Action::hairpin);
    CHECK(intrinsic.verdict.counter == Counter::hairpinned);
    REQUIRE(intrinsic.packets.size() == 1);
    CHECK(intrinsic.packets[0][0] >> 4 == 6);
    CHECK(Ipv6Address::from_bytes(intrinsic.packets[0].data() + 24) == a6("2001:db8:100::7"));
    CHECK(Ipv6Address::from_bytes(intrinsic.packets[0].data() + 8) ==
          a6("2001:db8:64::198.51.100.5"));
    CHECK(intrinsic.packets[0][7] == 63); // one hop, not two

    auto intrinsic_error = hairpin_run(HairpinMode::intrinsic, error, table);
    CHECK(intrinsic_error.verdict.action == Action::hairpin);
    REQUIRE(intrinsic_error.packets.size() == 1);
    const Bytes& back = intrinsic_error.packets[0];
    CHECK(back[6] == 58);
    CHECK(back[40] == 1); // ICMPv6 Destination Unreachable again
    CHECK(back[41] == 4); // Port Unreachable
    CHECK(Ipv6Address::from_bytes(back.data() + 24) == a6("2001:db8:100::7"));
    // The error comes from the host H6b addressed: its RFC 6052 form, as is the inner destination.
    CHECK(Ipv6Address::from_bytes(back.data() + 8) == a6("2001:db8:64::198.51.100.5"));
    CHECK(Ipv6Address::from_bytes(back.data() + 48 + 8) == a6("2001:db8:100::7"));
    CHECK(Ipv6Address::from_bytes(back.data() + 48 + 24) == a6("2001:db8:64::198.51.100.5"));
}

TEST_CASE("EAMT prefetching pays only beyond the caches and reads only the packet's own bytes",
          "[eamt][prefetch]") {
    TranslationState small(nullptr);
    REQUIRE(small.replace({entry("192.0.2.0/24", "2001:db8:1::/120")}).empty());
    CHECK_FALSE(small.table()->prefetch_worthwhile());

    // 70 000 single-address entries: some 5 MiB of slots and filters, past the threshold.
    std::vector<EamEntry> entries;
    for (std::uint32_t i = 0; i < 70000; ++i) {
        Ipv6Address v6 = a6("2001:db8:2::");
        store32(v6.bytes.data() + 12, i);
        entries.push_back({Ipv4Prefix{Ipv4Address{0x0a000000u + i}, 32}, Ipv6Prefix{v6, 128}});
    }
    TranslationState large(nullptr);
    REQUIRE(large.replace(entries).empty());
    const EamTable& table = *large.table();
    CHECK(table.memory_bytes() > (std::size_t{4} << 20));
    CHECK(table.prefetch_worthwhile());

    // Packets of every length up to two IPv6 headers, IPv4, IPv6 and neither, each in a buffer of
    // exactly its length (AddressSanitizer names any read past it), through both passes: nothing
    // is written, and the lookups made ahead are the table's own answers, or none.
    TranslatorConfig config;
    config.pool6 = Ipv6Prefix::parse("64:ff9b::/96");
    const Translator translator(config, &table);
    std::mt19937 rng(7915);
    unsigned found = 0;
    for (std::uint32_t length = 0; length <= 80; ++length)
        for (const std::uint8_t first : {0x45, 0x60, 0x00, 0xff}) {
            std::vector<std::uint8_t> packet(length);
            for (auto& b : packet)
                b = static_cast<std::uint8_t>(rng());
            if (length > 0) packet[0] = first;
            if (length >= 20 && first == 0x45) store32(packet.data() + 16, 0x0a000000u + length);
            if (length >= 40 && first == 0x60) { // an EAM source, a pool6 destination in the EAMT
                std::memcpy(packet.data() + 8, a6("2001:db8:2::").bytes.data(), 12);
                store32(packet.data() + 20, length);
                std::memcpy(packet.data() + 24, a6("64:ff9b::").bytes.data(), 12);
                store32(packet.data() + 36, 0x0a000000u + length);
            }
            const std::vector<std::uint8_t> before = packet;
            translator.prefetch_lookup_slots(packet.data(), length);
            PacketLookups ahead;
            ahead.dst4_in_eamt = true; // whatever was there before is overwritten
            translator.look_up_ahead(packet.data(), length, ahead);
            CHECK(packet == before);
            if (length >= 20 && first == 0x45) {
                CHECK(ahead.table == &table);
                CHECK(ahead.ip_version == 4);
                CHECK(ahead.src == table.find4(Ipv4Address{load32(packet.data() + 12)}));
                REQUIRE(ahead.dst == table.find4(Ipv4Address{0x0a000000u + length}));
                CHECK(ahead.dst != nullptr);
                found += ahead.dst != nullptr;
            } else if (length >= 40 && first == 0x60) {
                CHECK(ahead.table == &table);
                CHECK(ahead.ip_version == 6);
                CHECK(ahead.src == table.find6(Ipv6Address::from_bytes(packet.data() + 8)));
                CHECK(ahead.src != nullptr);
                CHECK(ahead.dst == nullptr);
                CHECK(ahead.dst4_in_eamt); // 64:ff9b::10.0.0.x, and 10.0.0.x is an EAM
            } else {
                CHECK(ahead.table == nullptr); // too short, or neither family: nothing to use
                CHECK_FALSE(ahead.dst4_in_eamt);
            }
        }
    CHECK(found == 61);
    const EamEntry* e = table.find4(a4("10.0.0.42"));
    REQUIRE(e);
    CHECK(eam_map_4to6(*e, a4("10.0.0.42")) == a6("2001:db8:2::2a"));
}
