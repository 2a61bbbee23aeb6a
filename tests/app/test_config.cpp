// app/config/config_file.cpp: a good configuration file parses; every bad one is refused with the
// file, the field and the reason, all problems at once.
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "config/config_file.hpp"
#include "siit/eamt.hpp"

using namespace siitd;

namespace {

const char* kGood = R"({
  "eal": ["--no-huge", "-m", "256"],
  "ports": [{"name": "v4", "device": "net_null0", "role": "ipv4", "next-hop-mac": "02:00:00:00:00:01", "mtu": 1500},
            {"name": "v6", "device": "net_null1", "role": "ipv6", "next-hop-mac": "02:00:00:00:00:02", "rx-queues": 2}],
  "burst": 64,
  "eamt-prefetch": "always",
  "translation": {
    "pool6": "64:ff9b::/96",
    "eamt": [{"ipv4": "192.0.2.0/24", "ipv6": "2001:db8:1::/120"}],
    "denylist4": ["203.0.113.0/24"],
    "pool6791v4": "192.0.2.200",
    "reset-tos": true, "new-tos": 16, "lowest-ipv6-mtu": 1400,
    "mtu-plateaus": [1500, 9000, 1280],
    "eam-hairpin-mode": "simple"
  }
})";

bool has(const std::vector<std::string>& errors, const std::string& text) {
    for (const auto& e : errors)
        if (e.find(text) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("siitd config: a complete file parses into every setting", "[config]") {
    std::vector<std::string> errors;
    const auto c = parse_config(kGood, "good.json", errors);
    INFO((errors.empty() ? std::string() : errors.front()));
    REQUIRE(c);
    CHECK(c->eal_args.size() == 3);
    REQUIRE(c->ports.size() == 2);
    CHECK(c->ports[0].role == PortRole::ipv4);
    CHECK(c->ports[1].rx_queues == 2);
    CHECK(c->ports[1].next_hop_mac[5] == 2);
    CHECK(c->burst == 64);
    CHECK(c->eamt_prefetch == Config::EamtPrefetch::always);
    CHECK(c->translation.pool6->to_string() == "64:ff9b::/96");
    CHECK(c->eamt.size() == 1);
    CHECK(c->translation.denylist4.size() == 1);
    CHECK(c->translation.pool6791v4->to_string() == "192.0.2.200");
    CHECK(c->translation.reset_tos);
    CHECK(c->translation.new_tos == 16);
    CHECK(c->translation.lowest_ipv6_mtu == 1400);
    CHECK(c->translation.mtu_plateaus == std::vector<std::uint16_t>{9000, 1500, 1280});
    CHECK(c->translation.hairpin_mode == siit::HairpinMode::simple);
    const auto minimal =
        parse_config(R"({"ports": [{"device": "a"}], "translation": {"pool6": "64:ff9b::/96"}})",
                     "min.json", errors);
    REQUIRE(minimal);
    CHECK(minimal->eamt_prefetch == Config::EamtPrefetch::automatic);
}

TEST_CASE("siitd config: every problem is named with file, field and reason", "[config]") {
    std::vector<std::string> errors;
    const auto c = parse_config(R"({
      "ports": [{"device": "net_null0", "role": "sideways", "next-hop-mac": "02:00:00", "mtu": 100, "colour": "red"}],
      "burst": "many", "eamt-prefetch": "sometimes",
      "translation": {"pool6": "64:ff9b::/80", "eamt": [{"ipv4": "192.0.2.1/24", "ipv6": "2001:db8::/120"}],
                      "eam-hairpin-mode": "sometimes", "pool6791v6": "not-an-address"}
    })",
                                "bad.json", errors);
    CHECK_FALSE(c);
    CHECK(has(errors, "bad.json: ports[0].role: must be ipv4, ipv6 or both"));
    CHECK(has(errors, "bad.json: ports[0].next-hop-mac: '02:00:00' is not a MAC address"));
    CHECK(has(errors, "bad.json: ports[0].mtu: must be between 1280 and 9600"));
    CHECK(has(errors, "bad.json: ports[0].colour: unknown setting"));
    CHECK(has(errors, "bad.json: burst: wrong type (expected a whole number)"));
    CHECK(has(errors, "bad.json: eamt-prefetch: must be auto, always or never"));
    CHECK(has(errors, "bad.json: translation.pool6: 64:ff9b::/80: an RFC 6052 prefix has length "
                      "32, 40, 48, 56, 64 or 96"));
    CHECK(has(errors, "bad.json: translation.eamt[0].ipv4: 192.0.2.1/24: host bits are set after "
                      "/24 (the prefix is 192.0.2.0/24)"));
    CHECK(has(errors, "bad.json: translation.eam-hairpin-mode: must be off, simple or intrinsic "
                      "(or Jool's 0, 1, 2)"));
    CHECK(has(errors, "bad.json: translation.pool6791v6: not-an-address is not an IPv6 address"));
}

