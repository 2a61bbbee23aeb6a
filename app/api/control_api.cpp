// The control socket's operations; see control_api.hpp and docs/control-api.md.
#include "api/control_api.hpp"

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_mempool.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "config/config_save.hpp"
#include "control/json_input.hpp"
#include "control/json_rewrite.hpp"
#include "siit/address_query.hpp"
#include "siit/problem_cap.hpp"

// Request fields by their one declared name (lib/control/protocol.hpp).
namespace key = siit::control::field;

namespace siitd {

namespace {

using nlohmann::json;

// A refused request: one line for the operator, and one per problem when there are several.
struct Refusal {
    std::string message;
    std::vector<std::string> errors;
};

const json& field(const json& request, const char* key) {
    if (!request.contains(key)) throw Refusal{std::string("missing \"") + key + "\"", {}};
    return request.at(key);
}

std::string string_field(const json& request, const char* key) {
    const json& value = field(request, key);
    if (!value.is_string()) throw Refusal{std::string("\"") + key + "\" must be a string", {}};
    return value.get<std::string>();
}

const json& array_field(const json& request, const char* key) {
    const json& value = field(request, key);
    if (!value.is_array()) throw Refusal{std::string("\"") + key + "\" must be a list", {}};
    return value;
}

json entry_json(const siit::EamEntry& e) {
    return {{"ipv4", e.prefix4.to_string()}, {"ipv6", e.prefix6.to_string()}};
}

// EAMT changes from a list of {"ipv4": ..., "ipv6": ...}; every bad item is named.
std::vector<siit::EamtChange> parse_changes(const json& items, siit::EamtChange::Kind kind) {
    std::vector<siit::EamtChange> changes;
    std::vector<std::string> errors;
    {
        siit::ProblemCap problems(errors);
        for (std::size_t i = 0; i < items.size(); ++i) {
            const json& item = items[i];
            const auto where = [i] { return "entry " + std::to_string(i + 1) + ": "; };
            if (!item.is_object()) {
                problems.add_made(
                    [&] { return where() + "must be {\"ipv4\": PREFIX, \"ipv6\": PREFIX}"; });
                continue;
            }
            siit::EamtChange change;
            change.kind = kind;
            bool ok = true;
            for (const auto& pair : item.items()) {
                const std::string& key = pair.key();
                const json& value = pair.value();
                const std::string text = value.is_string() ? value.get<std::string>() : "";
                // One side of the entry: its prefix, or the problem with it.
                const auto side = [&](auto& slot, auto parse, auto why) {
                    slot = parse(text);
                    if (slot) return;
                    problems.add_made([&] {
                        return where() + (value.is_string()
                                              ? siit::control::shown_text(text) + ": " + why(text)
                                              : value.dump() + ": " + why(value.dump()));
                    });
                    ok = false;
                };
                if (key == "ipv4") {
                    side(change.prefix4, &siit::Ipv4Prefix::parse, &siit::ipv4_prefix_problem);
                } else if (key == "ipv6") {
                    side(change.prefix6, &siit::Ipv6Prefix::parse, &siit::ipv6_prefix_problem);
                } else {
                    problems.add_made([&] { return where() + "unknown field \"" + key + "\""; });
                    ok = false;
                }
            }
            if (ok) changes.push_back(change);
        }
    }
    if (!errors.empty()) throw Refusal{"batch refused; nothing was changed", errors};
    return changes;
}

void refuse_if(const std::vector<std::string>& errors) {
    if (!errors.empty()) throw Refusal{"refused; nothing was changed", errors};
}

} // namespace

const std::array<ControlApi::Command, siit::control::kCommandCount>& ControlApi::commands() {
    using enum siit::control::Command;
    using Api = ControlApi;
    using siit::EamtChange;
    // One handler per command of the protocol (lib/control/protocol.hpp), indexed below; a handler
    // is told what it needs (which change), never the command's name.
    static const std::array<Command, siit::control::kCommandCount> rows = {{
        {version, [](Api& a, const json& r) { return a.version(r); }},
        // EAMT (RFC 7757).
        {eamt_add, [](Api& a, const json& r) { return a.eamt_change(EamtChange::Kind::add, r); }},
        {eamt_remove,
         [](Api& a, const json& r) { return a.eamt_change(EamtChange::Kind::remove, r); }},
        {eamt_replace, [](Api& a, const json& r) { return a.eamt_replace(r); }},
        {eamt_flush, [](Api& a, const json& r) { return a.eamt_flush(r); }},
        {eamt_list, [](Api& a, const json& r) { return a.eamt_list(r); }},
        {eamt_lookup, [](Api& a, const json& r) { return a.eamt_lookup(r); }},
        // pool6 (RFC 6052) and the other settings.
        {pool6_get, [](Api& a, const json& r) { return a.pool6_get(r); }},
        {pool6_set,
         [](Api& a, const json& r) {
             return a.setting_set("pool6", field(r, siit::control::field::prefix));
         }},
        {global_get, [](Api& a, const json& r) { return a.global_get(r); }},
        {global_set,
         [](Api& a, const json& r) {
             return a.setting_set(string_field(r, siit::control::field::name),
                                  field(r, siit::control::field::value));
         }},
        // denylist4: IPv4 prefixes pool6 never translates.
        {denylist4_list, [](Api& a, const json& r) { return a.denylist4_list(r); }},
        {denylist4_add, [](Api& a, const json& r) { return a.denylist4_change(true, r); }},
        {denylist4_remove, [](Api& a, const json& r) { return a.denylist4_change(false, r); }},
        {denylist4_flush, [](Api& a, const json& r) { return a.denylist4_flush(r); }},
        // pool6791 (RFC 6791): one address per family.
        {pool6791_list, [](Api& a, const json& r) { return a.pool6791_list(r); }},
        {pool6791_add, [](Api& a, const json& r) { return a.pool6791_change(true, r); }},
        {pool6791_remove, [](Api& a, const json& r) { return a.pool6791_change(false, r); }},
        // Counters, and what siitd learned from the kernel.
        {stats, [](Api& a, const json& r) { return a.stats(r); }},
        {neighbours,
         [](Api& a, const json&) {
             return a.mirror_ ? a.mirror_->neighbours_json() : json::array();
         }},
        {routes,
         [](Api& a, const json&) { return a.mirror_ ? a.mirror_->routes_json() : json::array(); }},
        {addresses,
         [](Api& a, const json&) {
             return a.mirror_ ? a.mirror_->addresses_json() : json::array();
         }},
        {ports, [](Api& a, const json& r) { return a.ports(r); }},
        {status, [](Api& a, const json& r) { return a.status(r); }},
        {drain, [](Api& a, const json& r) { return a.drain(r); }},
        // Shows the traffic itself, as tcpdump does for root only.
        {capture, [](Api& a, const json& r) { return a.capture(r); }},
        // The configuration as a whole.
        {config_show, [](Api& a, const json&) { return config_to_json(a.running()); }},
        {config_apply, [](Api& a, const json& r) { return a.config_apply(r); }},
        {translation_apply, [](Api& a, const json& r) { return a.translation_apply(r); }},
        {config_save, [](Api& a, const json& r) { return a.config_save(r); }},
        {config_diff, [](Api& a, const json& r) { return a.config_diff(r); }},
    }};
    // Indexed by command, whatever the order above; a command without a handler is a build that
    // must not run (every test that sends a request stops here first).
    static const auto registry = [] {
        std::array<Command, siit::control::kCommandCount> by_id{};
        for (const Command& row : rows)
            by_id[static_cast<std::size_t>(row.id)] = row;
        for (std::size_t i = 0; i < by_id.size(); ++i)
            if (!by_id[i].handler || static_cast<std::size_t>(by_id[i].id) != i) {
                std::fprintf(stderr, "siitd: control command %s has no handler\n",
                             siit::control::command_specs()[i].name);
                std::abort();
            }
        return by_id;
    }();
    return registry;
}

ControlApi::ControlApi(const Config& running, std::string config_file,
                       siit::TranslationState& state, const Dataplane& dataplane,
                       const ControlCounters& control)
    : running_(running), config_file_(std::move(config_file)), state_(state), dataplane_(dataplane),
      control_(control), link_watch_(dataplane.ports()) {
    // The table lives in the running versions from here on; running() puts it back.
    running_.eamt.clear();
    running_.eamt.shrink_to_fit();
    // The file holds what siitd started from, as far as anybody can tell without reading it
    // again: the running version (its table's digest was computed when it was built).
    file_view_.identity = siit::control::file_identity(config_file_);
    file_view_.readable = file_view_.identity.has_value();
    file_view_.settings = translation_to_json(running_.translation, nullptr).dump();
    file_view_.eamt_digest = state_.table()->digest();
}

std::optional<std::string> ControlApi::handle_at_once(const std::string& text, uid_t uid) {
    // A request that is not JSON, or names no known command, is refused at once: cheaply. The
    // command is read without parsing the rest: the control worker parses it once.
    namespace protocol = siit::control;
    if (const auto command = protocol::peek_command(text)) {
        const auto* spec = protocol::find_command(*command);
        if (spec && spec->lane == Lane::in_turn) return std::nullopt;
        // `status` re-reads a file that changed: that is the control worker's to do.
        if (spec && spec->id == protocol::Command::status && !file_view_fresh())
            return std::nullopt;
    }
    if (readers_) readers_->online(reader_);
    std::string reply = handle(text, uid);
    if (readers_) readers_->offline(reader_);
    return reply;
}

ControlApi::FileView ControlApi::view_of(const Config& file,
                                         std::optional<siit::control::FileIdentity> identity) {
    FileView view;
    view.identity = identity;
    if (!identity) {
        view.problem = config_file_ + ": cannot be seen";
        return view;
    }
    view.readable = true;
    view.settings = translation_to_json(file.translation, nullptr).dump();
    std::vector<std::string> errors;
    const auto table = siit::EamTable::build(file.eamt, errors);
    view.eamt_digest = table ? table->digest() : "";
    Config keys = file; // the table is not a top-level key: leave it out of the comparison
    keys.eamt.clear();
    const json now = config_to_json(running_), then = config_to_json(keys);
    for (const auto& key : top_level_keys()) {
        const std::string name(key.name);
        if (name != "translation" && now.value(name, json()) != then.value(name, json()))
            view.restart_keys_differ = true;
    }
    return view;
}

bool ControlApi::file_view_fresh() const {
    const auto identity = siit::control::file_identity(config_file_);
    std::lock_guard lock(shared_mutex_);
    return identity == file_view_.identity;
}

json ControlApi::unsaved_changes() {
    if (!file_view_fresh()) { // changed since last read: read it again (the control worker)
        try {
            read_config_file();
        } catch (const Refusal&) {
        }
    }
    const std::string settings = translation_to_json(snapshot().config, nullptr).dump();
    const std::string digest = snapshot().eamt->digest();
    std::lock_guard lock(shared_mutex_);
    if (!file_view_.readable) return nullptr;
    return file_view_.restart_keys_differ || file_view_.settings != settings ||
           file_view_.eamt_digest != digest;
}

bool ControlApi::privileged_peer(uid_t uid) {
    return uid == 0 || uid == geteuid();
}

std::optional<siit::control::EntriesRequest>
ControlApi::read_with_entries(const std::string& text) {
    namespace protocol = siit::control;
    const auto command = protocol::peek_command(text);
    const protocol::CommandSpec* spec = command ? protocol::find_command(*command) : nullptr;
    if (!spec || std::find(spec->fields.begin(), spec->fields.end(),
                           std::string_view(protocol::field::entries)) == spec->fields.end())
        return std::nullopt;
    return protocol::read_entries_request(text);
}

std::string ControlApi::handle(std::string text, uid_t uid) {
    namespace protocol = siit::control;
    json reply = {{protocol::field::version, protocol::kProtocolVersion}};
    std::string command = "(unparsed)";
    const Command* found = nullptr;
    std::string changed;
    // A request whose list the one-pass reader took: only commands of the control worker's lane
    // take a list, so only that thread ever touches read_entries_.
    struct ForgetEntries {
        std::optional<std::vector<siit::EamEntry>>& entries;
        bool armed = false;
        ~ForgetEntries() {
            if (armed) entries.reset();
        }
    } forget{read_entries_};
    try {
        json request;
        if (auto read = read_with_entries(text)) {
            request = std::move(read->rest);
            read_entries_ = std::move(read->entries);
            forget.armed = true;
        } else {
            auto input = siit::control::parse_json_input(text);
            if (!input.value)
                throw Refusal{"request refused: " + siit::control::json_input_problem(input), {}};
            request = std::move(*input.value);
        }
        std::string().swap(text);
        const siit::control::ReleaseJson release{request};
        if (!request.is_object()) throw Refusal{"request must be a JSON object", {}};
        if (request.contains(protocol::field::version) &&
            request[protocol::field::version] != protocol::kProtocolVersion)
            throw Refusal{"API version " + request[protocol::field::version].dump() +
                              " is not spoken here (siitd speaks version " +
                              std::to_string(protocol::kProtocolVersion) + ")",
                          {}};
        command = string_field(request, protocol::field::command);
        const protocol::CommandSpec* spec = protocol::find_command(command);
        if (!spec)
            throw Refusal{"unknown command '" + command + "' (docs/control-api.md lists them)", {}};
        found = &commands()[static_cast<std::size_t>(spec->id)];
        if (const auto unknown = protocol::unknown_field(*spec, request))
            throw Refusal{protocol::unknown_field_problem(*spec, *unknown), {}};
        if (spec->access == Access::privileged && !privileged_peer(uid))
            throw Refusal{command + " needs root or siitd's own user (uid " +
                              std::to_string(geteuid()) + "): " +
                              (spec->id == protocol::Command::capture
                                   ? "it shows the traffic itself, as tcpdump does for root only"
                               : spec->id == protocol::Command::drain
                                   ? "it takes the box out of its fleet"
                                   : "it replaces a whole table or configuration, or writes a "
                                     "file") +
                              "; members of control.group may make every other change",
                          {}};
        if (spec->access == Access::read) {
            reply["result"] = found->handler(*this, request);
        } else {
            const TranslationSnapshot before = snapshot();
            done_outside_.clear();
            reply["result"] = found->handler(*this, request);
            changed = describe_change(before, snapshot());
            if (!done_outside_.empty())
                changed = changed == "nothing" ? done_outside_ : changed + "; " + done_outside_;
        }
        reply["ok"] = true;
    } catch (const Refusal& r) {
        reply["ok"] = false;
        reply["error"] = r.message;
        if (!r.errors.empty()) reply["errors"] = r.errors;
    } catch (const std::exception& e) { // a JSON type error, or out of memory
        reply["ok"] = false;
        reply["error"] = std::string("request refused: ") + e.what();
    }
    // The audit trail: every change and every refusal, with who asked.
    const bool ok = reply["ok"].get<bool>();
    // (Who the peer is costs a look-up in the user database: only for a line that is logged.)
    if ((!ok || (found && found->spec().access != Access::read)) &&
        rte_log_can_log(RTE_LOGTYPE_USER1, RTE_LOG_INFO)) {
        std::string detail = ok ? changed : "refused: " + reply["error"].get<std::string>();
        if (!ok && reply.contains("errors"))
            for (const auto& e : reply["errors"])
                detail += "; " + e.get<std::string>();
        RTE_LOG(INFO, USER1, "siitd: control: %s: %s (%s): %s\n", describe_peer(uid).c_str(),
                command.c_str(), found ? protocol::access_name(found->spec().access) : "unknown",
                detail.c_str());
    }
    return reply.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Draining (observe/announce.hpp): the announce interface goes down and the routing daemon
// withdraws the pools; the workers go on translating what still arrives.
json ControlApi::drain(const json& request) {
    if (!announcer_)
        throw Refusal{"drain needs an announce-interface in siitd's configuration: without one, "
                      "nothing tells the routing daemon to move traffic away (deploy/fleet.md)",
                      {}};
    const json& draining = field(request, key::draining);
    if (!draining.is_boolean()) throw Refusal{"draining must be true or false", {}};
    const bool changed = announcer_->set_draining(draining.get<bool>());
    done_outside_ = std::string(!changed               ? "nothing (already so)"
                                : draining.get<bool>() ? "began draining"
                                                       : "ended the drain") +
                    ": announce interface " + announcer_->interface() + " " +
                    (announcer_->up() ? "up" : "down");
    return announcer_->state_json();
}

// The connection becomes the capture's stream once this reply is on its way (capture.hpp).
json ControlApi::capture(const json& request) {
    if (!capture_ || !server_) throw Refusal{"capture is not available in this siitd", {}};
    json described;
    try {
        described = capture_->prepare(parse_capture_request(request));
    } catch (const std::invalid_argument& e) {
        throw Refusal{std::string("capture refused: ") + e.what(), {}};
    }
    server_->hand_over(
        [capture = capture_](int fd, std::string reply) { capture->serve(fd, std::move(reply)); });
    done_outside_ = "wrote a capture " + described.dump() + " to the client";
    return described;
}

TranslationSnapshot ControlApi::snapshot() const {
    const siit::TranslationVersion* version = state_.snapshot();
    return {version->config, version->eamt};
}

void ControlApi::change(const std::function<void(siit::TranslationEdit&)>& edit) {
    refuse_if(state_.update(edit));
}

Config ControlApi::running() const {
    Config config = running_;
    const TranslationSnapshot now = snapshot();
    config.translation = now.config;
    config.eamt = now.eamt->entries();
    return config;
}

json ControlApi::version(const json&) {
    return {{"api", siit::control::kProtocolVersion},
            {"siitd", SIITD_VERSION},
            // What a client may send: siitctl bounds the files it reads by it.
            {"max-message-bytes", running_.control.max_message_bytes}};
}

std::vector<siit::EamEntry> ControlApi::take_read_entries() {
    std::vector<siit::EamEntry> entries = std::move(*read_entries_);
    read_entries_.reset();
    return entries;
}

json ControlApi::eamt_change(siit::EamtChange::Kind kind, const json& request) {
    std::vector<siit::EamtChange> changes;
    if (read_entries_) {
        for (const siit::EamEntry& e : take_read_entries())
            changes.push_back({kind, e.prefix4, e.prefix6});
    } else {
        changes = parse_changes(array_field(request, key::entries), kind);
    }
    const std::size_t count = changes.size();
    change([&](siit::TranslationEdit& e) { e.eamt_changes = std::move(changes); });
    return {{"changed", count}, {"entries", state_.table()->size()}};
}

json ControlApi::eamt_replace(const json& request) {
    if (read_entries_) {
        change([&](siit::TranslationEdit& e) { e.eamt = take_read_entries(); });
        return {{"entries", state_.table()->size()}};
    }
    auto changes = parse_changes(array_field(request, key::entries), siit::EamtChange::Kind::add);
    std::vector<siit::EamEntry> entries;
    entries.reserve(changes.size());
    std::vector<std::string> errors;
    {
        siit::ProblemCap problems(errors);
        for (std::size_t i = 0; i < changes.size(); ++i) {
            if (!changes[i].prefix4 || !changes[i].prefix6)
                problems.add_made([i] {
                    return "entry " + std::to_string(i + 1) + ": needs both \"ipv4\" and \"ipv6\"";
                });
            else
                entries.push_back({*changes[i].prefix4, *changes[i].prefix6});
        }
    }
    refuse_if(errors);
    change([&](siit::TranslationEdit& e) { e.eamt = std::move(entries); });
    return {{"entries", state_.table()->size()}};
}

json ControlApi::eamt_flush(const json&) {
    const std::size_t before = state_.table()->size();
    change([](siit::TranslationEdit& e) { e.eamt.emplace(); });
    return {{"removed", before}};
}

json ControlApi::pool6_get(const json&) {
    const TranslationSnapshot now = snapshot();
    return {{"pool6", now.config.pool6 ? json(now.config.pool6->to_string()) : json(nullptr)}};
}

json ControlApi::setting_set(const std::string& name, const json& value) {
    if (name == "eamt") throw Refusal{"the EAMT is changed with eamt.add/remove/replace", {}};
    json now;
    change([&](siit::TranslationEdit& e) {
        std::optional<std::vector<siit::EamEntry>> ignored;
        std::vector<std::string> errors;
        overlay_translation(json{{name, value}}, "request", e.config, ignored, errors);
        refuse_if(errors);
        now = translation_to_json(e.config, nullptr)[name];
    });
    return now;
}

json ControlApi::global_get(const json& request) {
    const json all = translation_to_json(snapshot().config, nullptr);
    if (!request.contains(key::name)) return all;
    const std::string name = string_field(request, key::name);
    if (!all.contains(name))
        throw Refusal{"no setting '" + name + "' (siitctl get lists them all)", {}};
    return all[name];
}

json ControlApi::denylist4_list(const json&) {
    return translation_to_json(snapshot().config, nullptr)["denylist4"];
}

json ControlApi::denylist4_flush(const json&) {
    std::size_t removed = 0;
    change([&](siit::TranslationEdit& e) {
        removed = e.config.denylist4.size();
        e.config.denylist4.clear();
    });
    return {{"removed", removed}};
}

json ControlApi::denylist4_change(bool add, const json& request) {
    const json& items = array_field(request, key::prefixes);
    std::size_t prefixes = 0;
    change([&](siit::TranslationEdit& e) {
        auto& list = e.config.denylist4;
        std::vector<std::string> errors;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const std::string where = "prefix " + std::to_string(i + 1) + ": ";
            const auto prefix = items[i].is_string()
                                    ? siit::Ipv4Prefix::parse(items[i].get<std::string>())
                                    : std::nullopt;
            if (!prefix) {
                const std::string given =
                    items[i].is_string() ? items[i].get<std::string>() : items[i].dump();
                errors.push_back(where + siit::control::shown_text(given) + ": " +
                                 siit::ipv4_prefix_problem(given));
                continue;
            }
            const auto it = std::find(list.begin(), list.end(), *prefix);
            if (add && it != list.end())
                errors.push_back(where + prefix->to_string() + " is already in denylist4");
            else if (!add && it == list.end())
                errors.push_back(where + prefix->to_string() + " is not in denylist4");
            else if (add)
                list.push_back(*prefix);
            else
                list.erase(it);
        }
        refuse_if(errors);
        prefixes = list.size();
    });
    return {{"changed", items.size()}, {"prefixes", prefixes}};
}

json ControlApi::pool6791_list(const json&) {
    const TranslationSnapshot now = snapshot();
    json list = json::array();
    if (now.config.pool6791v4) list.push_back(now.config.pool6791v4->to_string());
    if (now.config.pool6791v6) list.push_back(now.config.pool6791v6->to_string());
    return list;
}

json ControlApi::pool6791_change(bool add, const json& request) {
    const std::string text = string_field(request, key::address);
    // One address per family: add fills an empty place, remove empties the one holding `text`.
    const auto place = [&](auto& slot, const auto& address, const char* family) {
        if (add && slot)
            throw Refusal{std::string("pool6791 holds one ") + family + " address, " +
                              slot->to_string() + "; remove it first",
                          {}};
        if (!add && !(slot && *slot == address)) throw Refusal{text + " is not in pool6791", {}};
        if (add)
            slot = address;
        else
            slot.reset();
    };
    const auto v4 = siit::Ipv4Address::parse(text);
    const auto v6 = siit::Ipv6Address::parse(text);
    if (!v4 && !v6) throw Refusal{json(text).dump() + " is not an IPv4 or IPv6 address", {}};
    change([&](siit::TranslationEdit& e) {
        if (v4)
            place(e.config.pool6791v4, *v4, "IPv4");
        else
            place(e.config.pool6791v6, *v6, "IPv6");
    });
    return {{"changed", 1}};
}

// What an operator checks first, in one answer: version and uptime, ports up or down, workers and
// their load, the EAMT's size and digest and whether the running version differs from the file,
// and the kernel's next hops resolved or not.
json ControlApi::status(const json&) {
    json ports = json::array();
    for (const Port& port : dataplane_.ports()) {
        const PortLink link = read_port_link(port.id, port.carrier_interface);
        ports.push_back({{"name", port.display_name()}, {"link", port_link_json(link)["link"]}});
    }
    json workers = json::array();
    for (const auto& plan : dataplane_.plans())
        workers.push_back(
            {{"worker", plan.index},
             {"lcore", plan.lcore},
             {"busy-ns-per-packet", busy_ns_per_packet(dataplane_.stats()[plan.index])}});
    const siit::TranslationVersion* version = state_.snapshot();
    const std::size_t entry_count = version->eamt->size();
    const json unsaved = unsaved_changes(); // null when the file cannot be read
    json next_hops = {{"resolved", 0}, {"unresolved", 0}};
    if (mirror_)
        for (const auto& n : mirror_->neighbours_json())
            if (n.value("next-hop", false)) {
                const char* counted = n.value("usable", false) ? "resolved" : "unresolved";
                next_hops[counted] = next_hops[counted].get<int>() + 1;
            }
    return {{"siitd", SIITD_VERSION},
            {"uptime-seconds", std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::steady_clock::now() - started_)
                                   .count()},
            {"ports", ports},
            {"workers", workers},
            {"eamt",
             {{"entries", entry_count},
              {"version", version->serial},
              {"digest", version->eamt->digest()}}},
            {"unsaved-changes", unsaved},
            {"next-hops", next_hops},
            {"announce", announcer_ ? announcer_->state_json() : json(nullptr)},
            {"drops-since-last-look", drops_since_last_look()}};
}

