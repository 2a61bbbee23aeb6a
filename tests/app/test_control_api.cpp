// app/api/control_api.cpp and app/config/config_save.cpp: the control API's requests handled by the
// real dispatcher and a real TranslationState (no socket, no EAL, no port): who may send what, that
// no sequence of changes reaches a state siitd could not start from, where `config save` may write,
// what the audit log says, and that the command registry and docs/control-api.md agree.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <rte_log.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>

#include "api/control_api.hpp"
#include "temp_dir.hpp"

using namespace siitd;
using nlohmann::json;

namespace {

constexpr uid_t kGroupMember = 65534; // nobody: let in by the socket's group, not privileged

const char* kRunning = R"({
  "ports": [{"name": "lan", "device": "net_null0", "role": "both"}],
  "translation": {"pool6": "64:ff9b::/96",
                  "eamt": [{"ipv4": "198.51.100.0/24", "ipv6": "2001:db8:100::/120"}]}
})";

// One siitd's control API without the socket: the dispatcher, a real TranslationState (no
// readers: a replaced version is freed at once, so a handler that reads one after publishing
// is caught by AddressSanitizer), and a Dataplane that was never started.
struct Api {
    explicit Api(const std::string& config_file = "/nonexistent/siitd.json",
                 const std::string& text = kRunning) {
        rte_log_set_global_level(RTE_LOG_WARNING); // the audit lines only where a test reads them
        std::vector<std::string> errors;
        config = *parse_config(text, "running.json", errors);
        REQUIRE(state.replace_all(config.translation, config.eamt).empty());
        api = std::make_unique<ControlApi>(config, config_file, state, dataplane, counters);
    }
    json ask(const json& request, uid_t uid = 0) {
        return json::parse(api->handle(request.dump(), uid));
    }
    json ask_text(const std::string& request, uid_t uid = 0) {
        return json::parse(api->handle(request, uid));
    }

    Config config;
    RteQsbr qsbr{4};
    siit::TranslationState state{nullptr};
    Dataplane dataplane{config, state, qsbr};
    ControlCounters counters;
    std::unique_ptr<ControlApi> api;
};

std::string error_text(const json& reply) {
    std::string out = reply.value("error", "");
    for (const auto& e : reply.value("errors", json::array()))
        out += "\n" + e.get<std::string>();
    return out;
}

// Everything an audit line would say, captured from DPDK's log stream.
struct LogCapture {
    LogCapture() : file(open_memstream(&buffer, &size)) {
        rte_openlog_stream(file);
        rte_log_set_global_level(RTE_LOG_INFO);
    }
    ~LogCapture() {
        rte_log_set_global_level(RTE_LOG_WARNING);
        rte_openlog_stream(nullptr);
        std::fclose(file);
        std::free(buffer);
    }
    std::string text() {
        std::fflush(file);
        return std::string(buffer, size);
    }
    char* buffer = nullptr;
    std::size_t size = 0;
    FILE* file;
};

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

TEST_CASE("control API: whole-table, whole-configuration and file-writing commands need root",
          "[control]") {
    Api api;
    for (const json& request :
         {json{{"command", "eamt.flush"}}, json{{"command", "denylist4.flush"}},
          json{{"command", "eamt.replace"},
               {"entries", {{{"ipv4", "192.0.2.0/24"}, {"ipv6", "2001:db8:1::/120"}}}}},
          json{{"command", "config.save"}, {"path", "/etc/shadow"}},
          json{{"command", "config.apply"}, {"config", json::parse(kRunning)}},
          json{{"command", "translation.apply"}, {"translation", {{"lowest-ipv6-mtu", 1400}}}}}) {
        const json reply = api.ask(request, kGroupMember);
        CHECK(reply["ok"] == false);
        CHECK_THAT(error_text(reply), Catch::Contains("needs root or siitd's own user"));
    }
    CHECK(api.state.table()->entries().size() == 1);
    // A group member makes every other change.
    CHECK(api.ask({{"command", "eamt.add"},
                   {"entries", {{{"ipv4", "192.0.2.0/24"}, {"ipv6", "2001:db8:1::/120"}}}}},
                  kGroupMember)["ok"] == true);
    CHECK(api.ask({{"command", "global.set"}, {"name", "lowest-ipv6-mtu"}, {"value", 1400}},
                  kGroupMember)["ok"] == true);
    // Root does the privileged ones.
    CHECK(api.ask({{"command", "eamt.flush"}}, 0)["ok"] == true);
    CHECK(api.state.table()->entries().empty());
}