TEST_CASE("siitd config: malformed JSON, missing ports and impossible topologies are refused",
          "[config]") {
    std::vector<std::string> errors;
    CHECK_FALSE(parse_config("{\"ports\": [", "cut.json", errors));
    CHECK(has(errors, "cut.json: (file): not valid JSON"));
    errors.clear();
    CHECK_FALSE(parse_config("[]", "list.json", errors));
    CHECK(has(errors, "list.json: (file): must be a JSON object"));
    errors.clear();
    CHECK_FALSE(parse_config(R"({"translation": {"pool6": "64:ff9b::/96"}})", "none.json", errors));
    CHECK(has(errors, "none.json: ports: needs a list of at least one port"));
    errors.clear();
    CHECK_FALSE(parse_config(
        R"({"ports": [{"device": "a", "role": "ipv4"}, {"device": "b", "role": "ipv4"}],
                                 "translation": {"pool6": "64:ff9b::/96"}})",
        "two4.json", errors));
    CHECK(has(errors, "two4.json: ports: one port with role \"both\""));
    errors.clear();
    CHECK_FALSE(parse_config(R"({"ports": [{"device": "a"}]})", "empty.json", errors));
    CHECK(has(errors, "empty.json: translation: neither pool6 nor an EAMT entry"));
}

TEST_CASE("siitd config: config_to_json is a file that parses back to the same configuration",
          "[config]") {
    std::vector<std::string> errors;
    auto config = parse_config(kGood, "good.json", errors);
    REQUIRE(config);
    // Every key that is not a whole number away from its default, so that each row's reader
    // reads what its writer wrote.
    config->control.group = "nogroup";
    config->control.owner = "root";
    config->control.mode = 0640;
    config->control.socket = "/run/siitd-test/control.sock";
    config->control.save_directory = "/tmp";
    config->eal_args.push_back("--no-telemetry");
    std::string error;
    REQUIRE(parse_metrics_listen("[::1]:9417", config->metrics, error));
    config->announce_interface = "siitd-up";
    const std::string shown = config_to_json(*config).dump();
    const auto again = parse_config(shown, "shown.json", errors);
    REQUIRE(errors.empty());
    REQUIRE(again);
    CHECK(config_to_json(*again) == config_to_json(*config));
    CHECK(again->eamt == config->eamt);
    CHECK(again->translation.denylist4 == config->translation.denylist4);
    CHECK(again->control.mode == 0640);
    CHECK(again->eamt_prefetch == Config::EamtPrefetch::always);
    CHECK(again->control.save_directory == "/tmp");
    CHECK(again->control.owner == "root");
    CHECK(again->metrics.port == 9417);
    CHECK(again->announce_interface == "siitd-up");
}

TEST_CASE("siitd config: every key's row says how it is read and written", "[config]") {
    // A whole number names its member both ways; any other key names a reader and a writer.
    const auto complete = [](const auto& key) {
        INFO(key.name);
        const bool number = key.get && key.set && key.max > 0 && !key.read && !key.write;
        const bool other = !key.get && !key.set && key.read && key.write;
        CHECK(number != other);
        CHECK(key.values.empty() == number);
    };
    for (const auto& key : top_level_keys())
        complete(key);
    for (const auto& key : control_keys())
        complete(key);
}

TEST_CASE("siitd config: the file config save writes leaves defaults out and means the same",
          "[config]") {
    std::vector<std::string> errors;
    const auto config = parse_config(kGood, "good.json", errors);
    REQUIRE(config);
    const nlohmann::json saved = config_to_json_without_defaults(*config);
    const auto again = parse_config(saved.dump(), "saved.json", errors);
    REQUIRE(errors.empty());
    REQUIRE(again);
    CHECK(config_to_json(*again) == config_to_json(*config));
    // Chosen settings are written; defaults are not, so a later default applies to them.
    CHECK(saved["eamt-prefetch"] == "always");
    CHECK_FALSE(saved.contains("icmp-error-burst"));
    CHECK(saved["translation"]["lowest-ipv6-mtu"] == 1400);
    CHECK_FALSE(saved["translation"].contains("reset-traffic-class"));
    CHECK_FALSE(saved["translation"].contains("own-ipv4"));
    CHECK(saved["translation"].contains("eamt"));
    CHECK(saved["ports"][0].contains("device"));
    CHECK_FALSE(saved["ports"][0].contains("rx-queues"));
}