// The five drop counters that grew most since the previous `status` (since start, the first
// time), largest first: what is going wrong now, not what went wrong last week.
json ControlApi::drops_since_last_look() {
    auto totals = sum_stats(dataplane_.stats());
    std::lock_guard lock(shared_mutex_); // what the last look saw
    std::vector<std::pair<std::string, std::uint64_t>> grown;
    for (std::size_t i = 0; i < totals.size(); ++i) {
        const auto& [name, total] = totals[i];
        const std::uint64_t before = i < status_seen_.size() ? status_seen_[i].second : 0;
        if (name.rfind("drop_", 0) == 0 && total > before) grown.emplace_back(name, total - before);
    }
    std::stable_sort(grown.begin(), grown.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (grown.size() > 5) grown.resize(5);
    const auto now = std::chrono::steady_clock::now();
    json top = json::array();
    for (const auto& [name, grew] : grown)
        top.push_back({{"counter", name}, {"grew", grew}});
    json result = {
        {"seconds",
         std::chrono::duration_cast<std::chrono::seconds>(now - status_seen_at_).count()},
        {"top", top}};
    status_seen_ = std::move(totals);
    status_seen_at_ = now;
    return result;
}

// Each port as DPDK sees it: driver, device, NUMA socket, MAC, MTU, link, queues and the workers
// that poll them; with "xstats": true, the driver's extended statistics too.
json ControlApi::ports(const json& request) {
    const bool with_xstats = request.value(key::xstats, false);
    json list = json::array();
    const auto& plans = dataplane_.plans();
    for (std::size_t i = 0; i < dataplane_.ports().size(); ++i) {
        const Port& port = dataplane_.ports()[i];
        rte_eth_dev_info info{};
        rte_eth_dev_info_get(port.id, &info);
        char mac[18];
        std::snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", port.mac[0], port.mac[1],
                      port.mac[2], port.mac[3], port.mac[4], port.mac[5]);
        json rx_queues = json::array();
        for (const auto& plan : plans)
            for (const auto& [port_index, queue] : plan.rx)
                if (port_index == i)
                    rx_queues.push_back({{"queue", queue}, {"worker", plan.index}});
        json entry = {
            {"name", port.display_name()},
            {"device", port.config.device},
            {"driver", info.driver_name ? info.driver_name : ""},
            {"kernel-interface-of", port.kernel_of >= 0
                                        ? json(dataplane_.ports()[port.kernel_of].config.name)
                                        : json(nullptr)},
            {"numa-socket", rte_eth_dev_socket_id(port.id)},
            {"mac", mac},
            {"mtu", port.config.mtu},
            {"rx-queues", rx_queues},
            {"tx-queues", port.kernel_of >= 0 ? 1u : static_cast<unsigned>(plans.size())}};
        entry.update(port_link_json(read_port_link(port.id, port.carrier_interface)));
        if (port.kernel_of < 0) {
            std::lock_guard lock(shared_mutex_); // the socket thread's tick polls the links
            entry.update(link_watch_.changes_json(i));
        }
        if (with_xstats) {
            json xstats = json::object();
            const int count = rte_eth_xstats_get_names(port.id, nullptr, 0);
            if (count > 0) {
                std::vector<rte_eth_xstat_name> names(static_cast<std::size_t>(count));
                std::vector<rte_eth_xstat> values(static_cast<std::size_t>(count));
                if (rte_eth_xstats_get_names(port.id, names.data(), count) == count &&
                    rte_eth_xstats_get(port.id, values.data(), count) == count)
                    for (const auto& v : values)
                        if (v.id < names.size()) xstats[names[v.id].name] = v.value;
            }
            entry["xstats"] = xstats;
        }
        list.push_back(entry);
    }
    return list;
}

