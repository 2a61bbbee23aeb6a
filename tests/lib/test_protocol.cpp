// lib/control/protocol.cpp: the control protocol's commands, declared once for siitd and siitctl.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "control/protocol.hpp"

using namespace siit::control;

TEST_CASE("protocol: every command has one row, under one name, at its own index", "[protocol]") {
    std::set<std::string> names;
    for (std::size_t i = 0; i < kCommandCount; ++i) {
        const CommandSpec& row = command_specs()[i];
        CHECK(static_cast<std::size_t>(row.id) == i);
        CHECK(names.insert(row.name).second);
        CHECK(find_command(row.name) == &row);
    }
    CHECK(find_command("eamt.ad") == nullptr);
    CHECK(find_command("") == nullptr);
}

TEST_CASE("protocol: a field the command does not take is named; command and version are always "
          "taken",
          "[protocol]") {
    const CommandSpec& list = spec(Command::eamt_list);
    CHECK_FALSE(unknown_field(list, {{"command", "eamt.list"}, {"version", 1}, {"limit", 5}}));
    CHECK(unknown_field(list, {{"command", "eamt.list"}, {"limt", 5}}) == "limt");
    CHECK(unknown_field(spec(Command::eamt_flush), {{"command", "eamt.flush"}, {"entries", 1}}) ==
          "entries");
    CHECK(unknown_field_problem(list, "limt") ==
          "unknown field \"limt\" (eamt.list takes offset, limit)");
    CHECK(unknown_field_problem(spec(Command::eamt_flush), "entries") ==
          "unknown field \"entries\" (eamt.flush takes none)");
}

TEST_CASE("protocol: a request carries its command's name and the fields given", "[protocol]") {
    const auto request = make_request(Command::pool6_set, {{field::prefix, "64:ff9b::/96"}});
    CHECK(request == nlohmann::json{{"command", "pool6.set"}, {"prefix", "64:ff9b::/96"}});
    CHECK(make_request(Command::version) == nlohmann::json{{"command", "version"}});
}

TEST_CASE("protocol: whole-table and file-writing commands are privileged, reads are never "
          "changes",
          "[protocol]") {
    for (Command c : {Command::eamt_replace, Command::eamt_flush, Command::denylist4_flush,
                      Command::config_apply, Command::translation_apply, Command::config_save,
                      Command::capture})
        CHECK(spec(c).access == Access::privileged);
    for (Command c : {Command::eamt_list, Command::status, Command::stats, Command::config_show,
                      Command::config_diff})
        CHECK(spec(c).access == Access::read);
    // A change is never answered at once: it runs in turn on the control worker.
    for (const CommandSpec& row : command_specs())
        if (row.access != Access::read) CHECK(row.lane == Lane::in_turn);
}

TEST_CASE("protocol: a request's command is read without the rest of it", "[protocol]") {
    CHECK(peek_command(R"({"command": "status"})") == "status");
    CHECK(peek_command(R"({"version": 1, "command": "eamt.add", "entries": []})") == "eamt.add");
    // Read no further than the command: what follows it may be cut off or broken.
    CHECK(peek_command(R"({"command": "eamt.replace", "entries": [{"ipv4": )") == "eamt.replace");
    // A "command" below the top level, or one that is not a string, is none.
    CHECK_FALSE(peek_command(R"({"entries": [{"command": "status"}]})"));
    CHECK_FALSE(peek_command(R"({"x": {"command": "status"}})"));
    CHECK_FALSE(peek_command(R"({"command": 7})"));
    CHECK_FALSE(peek_command(R"(["command", "status"])"));
    CHECK_FALSE(peek_command("not json"));
    CHECK_FALSE(peek_command(""));
    // A million entries before the command are read through, never kept.
    std::string big = R"({"entries": [)";
    for (int i = 0; i < 100000; ++i)
        big += std::string(i ? "," : "") + R"({"ipv4": "192.0.2.1/32", "ipv6": "2001:db8::1"})";
    big += R"(], "command": "eamt.replace"})";
    CHECK(peek_command(big) == "eamt.replace");
}