TEST_CASE("control API: the running state is always one siitd starts from", "[control]") {
    Api api;
    REQUIRE(api.ask({{"command", "eamt.flush"}})["ok"] == true);
    // pool6 is now all that translates: removing it is refused, and nothing changes.
    const json unset = api.ask({{"command", "pool6.set"}, {"prefix", nullptr}});
    CHECK(unset["ok"] == false);
    CHECK_THAT(error_text(unset), Catch::Contains("neither pool6 nor an EAMT entry"));
    CHECK(api.state.snapshot()->config.pool6);
    std::vector<std::string> errors;
    CHECK(
        parse_config(api.ask({{"command", "config.show"}})["result"].dump(), "shown.json", errors));

    // Any sequence of changes: whatever is accepted, config.show stays a valid file.
    std::mt19937 random(7);
    const std::vector<json> moves = {
        {{"command", "pool6.set"}, {"prefix", nullptr}},
        {{"command", "pool6.set"}, {"prefix", "64:ff9b::/96"}},
        {{"command", "eamt.flush"}},
        {{"command", "eamt.add"},
         {"entries", {{{"ipv4", "192.0.2.0/24"}, {"ipv6", "2001:db8:1::/120"}}}}},
        {{"command", "eamt.remove"}, {"entries", {{{"ipv4", "192.0.2.0/24"}}}}},
        {{"command", "eamt.replace"}, {"entries", json::array()}},
        {{"command", "pool6791.add"}, {"address", "::"}},
        {{"command", "pool6791.add"}, {"address", "192.0.2.254"}},
        {{"command", "pool6791.remove"}, {"address", "192.0.2.254"}},
        {{"command", "global.set"}, {"name", "own-ipv6"}, {"value", "ff02::1"}},
        {{"command", "translation.apply"},
         {"translation", {{"pool6", nullptr}, {"eamt", nullptr}}}},
        {{"command", "denylist4.flush"}},
    };
    for (int i = 0; i < 400; ++i) {
        api.ask(moves[random() % moves.size()]);
        errors.clear();
        const auto shown =
            parse_config(api.ask({{"command", "config.show"}})["result"].dump(), "s.json", errors);
        INFO("after move " << i << ": " << (errors.empty() ? "" : errors[0]));
        REQUIRE(shown);
    }
}

TEST_CASE("control API: config.apply refuses every setting that needs a restart, none ignored",
          "[control]") {
    Api api;
    json file = json::parse(kRunning);
    file["translation"]["lowest-ipv6-mtu"] = 1400;
    for (const auto& [key, value] :
         std::vector<std::pair<std::string, json>>{{"eamt-prefetch", "always"},
                                                   {"burst", 64},
                                                   {"mbufs", 4095},
                                                   {"icmp-errors-per-second", 10},
                                                   {"control", {{"max-clients", 3}}}}) {
        json changed = file;
        changed[key] = value;
        const json reply = api.ask({{"command", "config.apply"}, {"config", changed}});
        CHECK(reply["ok"] == false);
        CHECK_THAT(error_text(reply), Catch::Contains("config: " + key +
                                                      ": differs from the "
                                                      "running one; changing it needs a restart"));
    }
    CHECK(api.state.snapshot()->config.lowest_ipv6_mtu == 1280);
    CHECK(api.ask({{"command", "config.apply"}, {"config", file}})["ok"] == true);
    CHECK(api.state.snapshot()->config.lowest_ipv6_mtu == 1400);
}

TEST_CASE("control API: addresses are unicast and whole; keys are given once", "[control]") {
    Api api;
    for (const char* bad : {"::", "ff02::1", "0.0.0.0", "224.0.0.1"}) {
        const json reply = api.ask({{"command", "pool6791.add"}, {"address", bad}});
        CHECK(reply["ok"] == false);
        CHECK_THAT(error_text(reply), Catch::Contains("is not a unicast address"));
    }
    const json nul = api.ask_text(R"({"command": "pool6791.add", "address": "1.2.3.4\u0000junk"})");
    CHECK(nul["ok"] == false);
    CHECK_THAT(error_text(nul), Catch::Contains("is not an IPv4 or IPv6 address"));
    CHECK(api.ask({{"command", "pool6791.list"}})["result"].empty());
    const json twice = api.ask_text(R"({"command": "version", "command": "eamt.flush"})");
    CHECK(twice["ok"] == false);
    CHECK_THAT(error_text(twice), Catch::Contains("command: given twice"));
    CHECK(api.state.table()->entries().size() == 1);
}

