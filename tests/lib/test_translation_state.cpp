// lib/siit/published.hpp and lib/siit/translation_state.cpp: one immutable version published to
// lock-free readers, freed only after every reader moved past it; and TranslationState::update,
// the one way writers change it: all or nothing, checked by the rules every version keeps.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "siit/published.hpp"
#include "siit/translation_state.hpp"

using namespace siit;

namespace {

EamEntry entry(const char* v4, const char* v6) {
    return {*Ipv4Prefix::parse(v4), *Ipv6Prefix::parse(v6)};
}

// Counts its live instances, so a test sees when Published frees one.
struct Counted {
    explicit Counted(int v) : value(v) { ++alive; }
    ~Counted() { --alive; }
    int value;
    static inline int alive = 0;
};

} // namespace

TEST_CASE("Published: a replaced version lives until every online reader has been quiescent",
          "[published]") {
    ThreadQsbr tracker(2);
    {
        Published<Counted> published(&tracker, std::make_unique<const Counted>(1));
        tracker.online(0);
        const Counted* held = published.get(); // reader 0 reads version 1
        published.publish(std::make_unique<const Counted>(2));
        CHECK(published.get()->value == 2);
        CHECK(held->value == 1); // still readable: reader 0 has not been quiescent since
        CHECK(Counted::alive == 2);
        CHECK(published.reclaim(false) == 1);
        tracker.quiescent(0);
        CHECK(published.reclaim(false) == 0);
        CHECK(Counted::alive == 1);
        // An offline reader holds nothing back.
        tracker.offline(0);
        published.publish(std::make_unique<const Counted>(3));
        CHECK(Counted::alive == 1);
    }
    CHECK(Counted::alive == 0);
}

TEST_CASE("Published: without a tracker (no readers) a replaced version is freed at once",
          "[published]") {
    Published<Counted> published(nullptr, std::make_unique<const Counted>(1));
    published.publish(std::make_unique<const Counted>(2));
    CHECK(Counted::alive == 1);
    CHECK(published.get()->value == 2);
}

TEST_CASE("TranslationState::update: settings and table change together, or not at all",
          "[translation-state]") {
    TranslationState state(nullptr);
    REQUIRE(state
                .update([](TranslationEdit& e) {
                    e.config.pool6 = Ipv6Prefix::parse("64:ff9b::/96");
                    e.eamt = std::vector{entry("192.0.2.0/24", "2001:db8:1::/120")};
                })
                .empty());
    const std::uint64_t serial = state.snapshot()->serial;
    const EamTable* table = state.table();

    SECTION("a settings-only change keeps the table itself") {
        REQUIRE(state.update([](TranslationEdit& e) { e.config.lowest_ipv6_mtu = 1400; }).empty());
        CHECK(state.snapshot()->config.lowest_ipv6_mtu == 1400);
        CHECK(state.table() == table);
        CHECK(state.snapshot()->serial == serial + 1);
    }
    SECTION("a batch and a setting in one edit") {
        REQUIRE(state
                    .update([](TranslationEdit& e) {
                        e.config.lowest_ipv6_mtu = 1400;
                        e.eamt_changes = {
                            EamtChange::add(entry("198.51.100.0/24", "2001:db8:2::/120"))};
                    })
                    .empty());
        CHECK(state.table()->entries().size() == 2);
        CHECK(state.snapshot()->config.lowest_ipv6_mtu == 1400);
    }
    SECTION("a bad batch refuses the setting beside it too") {
        const auto errors = state.update([](TranslationEdit& e) {
            e.config.lowest_ipv6_mtu = 1400;
            e.eamt_changes = {EamtChange::add(entry("192.0.2.0/24", "2001:db8:9::/120"))};
        });
        CHECK_FALSE(errors.empty());
        CHECK(state.snapshot()->serial == serial);
        CHECK(state.snapshot()->config.lowest_ipv6_mtu == 1280);
    }
    SECTION("a version that breaks the rules is refused: nothing left to translate") {
        const auto errors = state.update([](TranslationEdit& e) {
            e.config.pool6.reset();
            e.eamt.emplace();
        });
        REQUIRE(errors.size() == 1);
        CHECK_THAT(errors[0], Catch::Contains("neither pool6 nor an EAMT entry"));
        CHECK(state.snapshot()->serial == serial);
    }
    SECTION("an edit that throws publishes nothing, and the next writer is not locked out") {
        CHECK_THROWS_AS(state.update([](TranslationEdit& e) {
            e.config.lowest_ipv6_mtu = 1400;
            throw std::runtime_error("refused by the caller");
        }),
                        std::runtime_error);
        CHECK(state.snapshot()->serial == serial);
        CHECK(state.update([](TranslationEdit& e) { e.config.new_tos = 8; }).empty());
        CHECK(state.snapshot()->serial == serial + 1);
    }
}