json ControlApi::translation_apply(const json& request) {
    // Jool's atomic configuration semantics: what the object names changes, the rest stays.
    const json& translation = field(request, key::translation);
    change([&](siit::TranslationEdit& e) {
        std::vector<std::string> errors;
        overlay_translation(translation, "translation", e.config, e.eamt, errors);
        refuse_if(errors);
    });
    return {{"entries", state_.table()->size()}};
}

json ControlApi::config_save(const json& request) {
    const std::string path = request.contains(key::path) ? string_field(request, key::path) : "";
    std::string wrote;
    std::vector<std::string> changes;
    try {
        const Config saved = running();
        const SavePolicy policy{config_file_, running_.control.save_directory,
                                config_file_limit(running_.control.max_message_bytes)};
        // The file keeps its key order; the reply names what changed in it.
        wrote = save_config_file(path, policy, [&](const std::string& old_text) {
            auto rewrite = siit::control::rewrite_keeping_order(
                old_text, config_to_json_without_defaults(saved));
            changes = std::move(rewrite.changes);
            return std::move(rewrite.text);
        });
        done_outside_ = "wrote " + wrote;
        const auto written = siit::control::file_identity(wrote);
        const auto started_from = siit::control::file_identity(config_file_);
        if (written && started_from && written->device == started_from->device &&
            written->inode == started_from->inode) {
            FileView view = view_of(saved, started_from);
            std::lock_guard lock(shared_mutex_);
            file_view_ = std::move(view);
        }
    } catch (const SaveRefused& refused) {
        throw Refusal{"config.save refused: " + refused.reason, {}};
    }
    return {{"path", wrote}, {"changes", changes}};
}

