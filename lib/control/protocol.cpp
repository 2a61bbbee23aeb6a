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
constexpr const char* kDraining[] = {draining};

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
    {drain, "drain", privileged, in_turn, kDraining},
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

namespace {

// SAX events up to the top-level "command" field's value; stops the parse there.
class CommandPeek final : public nlohmann::json_sax<nlohmann::json> {
  public:
    std::optional<std::string> command;

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t& text) override {
        if (depth_ == 1 && at_command_) {
            command = text;
            return false; // found: no need to read on
        }
        return value();
    }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override {
        if (depth_ == 0) top_object_ = true;
        ++depth_;
        at_command_ = false;
        return depth_ > 1 || top_object_;
    }
    bool key(string_t& name) override {
        at_command_ = depth_ == 1 && name == field::command;
        return true;
    }
    bool end_object() override {
        --depth_;
        return true;
    }
    bool start_array(std::size_t) override {
        if (depth_ == 0) return false; // not an object
        ++depth_;
        at_command_ = false;
        return true;
    }
    bool end_array() override {
        --depth_;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

  private:
    bool value() {
        if (depth_ == 1 && at_command_) return false; // "command" is not a string
        return depth_ > 0;
    }
    int depth_ = 0;
    bool top_object_ = false, at_command_ = false;
};

} // namespace

std::optional<std::string> peek_command(const std::string& text) {
    CommandPeek peek;
    nlohmann::json::sax_parse(text, &peek, nlohmann::json::input_format_t::json, false);
    return peek.command;
}

} // namespace siit::control
