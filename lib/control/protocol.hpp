// The control protocol (docs/control-api.md), declared once for both of its sides: siitd's
// registry (app/api/) binds a handler to each command here, and siitctl (ctl/) builds its
// requests from the same names. Each command's name, who may send it, where siitd runs it and the
// fields it takes are one row of kCommandSpecs (protocol.cpp); a field no row names is refused
// before any handler runs, so that a mistyped field is an error rather than a silent default.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace siit::control {

// The protocol's version: requests may carry it, every reply does.
inline constexpr int kProtocolVersion = 1;

// What a command may do, and so who may send it.
enum class Access : std::uint8_t {
    read,      // shows something: any peer the socket lets in
    change,    // changes the running version: any peer the socket lets in; logged
    privileged // replaces a whole table or configuration, writes a file, shows the traffic
               // itself, or takes the box out of its fleet: root or siitd's user
};

// Where siitd runs a command: at once on the socket thread, when its cost stays small whatever
// the size of the table or the file; otherwise in turn on the control worker, as every change.
enum class Lane : std::uint8_t { at_once, in_turn };

// Every field name of the protocol, requests' and replies' envelope included.
namespace field {
inline constexpr const char* command = "command";
inline constexpr const char* version = "version";
inline constexpr const char* ok = "ok";
inline constexpr const char* result = "result";
inline constexpr const char* error = "error";
inline constexpr const char* errors = "errors";
inline constexpr const char* entries = "entries";
inline constexpr const char* offset = "offset";
inline constexpr const char* limit = "limit";
inline constexpr const char* address = "address";
inline constexpr const char* prefix = "prefix";
inline constexpr const char* prefixes = "prefixes";
inline constexpr const char* name = "name";
inline constexpr const char* value = "value";
inline constexpr const char* per_worker = "per-worker";
inline constexpr const char* explain = "explain";
inline constexpr const char* reset = "reset";
inline constexpr const char* xstats = "xstats";
inline constexpr const char* config = "config";
inline constexpr const char* translation = "translation";
inline constexpr const char* path = "path";
inline constexpr const char* port = "port";
inline constexpr const char* direction = "direction";
inline constexpr const char* filter = "filter";
inline constexpr const char* count = "count";
inline constexpr const char* duration = "duration";
inline constexpr const char* snaplen = "snaplen";
inline constexpr const char* draining = "draining";
} // namespace field

// The window over which `status` and `drain` report "arriving-packets-per-second".
inline constexpr std::chrono::seconds kArrivalRateWindow{1};

// Every command, in kCommandSpecs' order.
enum class Command : std::uint8_t {
    version,
    eamt_add,
    eamt_remove,
    eamt_replace,
    eamt_flush,
    eamt_list,
    eamt_lookup,
    pool6_get,
    pool6_set,
    global_get,
    global_set,
    denylist4_list,
    denylist4_add,
    denylist4_remove,
    denylist4_flush,
    pool6791_list,
    pool6791_add,
    pool6791_remove,
    stats,
    neighbours,
    routes,
    addresses,
    ports,
    status,
    drain,
    capture,
    config_show,
    config_apply,
    translation_apply,
    config_save,
    config_diff,
    count
};
inline constexpr std::size_t kCommandCount = static_cast<std::size_t>(Command::count);

struct CommandSpec {
    Command id;
    const char* name; // as sent in "command"
    Access access;
    Lane lane;
    std::span<const char* const> fields; // the fields it takes besides "command" and "version"
};

// Every command's row, indexed by Command.
std::span<const CommandSpec, kCommandCount> command_specs();
inline const CommandSpec& spec(Command command) {
    return command_specs()[static_cast<std::size_t>(command)];
}
// The command called `name`, if any.
const CommandSpec* find_command(std::string_view name);
const char* access_name(Access access);

// The command a request's text names, read without building the request: the string value of the
// top-level "command" field, or nothing when the text is not a JSON object or names none. Reads
// no further than that field (a million-entry eamt.replace is not parsed to find its command).
std::optional<std::string> peek_command(const std::string& text);
// The first field of `request` (an object) that its command does not take, if any.
std::optional<std::string> unknown_field(const CommandSpec& command, const nlohmann::json& request);
// The refusal of `key`, a field `command` does not take: it names the fields it does take.
std::string unknown_field_problem(const CommandSpec& command, const std::string& key);
// A request for `command`, with `fields` (an object) added.
nlohmann::json make_request(Command command, nlohmann::json fields = nlohmann::json::object());

} // namespace siit::control