TEST_CASE("siitd config: overlay_translation changes only what it names; null restores defaults",
          "[config]") {
    std::vector<std::string> errors;
    auto config = parse_config(kGood, "good.json", errors);
    REQUIRE(config);
    siit::TranslatorConfig x = config->translation;
    std::optional<std::vector<siit::EamEntry>> eamt;
    REQUIRE(overlay_translation(
        nlohmann::json::parse(R"({"lowest-ipv6-mtu": 1300, "pool6791v4": null})"), "request", x,
        eamt, errors));
    CHECK(x.lowest_ipv6_mtu == 1300);
    CHECK_FALSE(x.pool6791v4);
    CHECK(x.pool6 == config->translation.pool6); // untouched
    CHECK(x.reset_tos);                          // untouched
    CHECK_FALSE(eamt);                           // no "eamt": the table is not replaced

    REQUIRE(
        overlay_translation(nlohmann::json::parse(R"({"eamt": []})"), "request", x, eamt, errors));
    REQUIRE(eamt);
    CHECK(eamt->empty());

    CHECK_FALSE(overlay_translation(
        nlohmann::json::parse(R"({"lowest-mtu": 1, "pool6": "2001:db8::/80", "new-tos": "x"})"),
        "request", x, eamt, errors));
    CHECK(has(errors, "request: lowest-mtu: unknown setting"));
    CHECK(has(errors, "request: pool6: 2001:db8::/80: an RFC 6052 prefix has length"));
    CHECK(has(errors, "request: new-tos: wrong type"));
}

namespace {
// A minimal valid file with `translation` and `extra` top-level members spliced in.
std::string file_with(const std::string& translation, const std::string& extra = "",
                      const std::string& port = "{\"device\": \"a\"}") {
    return "{\"ports\": [" + port + "], \"translation\": " + translation +
           (extra.empty() ? "" : ", " + extra) + "}";
}
const std::string kPool6 = R"({"pool6": "64:ff9b::/96"})";
} // namespace

TEST_CASE("siitd config: unknown keys inside EAMT entries are refused by name", "[config]") {
    std::vector<std::string> errors;
    CHECK_FALSE(parse_config(
        file_with(R"({"eamt": [{"ipv4": "192.0.2.0/24", "ipv6": "2001:db8::/120", "ipv7": 1}]})"),
        "f.json", errors));
    CHECK(has(errors, "f.json: translation.eamt[0].ipv7: unknown setting"));
}

TEST_CASE("siitd config: an EAM over addresses no router forwards is refused at load", "[config]") {
    // What siitd and --check-config do with a file: parse it, then build its EAMT.
    std::vector<std::string> errors;
    const auto config = parse_config(
        file_with(R"({"eamt": [{"ipv4": "169.254.0.0/24", "ipv6": "2001:db8::/120"}]})"), "f.json",
        errors);
    REQUIRE(config);
    CHECK_FALSE(siit::EamTable::build(config->eamt, errors));
    CHECK(has(errors, "EAM 169.254.0.0/24 <-> 2001:db8::/120: its IPv4 prefix holds 169.254.0.0 "
                      "(Link Local, RFC 3927 §2.7), an address no router forwards, which is "
                      "never translated"));
}

TEST_CASE("siitd config: a key given twice is refused with its place, not last-one-wins",
          "[config]") {
    std::vector<std::string> errors;
    CHECK_FALSE(parse_config(file_with(R"({"pool6": "64:ff9b::/96", "pool6": "2001:db8::/96"})"),
                             "f.json", errors));
    CHECK(has(errors, "f.json: translation.pool6: given twice"));
    errors.clear();
    CHECK_FALSE(parse_config(
        file_with(kPool6, "", R"({"device": "a"}, {"device": "b", "name": "x", "name": "y"})"),
        "g.json", errors));
    CHECK(has(errors, "g.json: ports[1].name: given twice"));
    errors.clear();
    // The same key in two different objects is no duplicate.
    CHECK(parse_config(
        file_with(
            R"({"pool6": "64:ff9b::/96", "eamt": [{"ipv4": "192.0.2.0/24", "ipv6": "2001:db8::/120"}, {"ipv4": "192.0.3.0/24", "ipv6": "2001:db8:1::/120"}]})"),
        "h.json", errors));
    CHECK(errors.empty());
}