json ControlApi::eamt_list(const json& request) {
    const siit::EamTable* table = state_.table();
    const auto& entries = table->entries();
    std::size_t offset = 0, limit = 1000;
    if (request.contains(key::offset)) {
        if (!request[key::offset].is_number_unsigned())
            throw Refusal{"\"offset\" must be a number from 0", {}};
        offset = request[key::offset].get<std::size_t>();
    }
    if (request.contains(key::limit)) {
        if (!request[key::limit].is_number_unsigned())
            throw Refusal{"\"limit\" must be 1 to 100000", {}};
        limit = request[key::limit].get<std::size_t>();
    }
    if (limit == 0 || limit > 100000) throw Refusal{"\"limit\" must be 1 to 100000", {}};
    json list = json::array();
    for (std::size_t i = offset; i < entries.size() && i < offset + limit; ++i)
        list.push_back(entry_json(entries[i]));
    return {{"total", entries.size()}, {"offset", offset}, {"entries", list}};
}

json ControlApi::eamt_lookup(const json& request) {
    const siit::TranslationVersion* version = state_.snapshot();
    const std::string text = string_field(request, key::address);
    json result = {{"address", text}};
    siit::AddressQuery q;
    if (const auto v4 = siit::Ipv4Address::parse(text)) {
        q = siit::query_4to6(version->config, version->eamt.get(), *v4);
        result["translated"] = q.ipv6 ? json(q.ipv6->to_string()) : json(nullptr);
    } else if (const auto v6 = siit::Ipv6Address::parse(text)) {
        q = siit::query_6to4(version->config, version->eamt.get(), *v6);
        result["translated"] = q.ipv4 ? json(q.ipv4->to_string()) : json(nullptr);
    } else {
        throw Refusal{siit::control::shown_text(text) + " is not an IPv4 or IPv6 address", {}};
    }
    result["entry"] = q.entry ? entry_json(*q.entry) : json(nullptr);
    result["by"] = q.entry                           ? "eamt"
                   : !result["translated"].is_null() ? "pool6"
                   : q.never_translated              ? "never-translated"
                   : q.wkp_non_global                ? "wkp-non-global"
                   : q.denylisted                    ? "denylist4"
                                                     : "none";
    return result;
}