TEST_CASE("control API: denylist4.flush reads nothing of the version it replaced", "[control]") {
    Api api;
    REQUIRE(api.ask({{"command", "denylist4.add"},
                     {"prefixes", {"203.0.113.0/24", "192.0.2.0/28"}}})["ok"] == true);
    // No readers: the replaced version is freed on publication (ASan catches a later read).
    const json reply = api.ask({{"command", "denylist4.flush"}});
    REQUIRE(reply["ok"] == true);
    CHECK(reply["result"]["removed"] == 2);
    CHECK(api.state.snapshot()->config.denylist4.empty());
}

TEST_CASE("control API: config.save writes only where siitd was told it may", "[control]") {
    TempDir dir("siitd-control-api");
    const std::string file = dir.path + "/siitd.json";
    std::ofstream(file) << kRunning;
    REQUIRE(chmod(file.c_str(), 0604) == 0);
    REQUIRE(chown(file.c_str(), 65534, 65534) == 0);
    Api api(file);
    REQUIRE(
        api.ask({{"command", "global.set"}, {"name", "lowest-ipv6-mtu"}, {"value", 1400}})["ok"] ==
        true);

    SECTION(
        "to the file it started from: the owner and mode stay, the content is the running one") {
        const json reply = api.ask({{"command", "config.save"}});
        REQUIRE(reply["ok"] == true);
        struct stat st {};
        REQUIRE(stat(file.c_str(), &st) == 0);
        CHECK((st.st_mode & 07777) == 0604);
        CHECK(st.st_uid == 65534);
        CHECK(st.st_gid == 65534);
        std::vector<std::string> errors;
        const auto saved = load_config(file, errors);
        REQUIRE(saved);
        CHECK(saved->translation.lowest_ipv6_mtu == 1400);
        CHECK(std::filesystem::directory_iterator(dir.path) !=
              std::filesystem::directory_iterator());
        std::set<std::string> files;
        for (const auto& e : std::filesystem::directory_iterator(dir.path))
            files.insert(e.path().filename());
        // No temporary left behind; the previous file kept as .bak, with its owner and mode.
        const std::string name = std::filesystem::path(file).filename();
        CHECK(files == std::set<std::string>{name, name + ".bak"});
        std::vector<std::string> old_errors;
        const auto previous = load_config(file + ".bak", old_errors);
        REQUIRE(previous);
        CHECK(previous->translation.lowest_ipv6_mtu == 1280);
        struct stat bak {};
        REQUIRE(stat((file + ".bak").c_str(), &bak) == 0);
        CHECK((bak.st_mode & 07777) == 0604);
        CHECK(bak.st_uid == 65534);
        // The running version now is the file: nothing to tell apart.
        const json diff = api.ask({{"command", "config.diff"}});
        REQUIRE(diff["ok"] == true);
        CHECK(diff["result"]["differences"].empty());
    }
    SECTION("anywhere else is refused, and nothing is written") {
        for (const std::string& path :
             {dir.path + "/other.json", std::string("/etc/siitd-test-not-written"),
              dir.path + "/../siitd.json", dir.path + "/sub/../../siitd.json"}) {
            const json reply = api.ask({{"command", "config.save"}, {"path", path}});
            CHECK(reply["ok"] == false);
            CHECK_THAT(error_text(reply), Catch::Contains("config.save refused"));
        }
        CHECK_FALSE(std::filesystem::exists(dir.path + "/other.json"));
        CHECK_FALSE(std::filesystem::exists("/etc/siitd-test-not-written"));
    }
    SECTION("a symbolic link at the target is refused, never followed") {
        const std::string victim = dir.path + "/victim";
        std::ofstream(victim) << "precious\n";
        std::filesystem::remove(file);
        std::filesystem::create_symlink(victim, file);
        const json reply = api.ask({{"command", "config.save"}});
        CHECK(reply["ok"] == false);
        CHECK_THAT(error_text(reply), Catch::Contains("symbolic link"));
        CHECK(read_text(victim) == "precious\n");
        CHECK(std::filesystem::is_symlink(file));
    }
}