TEST_CASE("siitd config: a file nested without bound is refused before it is parsed", "[config]") {
    std::vector<std::string> errors;
    const std::string deep = std::string(70000, '[') + std::string(70000, ']');
    CHECK_FALSE(parse_config(file_with(kPool6, "\"eal\": " + deep), "deep.json", errors));
    CHECK(has(errors, "deep.json: (file): nests deeper than 32 levels"));
}

TEST_CASE("siitd config: fractions are refused where a whole number is meant", "[config]") {
    for (const auto& [extra, port, translation, field] :
         std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
             {"\"burst\": 1.5", "{\"device\": \"a\"}", kPool6, "burst"},
             {"", "{\"device\": \"a\", \"rx-queues\": 1.5}", kPool6, "ports[0].rx-queues"},
             {"", "{\"device\": \"a\"}", R"({"pool6": "64:ff9b::/96", "new-tos": 1.5})",
              "translation.new-tos"},
             {"\"control\": {\"max-clients\": 1.5}", "{\"device\": \"a\"}", kPool6,
              "control.max-clients"},
             {"", "{\"device\": \"a\"}",
              R"({"pool6": "64:ff9b::/96", "mtu-plateaus": [1500, 1280.5]})",
              "translation.mtu-plateaus"},
         }) {
        std::vector<std::string> errors;
        CHECK_FALSE(parse_config(file_with(translation, extra, port), "f.json", errors));
        CHECK(has(errors, "f.json: " + field + ": wrong type (expected a"));
    }
}

TEST_CASE("siitd config: MAC addresses are exactly six hex pairs; a source MAC is unicast",
          "[config]") {
    for (const char* bad :
         {"-2:00:00:00:00:01", " 2:00:00:00:00:01", "02:00:00:00:00:01 ", "2:0:0:0:0:1",
          "02-00-00-00-00-01", "02:00:00:00:00:0g", "02:00:00:00:00:01:02"}) {
        std::vector<std::string> errors;
        CHECK_FALSE(parse_config(
            file_with(kPool6, "",
                      std::string(R"({"device": "a", "next-hop-mac": ")") + bad + "\"}"),
            "f.json", errors));
        CHECK(has(errors, "f.json: ports[0].next-hop-mac: '" + std::string(bad) +
                              "' is not a MAC address"));
    }
    std::vector<std::string> errors;
    CHECK_FALSE(parse_config(
        file_with(kPool6, "", R"({"device": "a", "mac": "01:00:5e:00:00:01"})"), "m.json", errors));
    CHECK(has(errors, "m.json: ports[0].mac: '01:00:5e:00:00:01' is a multicast address"));
    errors.clear();
    CHECK_FALSE(parse_config(
        file_with(kPool6, "", R"({"device": "a", "mac": "00:00:00:00:00:00"})"), "z.json", errors));
    CHECK(has(errors, "z.json: ports[0].mac: 00:00:00:00:00:00 cannot be a source address"));
    errors.clear();
    const auto good = parse_config(
        file_with(
            kPool6, "",
            R"({"device": "a", "mac": "02:AB:cd:00:00:01", "next-hop-mac": "33:33:00:00:00:01"})"),
        "ok.json", errors);
    REQUIRE(good);
    CHECK(good->ports[0].mac == std::array<std::uint8_t, 6>{0x02, 0xab, 0xcd, 0, 0, 1});
}

TEST_CASE("siitd config: mbufs holds to its documented maximum", "[config]") {
    std::vector<std::string> errors;
    CHECK(parse_config(file_with(kPool6, "\"mbufs\": 16777215"), "max.json", errors));
    CHECK_FALSE(parse_config(file_with(kPool6, "\"mbufs\": 16777216"), "over.json", errors));
    CHECK(has(errors, "over.json: mbufs: must be between 1023 and 16777215"));
}