json ControlApi::stats(const json& request) {
    const auto totals = sum_stats(dataplane_.stats());
    std::lock_guard lock(shared_mutex_); // the baseline
    json counters = json::object();
    for (std::size_t i = 0; i < totals.size(); ++i)
        counters[totals[i].first] =
            totals[i].second - (baseline_.empty() ? 0 : baseline_[i].second);
    json result = {{"counters", counters}};
    result["control"] = {
        {"requests", control_.requests.load()},
        {"clients_accepted", control_.clients_accepted.load()},
        {"clients_refused_limit", control_.clients_refused_limit.load()},
        {"requests_oversized", control_.requests_oversized.load()},
        {"clients_timed_out", control_.clients_timed_out.load()},
        {"requests_in_turn", control_.requests_in_turn.load()},
        {"requests_abandoned", control_.requests_abandoned.load()},
        {"captures_cut_off", control_.captures_cut_off.load()},
    };
    const siit::TranslationVersion* version = state_.snapshot();
    result["state"] = {
        {"version", version->serial},
        {"eamt_entries", version->eamt->size()},
        {"eamt_bytes", version->eamt->memory_bytes()},
        // Whether workers prefetch this table's lookups a burst ahead.
        {"eamt_lookups_prefetched",
         eamt_lookups_prefetched(running_.eamt_prefetch, version->eamt->prefetch_worthwhile())},
        // Versions replaced but not yet freed: workers have not all passed a
        // quiescent state since. Stays small unless a worker stalls.
        {"retired_versions", state_.retired()}};
    // The mbuf pools: in_use returns to its idle level once traffic stops, or something leaks.
    if (!dataplane_.mempools().empty()) {
        const MbufCounts mbufs = count_mbufs(dataplane_.mempools());
        result["mbufs"] = {
            {"size", mbufs.size}, {"available", mbufs.available}, {"in_use", mbufs.in_use}};
    }
    // What the NICs themselves count: packets they could not hand to siitd (no mbuf, ring full).
    json nics = json::object();
    for (const auto& port : dataplane_.ports()) {
        rte_eth_stats s{};
        if (rte_eth_stats_get(port.id, &s) != 0) continue;
        nics[port.config.name] = {{"ipackets", s.ipackets}, {"opackets", s.opackets},
                                  {"imissed", s.imissed},   {"ierrors", s.ierrors},
                                  {"oerrors", s.oerrors},   {"rx_nombuf", s.rx_nombuf}};
    }
    result["ports"] = nics;
    if (request.value(key::per_worker, false)) {
        json workers = json::array();
        const auto& ports = dataplane_.ports();
        for (const auto& plan : dataplane_.plans()) {
            const WorkerStats& s = dataplane_.stats()[plan.index];
            json rx = json::array();
            for (const auto& [port, queue] : plan.rx)
                rx.push_back(ports[port].config.name + ":" + std::to_string(queue));
            json per_port = json::object();
            for (std::size_t p = 0; p < ports.size(); ++p)
                per_port[ports[p].config.name] = {{"rx", s.port_rx[p]}, {"tx", s.port_tx[p]}};
            json nonzero = json::object();
            for (const auto& [name, value] : sum_stats({s}))
                if (value) nonzero[name] = value;
            const double ns_per_packet = busy_ns_per_packet(s);
            workers.push_back({{"worker", plan.index},
                               {"lcore", plan.lcore},
                               {"rx-queues", rx},
                               {"ports", per_port},
                               {"busy-ns-per-packet", ns_per_packet},
                               {"counters", nonzero}});
        }
        result["workers"] = workers;
    }
    if (request.value(key::explain, false)) {
        json descriptions = json::object();
        for (const auto& [name, description] : counter_descriptions())
            descriptions[name] = description;
        result["descriptions"] = descriptions;
    }
    if (request.value(key::reset, false)) {
        baseline_ = totals;
        result["reset"] = true;
    }
    return result;
}

