// The control protocol's commands, one row each; see protocol.hpp.
#include "control/protocol.hpp"

#include <array>

namespace siit::control {

namespace {

using namespace field;
constexpr const char* kEntries[] = {entries};
constexpr const char* kPage[] = {offset, limit};
constexpr const char* kAddress[] = {address};
constexpr const char* kPrefix[] = {prefix};
constexpr const char* kPrefixes[] = {prefixes};
constexpr const char* kName[] = {name};
constexpr const char* kNameValue[] = {name, value};
constexpr const char* kStats[] = {per_worker, explain, reset};
constexpr const char* kPorts[] = {xstats};
constexpr const char* kCapture[] = {port, direction, filter, count, duration, snaplen};
constexpr const char* kConfig[] = {config};
constexpr const char* kTranslation[] = {translation};
constexpr const char* kPath[] = {path};

using enum Command;
using enum Access;
using enum Lane;
constexpr std::array<CommandSpec, kCommandCount> kCommandSpecs = {{
    {Command::version, "version", read, at_once, {}},
    {eamt_add, "eamt.add", change, in_turn, kEntries},
    {eamt_remove, "eamt.remove", change, in_turn, kEntries},
    {eamt_replace, "eamt.replace", privileged, in_turn, kEntries},
    {eamt_flush, "eamt.flush", privileged, in_turn, {}},
    {eamt_list, "eamt.list", read, in_turn, kPage},
    {eamt_lookup, "eamt.lookup", read, at_once, kAddress},
    {pool6_get, "pool6.get", read, at_once, {}},
    {pool6_set, "pool6.set", change, in_turn, kPrefix},
    {global_get, "global.get", read, at_once, kName},
    {global_set, "global.set", change, in_turn, kNameValue},
    {denylist4_list, "denylist4.list", read, at_once, {}},
    {denylist4_add, "denylist4.add", change, in_turn, kPrefixes},
    {denylist4_remove, "denylist4.remove", change, in_turn, kPrefixes},
    {denylist4_flush, "denylist4.flush", privileged, in_turn, {}},
    {pool6791_list, "pool6791.list", read, at_once, {}},
    {pool6791_add, "pool6791.add", change, in_turn, kAddress},
    {pool6791_remove, "pool6791.remove", change, in_turn, kAddress},
    {stats, "stats", read, at_once, kStats},
    {neighbours, "neighbours", read, at_once, {}},
    {routes, "routes", read, at_once, {}},
    {addresses, "addresses", read, at_once, {}},
    {ports, "ports", read, at_once, kPorts},
    {status, "status", read, at_once, {}},
    {capture, "capture", privileged, in_turn, kCapture},
    {config_show, "config.show", read, in_turn, {}},
    {config_apply, "config.apply", privileged, in_turn, kConfig},
    {translation_apply, "translation.apply", privileged, in_turn, kTranslation},
    {config_save, "config.save", privileged, in_turn, kPath},
    {config_diff, "config.diff", read, in_turn, {}},
}};

constexpr bool rows_in_order() {
    for (std::size_t i = 0; i < kCommandSpecs.size(); ++i)
        if (static_cast<std::size_t>(kCommandSpecs[i].id) != i) return false;
    return true;
}
static_assert(rows_in_order(), "kCommandSpecs is indexed by Command");

} // namespace

std::span<const CommandSpec, kCommandCount> command_specs() {
    return kCommandSpecs;
}

const CommandSpec* find_command(std::string_view name) {
    for (const CommandSpec& c : kCommandSpecs)
        if (name == c.name) return &c;
    return nullptr;
}

const char* access_name(Access access) {
    return access == Access::read ? "read" : access == Access::change ? "change" : "privileged";
}

std::optional<std::string> unknown_field(const CommandSpec& command,
                                         const nlohmann::json& request) {
    for (const auto& item : request.items()) {
        const std::string& key = item.key();
        if (key == field::command || key == field::version) continue;
        bool taken = false;
        for (const char* f : command.fields)
            taken = taken || key == f;
        if (!taken) return key;
    }
    return std::nullopt;
}

std::string unknown_field_problem(const CommandSpec& command, const std::string& key) {
    std::string text = "unknown field \"" + key + "\" (" + command.name;
    if (command.fields.empty()) return text + " takes none)";
    text += " takes";
    for (std::size_t i = 0; i < command.fields.size(); ++i)
        text += std::string(i == 0 ? " " : ", ") + command.fields[i];
    return text + ")";
}

nlohmann::json make_request(Command command, nlohmann::json fields) {
    fields[field::command] = spec(command).name;
    return fields;
}

} // namespace siit::control
