// siitctl's command tree: the context each group of commands is added to, and what the groups
// share (sending a request and printing its answer, tables, exit statuses). One file per group:
// commands_eamt.cpp, commands_settings.cpp (pool6, denylist4, pool6791, get/set),
// commands_state.cpp (counters, the configuration, the kernel's view, version), commands_import.cpp
// (Jool, TAYGA), commands_capture.cpp (capture), commands_fleet.cpp (drain).
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "control/protocol.hpp"

namespace siitctl {

// The control protocol siitctl speaks (lib/control/protocol.hpp): its commands and fields.
namespace protocol = siit::control;

// Exit statuses (docs/siitctl.md): 0 done.
inline constexpr int kExitRefused = 1, kExitUsage = 2, kExitUnreachable = 3;
// `drain --wait`: the traffic did not move within --timeout (the box is still draining).
inline constexpr int kExitNotDrained = 4;

// The most siitd ever accepts in one request (control.max-message-bytes' upper bound): the bound
// on files read when no siitd is asked (a dry run).
inline constexpr std::size_t kLargestRequest = std::size_t{1} << 30;

struct Options {
    std::string socket = "/run/siitd/siitd.sock";
    bool json_output = false;
    int timeout_ms = 30000;
};

// One command line being parsed: the application, its global options, and the action that the
// chosen subcommand sets.
class Cli {
  public:
    explicit Cli(CLI::App& app) : app(app) {}
    // Makes `action` run `f` when `sub` is the command given.
    void on(CLI::App* sub, std::function<int()> f) {
        sub->callback([this, f] { action = f; });
    }
    // An action that sends `command` (with the fields of `extra`) and prints the answer plainly.
    std::function<int()> simple(protocol::Command command,
                                nlohmann::json extra = nlohmann::json::object()) const;
    // Storage for one group's arguments that lives as long as the command line: CLI11 writes the
    // parsed values through references to it.
    template <typename T> T& keep() {
        auto kept = std::make_shared<T>();
        kept_.push_back(kept);
        return *kept;
    }

    CLI::App& app;
    Options options;
    std::function<int()> action;
    // Words the completion offers after a command besides its subcommands and options (the
    // setting names after get, set and unset).
    std::map<const CLI::App*, std::vector<std::string>> completion_words;

  private:
    std::vector<std::shared_ptr<void>> kept_;
};

// Sends one request; prints the result (JSON with --json, else through `human`) or the refusal.
// Returns the exit status.
int request(const Options& o, const nlohmann::json& req,
            const std::function<void(const nlohmann::json&)>& human);
// The same for a reply already received.
int answer(const Options& o, const nlohmann::json& reply,
           const std::function<void(const nlohmann::json&)>& human);
// What this siitd accepts in one request, so that a file is never read beyond it.
std::size_t request_limit(const Options& o);
// A value as a person reads it: strings bare, null as "(unset)", the rest as JSON.
std::string show(const nlohmann::json& value);
// The announce interface as `status` and `drain` answer it: "siitd-up down (draining)".
std::string announce_text(const nlohmann::json& announce);
// Rows in aligned columns.
void print_table(const std::vector<std::vector<std::string>>& rows);

void add_eamt_commands(Cli& cli);
void add_setting_commands(Cli& cli);
void add_state_commands(Cli& cli);
void add_import_commands(Cli& cli);
void add_capture_command(Cli& cli);
void add_fleet_commands(Cli& cli);

} // namespace siitctl