json ControlApi::config_apply(const json& request) {
    const json& file = field(request, key::config);
    std::vector<std::string> errors;
    const auto config = parse_config(file.dump(), "config", errors);
    refuse_if(errors);
    apply_config(*config);
    return {{"entries", state_.table()->size()}};
}

void ControlApi::apply_config(const Config& config) {
    // Only the translation can change while siitd runs; the top-level table says which keys need
    // a restart, and config_to_json writes every one of them (a unit test checks), so a new
    // setting can never be accepted and then silently ignored here.
    std::vector<std::string> errors;
    const json now = config_to_json(running_), next = config_to_json(config);
    for (const auto& key : top_level_keys()) {
        const std::string name(key.name);
        if (key.needs_restart && now.value(name, json()) != next.value(name, json()))
            errors.push_back("config: " + name +
                             ": differs from the running one; changing it needs a restart");
    }
    refuse_if(errors);
    change([&](siit::TranslationEdit& e) {
        e.config = config.translation;
        e.eamt = config.eamt;
    });
}

Config ControlApi::read_config_file() {
    // The file's own name in its problems, as --check-config names them.
    std::vector<std::string> errors;
    siit::control::FileIdentity identity;
    auto config = load_config(config_file_, errors,
                              config_file_limit(running_.control.max_message_bytes), &identity);
    if (!config) {
        FileView view;
        view.identity = siit::control::file_identity(config_file_);
        view.problem = errors.empty() ? config_file_ + ": refused" : errors.front();
        {
            std::lock_guard lock(shared_mutex_);
            file_view_ = std::move(view);
        }
        if (errors.size() == 1) throw Refusal{errors.front(), {}};
        throw Refusal{"refused; nothing was changed", errors};
    }
    if (command_line_) command_line_(*config);
    FileView view = view_of(*config, identity);
    std::lock_guard lock(shared_mutex_);
    file_view_ = std::move(view);
    return *config;
}

