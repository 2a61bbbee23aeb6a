// Replays tests/fixtures/rfc7915.txt (built with scapy by make_rfc7915_fixtures.py): one Catch2
// test case per fixture, named after the RFC rule it checks, comparing the verdict, the counter
// and every output byte.
#include <catch2/catch.hpp>

#include <deque>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "linear_eamt.hpp"
#include "packet_harness.hpp"

namespace siit::test {
namespace {

struct Fixture {
    std::string name;
    std::vector<std::string> config;
    Direction direction = Direction::from_ipv4;
    Bytes input;
    std::string action;
    std::string counter;
    std::vector<Bytes> outputs;
};

bool parse_bool(const std::string& v) {
    return v == "true" || v == "1";
}

// Applies one "key=value" of a fixture's config line.
void apply_setting(const std::string& setting, TranslatorConfig& config, LinkMtus& mtus,
                   LinearEamt& eamt, std::uint16_t& id_seed) {
    const auto eq = setting.find('=');
    const std::string key = setting.substr(0, eq), value = setting.substr(eq + 1);
    auto need = [&](auto parsed) {
        if (!parsed) throw std::invalid_argument("fixture setting " + setting);
        return *parsed;
    };
    if (key == "pool6")
        config.pool6 = need(Ipv6Prefix::parse(value));
    else if (key == "eam") {
        const auto comma = value.find(',');
        eamt.entries.push_back({need(Ipv4Prefix::parse(value.substr(0, comma))),
                                need(Ipv6Prefix::parse(value.substr(comma + 1)))});
    } else if (key == "denylist4")
        config.denylist4.push_back(need(Ipv4Prefix::parse(value)));
    else if (key == "pool6791v4")
        config.pool6791v4 = need(Ipv4Address::parse(value));
    else if (key == "pool6791v6")
        config.pool6791v6 = need(Ipv6Address::parse(value));
    else if (key == "reset_traffic_class")
        config.reset_traffic_class = parse_bool(value);
    else if (key == "reset_tos")
        config.reset_tos = parse_bool(value);
    else if (key == "new_tos")
        config.new_tos = static_cast<std::uint8_t>(std::stoul(value));
    else if (key == "amend_udp_checksum_zero")
        config.amend_udp_checksum_zero = parse_bool(value);
    else if (key == "lowest_ipv6_mtu")
        config.lowest_ipv6_mtu = static_cast<std::uint16_t>(std::stoul(value));
    else if (key == "ipv6_mtu")
        mtus.ipv6 = static_cast<std::uint32_t>(std::stoul(value));
    else if (key == "ipv4_mtu")
        mtus.ipv4 = static_cast<std::uint32_t>(std::stoul(value));
    else if (key == "hairpin_mode")
        config.hairpin_mode = value == "off"      ? HairpinMode::off
                              : value == "simple" ? HairpinMode::simple
                                                  : HairpinMode::intrinsic;
    else if (key == "id_seed")
        id_seed = static_cast<std::uint16_t>(std::stoul(value));
    else
        throw std::invalid_argument("unknown fixture setting " + key);
}

std::string action_name(Action action) {
    switch (action) {
    case Action::forward:
        return "forward";
    case Action::hairpin:
        return "hairpin";
    case Action::reply:
        return "reply";
    case Action::drop:
        return "drop";
    }
    return "?";
}

// Where two packets first differ, in words a person can use.
std::string describe_difference(const Bytes& actual, const Bytes& expected) {
    std::ostringstream s;
    std::size_t i = 0;
    while (i < actual.size() && i < expected.size() && actual[i] == expected[i])
        ++i;
    s << "first difference at byte " << i << " (actual length " << actual.size() << ", expected "
      << expected.size() << ")\n  actual:   " << to_hex(actual)
      << "\n  expected: " << to_hex(expected);
    return s.str();
}

class FixtureInvoker final : public Catch::ITestInvoker {
  public:
    explicit FixtureInvoker(Fixture fixture) : fixture_(std::move(fixture)) {}
    void invoke() const override {
        TranslatorConfig config;
        LinkMtus mtus;
        LinearEamt eamt;
        std::uint16_t id_seed = 1;
        for (const auto& setting : fixture_.config)
            apply_setting(setting, config, mtus, eamt, id_seed);
        Translator translator(config, &eamt, mtus);
        translator.seed_ipv4_id(id_seed);
        const Outcome outcome = run_translator(translator, fixture_.direction, fixture_.input);
        CHECK(action_name(outcome.verdict.action) == fixture_.action);
        CHECK(std::string(counter_name(outcome.verdict.counter)) == fixture_.counter);
        REQUIRE(outcome.packets.size() == fixture_.outputs.size());
        for (std::size_t i = 0; i < outcome.packets.size(); ++i) {
            INFO("output packet " << i << ": "
                                  << describe_difference(outcome.packets[i], fixture_.outputs[i]));
            CHECK(outcome.packets[i] == fixture_.outputs[i]);
        }
    }

  private:
    Fixture fixture_;
};

std::vector<Fixture> load_fixtures(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open fixture file " + path);
    std::vector<Fixture> fixtures;
    Fixture current;
    std::string line;
    while (std::getline(in, line)) {
        const auto space = line.find(' ');
        const std::string word = line.substr(0, space);
        const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
        if (word == "case")
            current = Fixture{rest, {}, Direction::from_ipv4, {}, {}, {}, {}};
        else if (word == "config") {
            std::istringstream settings(rest);
            for (std::string s; settings >> s;)
                current.config.push_back(s);
        } else if (word == "direction")
            current.direction = rest == "4to6" ? Direction::from_ipv4 : Direction::from_ipv6;
        else if (word == "input")
            current.input = from_hex(rest);
        else if (word == "expect") {
            std::istringstream parts(rest);
            parts >> current.action >> current.counter;
        } else if (word == "output")
            current.outputs.push_back(from_hex(rest));
        else if (word == "end")
            fixtures.push_back(current);
    }
    return fixtures;
}

// Registers every fixture as its own test case before main() runs, so that the closing count
// counts rules, not one loop.
int register_fixtures() {
    static std::deque<std::string> names; // Catch keeps StringRefs to these
    for (auto& fixture : load_fixtures(SIIT_FIXTURE_DIR "/rfc7915.txt")) {
        names.push_back(fixture.name);
        Catch::AutoReg(new FixtureInvoker(std::move(fixture)), CATCH_INTERNAL_LINEINFO, "",
                       Catch::NameAndTags{names.back(), "[fixture][rfc7915]"});
    }
    return 0;
}
const int registered = register_fixtures();

} // namespace
} // namespace siit::test

TEST_CASE("The fixture file holds a case for every RFC 7915 section it claims", "[fixture]") {
    // Guards against a fixture file that silently lost its cases.
    std::ifstream in(SIIT_FIXTURE_DIR "/rfc7915.txt");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const char* section :
         {"RFC7915 4.1", "RFC7915 4.2", "RFC7915 4.3", "RFC7915 4.4", "RFC7915 4.5", "RFC7915 5.1",
          "RFC7915 5.1.1", "RFC7915 5.2", "RFC7915 5.3", "RFC7915 5.4", "RFC7915 5.5", "RFC4884",
          "RFC 6791", "RFC7757 4.2"})
        CHECK(text.find(std::string("case ") + section) != std::string::npos);
}