TEST_CASE("siitd config: control.owner and control.group name accounts that exist", "[config]") {
    std::vector<std::string> errors;
    CHECK_FALSE(parse_config(
        file_with(kPool6,
                  R"("control": {"owner": "no-such-user-siitd", "group": "no-such-group-siitd"})"),
        "c.json", errors));
    CHECK(has(errors, "c.json: control.owner: no user 'no-such-user-siitd'"));
    CHECK(has(errors, "c.json: control.group: no group 'no-such-group-siitd'"));
    errors.clear();
    CHECK(parse_config(file_with(kPool6, R"("control": {"owner": "root", "group": "root"})"),
                       "ok.json", errors));
    CHECK_FALSE(parse_config(file_with(kPool6, R"("control": {"save-directory": "relative/dir"})"),
                             "s.json", errors));
    CHECK(has(errors, "s.json: control.save-directory: must be an absolute path"));
}

TEST_CASE("siitd config: addresses are the whole text, and RFC 6791 sources are unicast",
          "[config]") {
    std::vector<std::string> errors;
    CHECK_FALSE(parse_config(
        file_with(std::string(R"({"pool6": "64:ff9b::/96", "pool6791v4": "1.2.3.4\u0000junk"})")),
        "nul.json", errors));
    // Shown as a JSON string, its NUL escaped, not cut at it.
    CHECK(has(errors, "nul.json: translation.pool6791v4: \"1.2.3.4\\u0000junk\" is not"));
    for (const auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
             {"pool6791v6", "::"},
             {"pool6791v6", "ff02::1"},
             {"pool6791v4", "0.0.0.0"},
             {"pool6791v4", "224.0.0.1"},
             {"pool6791v4", "255.255.255.255"},
             {"own-ipv4", "127.0.0.1"},
         }) {
        errors.clear();
        CHECK_FALSE(parse_config(
            file_with(R"({"pool6": "64:ff9b::/96", ")" + field + "\": \"" + value + "\"}"),
            "u.json", errors));
        CHECK(has(errors,
                  "u.json: translation." + field + ": '" + value + "' is not a unicast address"));
    }
}

TEST_CASE("siitd config: the top-level table is what the parser, the writer and the docs use",
          "[config]") {
    // config_to_json writes exactly the table's keys: config.apply compares them all.
    std::vector<std::string> errors;
    const auto config = parse_config(file_with(kPool6), "f.json", errors);
    REQUIRE(config);
    std::set<std::string> written, declared;
    const nlohmann::json file = config_to_json(*config);
    for (const auto& [key, value] : file.items())
        written.insert(key);
    for (const auto& key : top_level_keys())
        declared.insert(std::string(key.name));
    CHECK(written == declared);
    CHECK_FALSE(parse_config(file_with(kPool6, R"("bursts": 8)"), "f.json", errors));
    CHECK(has(errors, "f.json: bursts: unknown setting"));

    // docs/siitd.conf.md's top-level and Control tables are the tables' rows, and nothing else.
    const auto documented = [](const std::string& heading) {
        std::ifstream in(SIIT_DOCS_DIR "/siitd.conf.md");
        std::vector<std::string> section;
        bool inside = false;
        for (std::string line; std::getline(in, line);) {
            if (line.rfind("## ", 0) == 0) inside = line == heading;
            if (inside && line.rfind("| `", 0) == 0) section.push_back(line);
        }
        return section;
    };
    const auto rows = [](auto keys) {
        std::vector<std::string> expected;
        for (const auto& k : keys)
            expected.push_back("| `" + std::string(k.name) + "` | " + key_values(k) + " | " +
                               key_default(k) + " | " + std::string(k.meaning) + " |");
        return expected;
    };
    CHECK(documented("## Top level") == rows(top_level_keys()));
    CHECK(documented("## Control") == rows(control_keys()));
}

TEST_CASE("siitd config: a whole-number key outside its declared range is refused with the range, "
          "and its default is what a file without it gets",
          "[config]") {
    std::vector<std::string> errors;
    const auto plain = parse_config(file_with(kPool6), "f.json", errors);
    REQUIRE(plain);
    for (const auto& key : top_level_keys()) {
        if (!key.get) continue;
        INFO(key.name);
        CHECK(std::to_string(key.get(*plain)) == key_default(key));
        errors.clear();
        const std::string above =
            "\"" + std::string(key.name) + "\": " + std::to_string(key.max + 1);
        CHECK_FALSE(parse_config(file_with(kPool6, above), "f.json", errors));
        CHECK(has(errors, "f.json: " + std::string(key.name) + ": must be between " +
                              std::to_string(key.min) + " and " + std::to_string(key.max)));
    }
    errors.clear();
    CHECK_FALSE(
        parse_config(file_with(kPool6, R"("control": {"max-clients": 0})"), "f.json", errors));
    CHECK(has(errors, "f.json: control.max-clients: must be between 1 and 10000"));
    CHECK_FALSE(
        parse_config(file_with(kPool6, R"("control": {"max-client": 5})"), "f.json", errors));
    CHECK(has(errors, "f.json: control.max-client: unknown setting"));
}