std::vector<std::string> ControlApi::reload() {
    const TranslationSnapshot before = snapshot();
    std::vector<std::string> errors;
    if (server_) server_->set_busy_with("the reload of " + config_file_);
    try {
        apply_config(read_config_file());
    } catch (const Refusal& r) {
        errors = r.errors.empty() ? std::vector<std::string>{r.message} : r.errors;
    }
    if (server_) server_->set_busy_with("");
    if (errors.empty())
        RTE_LOG(INFO, USER1, "siitd: reload of %s (SIGHUP): %s\n", config_file_.c_str(),
                describe_change(before, snapshot()).c_str());
    else
        for (const auto& e : errors) // the running version keeps working: a warning, not an error
            RTE_LOG(WARNING, USER1, "siitd: reload of %s (SIGHUP) refused: %s\n",
                    config_file_.c_str(), e.c_str());
    return errors;
}

// What the running version has that siitd's file does not: each top-level key that differs, and
// the translation's changes as the control log words them (the file's value first).
json ControlApi::config_diff(const json&) {
    // Nothing differs, as far as the file's view can tell: no need to read it again.
    if (unsaved_changes() == json(false))
        return {{"file", config_file_}, {"differences", json::array()}};
    const Config file = read_config_file();
    const Config now = running();
    const json file_json = config_to_json(file), now_json = config_to_json(now);
    json differences = json::array();
    for (const auto& key : top_level_keys()) {
        const std::string name(key.name);
        if (name != "translation" && file_json.value(name, json()) != now_json.value(name, json()))
            differences.push_back(name + ": the file has " + file_json.value(name, json()).dump() +
                                  ", siitd runs with " + now_json.value(name, json()).dump() +
                                  " (a restart would change it)");
    }
    std::vector<std::string> errors;
    const std::shared_ptr<const siit::EamTable> file_table =
        siit::EamTable::build(file.eamt, errors);
    if (!file_table) throw Refusal{config_file_ + ": translation.eamt is refused", errors};
    const std::string translation = describe_change({file.translation, file_table}, snapshot());
    if (translation != "nothing") differences.push_back("translation: " + translation);
    return {{"file", config_file_}, {"differences", differences}};
}

} // namespace siitd