TEST_CASE("control API: config.save writes into control.save-directory, and only there",
          "[control]") {
    TempDir dir("siitd-control-api");
    std::filesystem::create_directory(dir.path + "/saves");
    const std::string text = std::string(kRunning).insert(std::string(kRunning).rfind('}'),
                                                          ", \"control\": {\"save-directory\": \"" +
                                                              dir.path + "/saves\"}");
    Api api(dir.path + "/siitd.json", text);
    const json ok = api.ask({{"command", "config.save"}, {"path", dir.path + "/saves/a.json"}});
    CHECK(ok["ok"] == true);
    struct stat st {};
    REQUIRE(stat((dir.path + "/saves/a.json").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640); // a new file: owner and group only
    CHECK(api.ask({{"command", "config.save"}, {"path", dir.path + "/saves/../b.json"}})["ok"] ==
          false);
    CHECK_FALSE(std::filesystem::exists(dir.path + "/b.json"));
}

TEST_CASE("control API: each change is logged with the peer and what changed", "[control]") {
    Api api;
    LogCapture log;
    REQUIRE(api.ask({{"command", "global.set"}, {"name", "lowest-ipv6-mtu"}, {"value", 1400}},
                    kGroupMember)["ok"] == true);
    REQUIRE(api.ask({{"command", "eamt.add"},
                     {"entries",
                      {{{"ipv4", "192.0.2.0/24"}, {"ipv6", "2001:db8:1::/120"}}}}})["ok"] == true);
    REQUIRE(api.ask({{"command", "eamt.remove"},
                     {"entries", {{{"ipv4", "198.51.100.0/24"}}}}})["ok"] == true);
    api.ask({{"command", "eamt.flush"}}, kGroupMember);
    api.ask({{"command", "eamt.list"}});
    const std::string text = log.text();
    CHECK_THAT(text, Catch::Contains("uid 65534 (nobody): global.set (change): lowest-ipv6-mtu "
                                     "1280 -> 1400"));
    CHECK_THAT(text, Catch::Contains("uid 0 (root): eamt.add (change): eamt +1 -0 (2 entries), "
                                     "+192.0.2.0/24 2001:db8:1::/120"));
    CHECK_THAT(text, Catch::Contains("eamt.remove (change): eamt +0 -1 (1 entries), "
                                     "-198.51.100.0/24 2001:db8:100::/120"));
    CHECK_THAT(text, Catch::Contains("uid 65534 (nobody): eamt.flush (privileged): refused: "
                                     "eamt.flush needs root"));
    CHECK_THAT(text, !Catch::Contains("eamt.list")); // reading is not a change
}

TEST_CASE("control API: the command registry and docs/control-api.md list the same commands, "
          "with the same access",
          "[control]") {
    std::set<std::string> registry, documented;
    std::map<std::string, std::string> fields_cell; // a command's "fields" column
    for (const auto& c : ControlApi::commands())
        registry.insert(std::string(c.spec().name) + " " +
                        siit::control::access_name(c.spec().access));
    std::ifstream doc(SIIT_DOCS_DIR "/control-api.md");
    REQUIRE(doc);
    std::string line;
    bool in_commands = false;
    while (std::getline(doc, line)) {
        if (line.rfind("## ", 0) == 0) in_commands = line == "## Commands";
        if (!in_commands || line.rfind("| `", 0) != 0) continue;
        // "| `eamt.add` | change | ..." or "| `denylist4.add`, `denylist4.remove` | change | ...":
        // the names in the first cell, their access in the second.
        const std::size_t second = line.find('|', 1);
        const std::string cell = line.substr(1, second - 1);
        std::string access = line.substr(second + 1, line.find('|', second + 1) - second - 1);
        access.erase(0, access.find_first_not_of(' '));
        access.erase(access.find_last_not_of(' ') + 1);
        const std::size_t third = line.find('|', second + 1);
        const std::string fields = line.substr(third + 1, line.find('|', third + 1) - third - 1);
        for (std::size_t at = cell.find('`'); at != std::string::npos;
             at = cell.find('`', cell.find('`', at + 1) + 1)) {
            const std::string name = cell.substr(at + 1, cell.find('`', at + 1) - at - 1);
            documented.insert(name + " " + access);
            fields_cell[name] = fields;
        }
    }
    CHECK(registry == documented);
    // Every field a command takes is documented in its row.
    for (const auto& spec : siit::control::command_specs())
        for (const char* field : spec.fields) {
            INFO(spec.name << " takes " << field);
            CHECK_THAT(fields_cell[spec.name], Catch::Contains(std::string("`") + field + "`"));
        }
}

TEST_CASE("control API: docs/control-api.md lists the commands answered at once, as the "
          "registry does",
          "[control]") {
    std::set<std::string> registry, documented;
    for (const auto& c : ControlApi::commands())
        if (c.spec().lane == Lane::at_once) registry.insert(c.spec().name);
    std::ifstream doc(SIIT_DOCS_DIR "/control-api.md");
    REQUIRE(doc);
    const std::string lead = "Answered at once on the socket thread: ";
    std::string line;
    while (std::getline(doc, line))
        if (line.rfind(lead, 0) == 0) {
            for (std::size_t at = line.find('`'); at != std::string::npos;
                 at = line.find('`', line.find('`', at + 1) + 1))
                documented.insert(line.substr(at + 1, line.find('`', at + 1) - at - 1));
        }
    CHECK(registry == documented);
}

TEST_CASE("control API: capture's fields are checked before anything is captured", "[control]") {
    const CaptureRequest defaults = parse_capture_request(json::object());
    CHECK(defaults.port.empty());
    CHECK(defaults.direction == "both");
    CHECK(defaults.filter.empty());
    CHECK(defaults.count == 0);
    CHECK(defaults.duration_seconds == 0);
    CHECK(defaults.snaplen == 2048);
    const CaptureRequest chosen = parse_capture_request({{"port", "ipv6-side"},
                                                         {"direction", "rx"},
                                                         {"filter", "icmp6"},
                                                         {"count", 3},
                                                         {"duration", 1.5},
                                                         {"snaplen", 64}});
    CHECK(chosen.port == "ipv6-side");
    CHECK(chosen.direction == "rx");
    CHECK(chosen.filter == "icmp6");
    CHECK(chosen.count == 3);
    CHECK(chosen.duration_seconds == 1.5);
    CHECK(chosen.snaplen == 64);
    const auto refusal = [](const json& request) {
        try {
            parse_capture_request(request);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(refusal({{"direction", "in"}}) == "direction must be rx, tx or both, not 'in'");
    CHECK(refusal({{"port", 3}}) == "port must be a string");
    CHECK(refusal({{"count", -1}}) == "count must be a whole number of packets");
    CHECK(refusal({{"count", "3"}}) == "count must be a whole number of packets");
    CHECK(refusal({{"duration", 86401}}) == "duration must be a number of seconds from 0 to 86400");
    CHECK(refusal({{"duration", -1}}) == "duration must be a number of seconds from 0 to 86400");
    CHECK(refusal({{"snaplen", 63}}) == "snaplen must be from 64 to 9216 bytes");
    CHECK(refusal({{"snaplen", 9217}}) == "snaplen must be from 64 to 9216 bytes");
    CHECK(refusal({{"duration", -0.0}}) == "duration must be a number of seconds from 0 to 86400");
    CHECK(refusal({{"filter", std::string("tcp\0 and and", 12)}}) ==
          "filter must not contain a NUL character");
    CHECK(refusal({{"count", 1}, {"colour", "red"}}) ==
          "unknown field \"colour\" (capture takes port, direction, filter, count, duration, "
          "snaplen)");
    CHECK(refusal({{"command", "capture"}, {"version", 1}}) == "accepted");
}

TEST_CASE("control API: capture shows traffic: root or siitd's user only, and only where a "
          "capture can run",
          "[control]") {
    Api api;
    const json member = api.ask({{"command", "capture"}}, kGroupMember);
    CHECK_FALSE(member["ok"].get<bool>());
    CHECK_THAT(error_text(member), Catch::Contains("capture needs root"));
    // This API has no capture (no data plane running): refused, with the reason.
    const json root = api.ask({{"command", "capture"}});
    CHECK_FALSE(root["ok"].get<bool>());
    CHECK(error_text(root) == "capture is not available in this siitd");
}

TEST_CASE("control API: drain needs root or siitd's user, and an announce interface", "[control]") {
    Api api;
    const json request = {{"command", "drain"}, {"draining", true}};
    const json member = api.ask(request, kGroupMember);
    CHECK(member["ok"] == false);
    CHECK_THAT(error_text(member), Catch::Contains("it takes the box out of its fleet"));
    // Without an announce interface nothing would tell the routing daemon to move the traffic.
    const json root = api.ask(request, 0);
    CHECK(root["ok"] == false);
    CHECK_THAT(error_text(root), Catch::Contains("drain needs an announce-interface"));
    CHECK(api.ask({{"command", "status"}})["result"]["announce"].is_null());
    // The field is a boolean, and the only one.
    CHECK_THAT(error_text(api.ask({{"command", "drain"}, {"draining", true}, {"wait", true}}, 0)),
               Catch::Contains("wait"));
}