TEST_CASE("siitd config: metrics is an address and port, a Unix socket path, or off", "[config]") {
    std::vector<std::string> errors;
    const auto off = parse_config(file_with(kPool6), "f.json", errors);
    REQUIRE(off);
    CHECK(off->metrics.kind == MetricsListen::Kind::off);
    CHECK(config_to_json(*off)["metrics"].is_null());

    const auto v4 = parse_config(file_with(kPool6, R"("metrics": "127.0.0.1:9417")"), "f", errors);
    REQUIRE(v4);
    CHECK(v4->metrics.kind == MetricsListen::Kind::tcp);
    CHECK(v4->metrics.address == "127.0.0.1");
    CHECK(v4->metrics.port == 9417);
    CHECK(config_to_json(*v4)["metrics"] == "127.0.0.1:9417"); // written back as read

    const auto v6 = parse_config(file_with(kPool6, R"("metrics": "[::1]:65535")"), "f", errors);
    REQUIRE(v6);
    CHECK(v6->metrics.address == "::1");
    CHECK(v6->metrics.port == 65535);

    const auto unix_socket =
        parse_config(file_with(kPool6, R"("metrics": "/run/siitd/metrics.sock")"), "f", errors);
    REQUIRE(unix_socket);
    CHECK(unix_socket->metrics.kind == MetricsListen::Kind::unix_socket);

    for (const char* bad :
         {R"("localhost:9417")", R"("127.0.0.1")", R"("127.0.0.1:")", R"("127.0.0.1:0")",
          R"("127.0.0.1:65536")", R"("127.0.0.1:94x7")", R"("::1:9417")", R"("[127.0.0.1]:9417")",
          R"("metrics.sock")", R"("")", "9417", "true"}) {
        errors.clear();
        INFO(bad);
        CHECK_FALSE(
            parse_config(file_with(kPool6, std::string("\"metrics\": ") + bad), "f.json", errors));
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].rfind("f.json: metrics: ", 0) == 0);
    }
    errors.clear();
    CHECK_FALSE(parse_config(file_with(kPool6, "\"metrics\": \"/" + std::string(120, 'x') + "\""),
                             "f.json", errors));
    CHECK(has(errors, "f.json: metrics: '/" + std::string(120, 'x') +
                          "': a Unix socket path has at most 107 bytes"));
}

TEST_CASE("siitd config: announce-interface is an interface name no port's kernel interface has",
          "[config]") {
    std::vector<std::string> errors;
    const auto none = parse_config(file_with(kPool6), "f.json", errors);
    REQUIRE(none);
    CHECK(none->announce_interface.empty());
    CHECK(config_to_json(*none)["announce-interface"].is_null());

    const auto named =
        parse_config(file_with(kPool6, R"("announce-interface": "siitd-up")"), "f.json", errors);
    REQUIRE(named);
    CHECK(named->announce_interface == "siitd-up");
    CHECK(config_to_json(*named)["announce-interface"] == "siitd-up"); // written back as read

    for (const char* bad : {R"("")", R"("sixteen-letters!")", R"("a/b")", R"("a b")", "7"}) {
        errors.clear();
        INFO(bad);
        CHECK_FALSE(parse_config(file_with(kPool6, std::string("\"announce-interface\": ") + bad),
                                 "f.json", errors));
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].rfind("f.json: announce-interface: ", 0) == 0);
        CHECK(has(errors, "is not an interface name (1-15 characters)"));
    }
    errors.clear();
    CHECK_FALSE(parse_config(file_with(kPool6, R"("announce-interface": "k4")",
                                       R"({"device": "a", "kernel-interface": "k4"})"),
                             "f.json", errors));
    CHECK(has(errors, "f.json: announce-interface: 'k4' is also port "));
}
