// The control socket's operations; see control_api.hpp and docs/control-api.md.
#include "control_api.hpp"

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "siit/address_query.hpp"

namespace siitd {

namespace {

using nlohmann::json;

// A refused request: one line for the operator, and one per problem when there are several.
struct Refusal {
    std::string message;
    std::vector<std::string> errors;
};

// Requests nested deeper than this are refused before parsing: nothing in the API nests beyond 4,
// and a hostile "[[[[..." must not cost recursion.
constexpr int kMaxDepth = 32;

bool too_deep(const std::string& text) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxDepth) return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

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
    for (std::size_t i = 0; i < items.size(); ++i) {
        const json& item = items[i];
        const std::string where = "entry " + std::to_string(i + 1) + ": ";
        if (!item.is_object()) {
            errors.push_back(where + "must be {\"ipv4\": PREFIX, \"ipv6\": PREFIX}");
            continue;
        }
        siit::EamtChange change;
        change.kind = kind;
        bool ok = true;
        for (const auto& [key, value] : item.items()) {
            const std::string text = value.is_string() ? value.get<std::string>() : "";
            if (key == "ipv4") {
                change.prefix4 = siit::Ipv4Prefix::parse(text);
                if (!change.prefix4) {
                    errors.push_back(where + "'" + value.dump() +
                                     "' is not an IPv4 prefix (host bits must be zero)");
                    ok = false;
                }
            } else if (key == "ipv6") {
                change.prefix6 = siit::Ipv6Prefix::parse(text);
                if (!change.prefix6) {
                    errors.push_back(where + "'" + value.dump() +
                                     "' is not an IPv6 prefix (host bits must be zero)");
                    ok = false;
                }
            } else {
                errors.push_back(where + "unknown field \"" + key + "\"");
                ok = false;
            }
        }
        if (ok) changes.push_back(change);
    }
    if (!errors.empty()) throw Refusal{"batch refused; nothing was changed", errors};
    return changes;
}

void refuse_if(const std::vector<std::string>& errors) {
    if (!errors.empty()) throw Refusal{"refused; nothing was changed", errors};
}

} // namespace

ControlApi::ControlApi(const Config& running, std::string config_file,
                       siit::TranslationState& state, const Dataplane& dataplane,
                       const ControlCounters& control)
    : running_(running), config_file_(std::move(config_file)), state_(state), dataplane_(dataplane),
      control_(control) {}

std::string ControlApi::handle(const std::string& text, uid_t uid) {
    json reply = {{"version", kControlApiVersion}};
    std::string command = "(unparsed)";
    try {
        if (too_deep(text))
            throw Refusal{"request nests deeper than " + std::to_string(kMaxDepth) + " levels", {}};
        json request;
        try {
            request = json::parse(text);
        } catch (const json::parse_error& e) {
            throw Refusal{std::string("request is not valid JSON: ") + e.what(), {}};
        }
        if (!request.is_object()) throw Refusal{"request must be a JSON object", {}};
        if (request.contains("version") && request["version"] != kControlApiVersion)
            throw Refusal{"API version " + request["version"].dump() +
                              " is not spoken here (siitd speaks version " +
                              std::to_string(kControlApiVersion) + ")",
                          {}};
        command = string_field(request, "command");
        reply["result"] = dispatch(command, request);
        reply["ok"] = true;
    } catch (const Refusal& r) {
        reply["ok"] = false;
        reply["error"] = r.message;
        if (!r.errors.empty()) reply["errors"] = r.errors;
    } catch (const std::exception& e) { // a JSON type error, or out of memory
        reply["ok"] = false;
        reply["error"] = std::string("request refused: ") + e.what();
    }
    const bool changes =
        command.find(".add") != std::string::npos || command.find(".remove") != std::string::npos ||
        command.find(".set") != std::string::npos ||
        command.find(".replace") != std::string::npos ||
        command.find(".flush") != std::string::npos || command.find(".apply") != std::string::npos;
    if (changes || !reply["ok"].get<bool>())
        RTE_LOG(INFO, USER1, "siitd: control: uid %u: %s: %s\n", static_cast<unsigned>(uid),
                command.c_str(),
                reply["ok"].get<bool>() ? "done" : reply["error"].get<std::string>().c_str());
    return reply.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<std::string> ControlApi::set_settings(siit::TranslatorConfig config,
                                                  std::optional<std::vector<siit::EamEntry>> eamt) {
    const siit::TranslatorConfig& current = state_.snapshot()->config;
    config.ipv4_mtu = current.ipv4_mtu;
    config.ipv6_mtu = current.ipv6_mtu;
    if (eamt) return state_.replace_all(config, std::move(*eamt));
    state_.set_config(config);
    return {};
}

Config ControlApi::running() const {
    Config config = running_;
    const siit::TranslationVersion* version = state_.snapshot();
    config.translation = version->config;
    config.eamt = version->eamt->entries();
    return config;
}

json ControlApi::dispatch(const std::string& command, const json& request) {
    const siit::TranslationVersion* version = state_.snapshot();
    const siit::TranslatorConfig& settings = version->config;

    if (command == "version") return {{"api", kControlApiVersion}, {"siitd", SIITD_VERSION}};

    // EAMT (RFC 7757).
    if (command == "eamt.add" || command == "eamt.remove") {
        const auto kind =
            command == "eamt.add" ? siit::EamtChange::Kind::add : siit::EamtChange::Kind::remove;
        const auto changes = parse_changes(array_field(request, "entries"), kind);
        refuse_if(state_.apply(changes));
        return {{"changed", changes.size()}, {"entries", state_.table()->entries().size()}};
    }
    if (command == "eamt.replace") {
        auto changes = parse_changes(array_field(request, "entries"), siit::EamtChange::Kind::add);
        std::vector<siit::EamEntry> entries;
        std::vector<std::string> errors;
        for (std::size_t i = 0; i < changes.size(); ++i) {
            if (!changes[i].prefix4 || !changes[i].prefix6)
                errors.push_back("entry " + std::to_string(i + 1) +
                                 ": needs both \"ipv4\" and \"ipv6\"");
            else
                entries.push_back({*changes[i].prefix4, *changes[i].prefix6});
        }
        refuse_if(errors);
        refuse_if(state_.replace(std::move(entries)));
        return {{"entries", state_.table()->entries().size()}};
    }
    if (command == "eamt.flush") {
        const std::size_t before = version->eamt->entries().size();
        state_.replace({});
        return {{"removed", before}};
    }
    if (command == "eamt.list") return eamt_list(request);
    if (command == "eamt.lookup") return eamt_lookup(request);

    // pool6 (RFC 6052).
    if (command == "pool6.get")
        return {{"pool6", settings.pool6 ? json(settings.pool6->to_string()) : json(nullptr)}};
    if (command == "pool6.set" || command == "global.set") {
        const std::string name = command == "pool6.set" ? "pool6" : string_field(request, "name");
        if (name == "eamt") throw Refusal{"the EAMT is changed with eamt.add/remove/replace", {}};
        siit::TranslatorConfig next = settings;
        std::optional<std::vector<siit::EamEntry>> ignored;
        std::vector<std::string> errors;
        const json value =
            command == "pool6.set" ? field(request, "prefix") : field(request, "value");
        overlay_translation(json{{name, value}}, "request", next, ignored, errors);
        refuse_if(errors);
        set_settings(next);
        return translation_to_json(next, nullptr)[name];
    }
    if (command == "global.get") {
        const json all = translation_to_json(settings, nullptr);
        if (!request.contains("name")) return all;
        const std::string name = string_field(request, "name");
        if (!all.contains(name))
            throw Refusal{"no setting '" + name + "' (siitctl get lists them all)", {}};
        return all[name];
    }

    // denylist4: IPv4 prefixes pool6 never translates.
    if (command == "denylist4.list") return translation_to_json(settings, nullptr)["denylist4"];
    if (command == "denylist4.flush") {
        siit::TranslatorConfig next = settings;
        next.denylist4.clear();
        set_settings(next);
        return {{"removed", settings.denylist4.size()}};
    }
    if (command == "denylist4.add" || command == "denylist4.remove") {
        const bool add = command == "denylist4.add";
        siit::TranslatorConfig next = settings;
        std::vector<std::string> errors;
        const json& items = array_field(request, "prefixes");
        for (std::size_t i = 0; i < items.size(); ++i) {
            const std::string where = "prefix " + std::to_string(i + 1) + ": ";
            const auto prefix = items[i].is_string()
                                    ? siit::Ipv4Prefix::parse(items[i].get<std::string>())
                                    : std::nullopt;
            if (!prefix) {
                errors.push_back(where + "'" + items[i].dump() + "' is not an IPv4 prefix");
                continue;
            }
            auto& list = next.denylist4;
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
        set_settings(next);
        return {{"changed", items.size()}, {"prefixes", next.denylist4.size()}};
    }

    // pool6791 (RFC 6791): one address per family.
    if (command == "pool6791.list") {
        json list = json::array();
        if (settings.pool6791v4) list.push_back(settings.pool6791v4->to_string());
        if (settings.pool6791v6) list.push_back(settings.pool6791v6->to_string());
        return list;
    }
    if (command == "pool6791.add" || command == "pool6791.remove") {
        const bool add = command == "pool6791.add";
        const std::string text = string_field(request, "address");
        siit::TranslatorConfig next = settings;
        if (const auto v4 = siit::Ipv4Address::parse(text)) {
            if (add && next.pool6791v4)
                throw Refusal{"pool6791 holds one IPv4 address, " + next.pool6791v4->to_string() +
                                  "; remove it first",
                              {}};
            if (!add && !(next.pool6791v4 && next.pool6791v4->value == v4->value))
                throw Refusal{text + " is not in pool6791", {}};
            next.pool6791v4 = add ? v4 : std::nullopt;
        } else if (const auto v6 = siit::Ipv6Address::parse(text)) {
            if (add && next.pool6791v6)
                throw Refusal{"pool6791 holds one IPv6 address, " + next.pool6791v6->to_string() +
                                  "; remove it first",
                              {}};
            if (!add && !(next.pool6791v6 && *next.pool6791v6 == *v6))
                throw Refusal{text + " is not in pool6791", {}};
            next.pool6791v6 = add ? v6 : std::nullopt;
        } else {
            throw Refusal{"'" + text + "' is not an IPv4 or IPv6 address", {}};
        }
        set_settings(next);
        return {{"changed", 1}};
    }

    if (command == "stats") return stats(request);
    // What siitd learned from the kernel (issue 6).
    if (command == "neighbours") return mirror_ ? mirror_->neighbours_json() : json::array();
    if (command == "routes") return mirror_ ? mirror_->routes_json() : json::array();
    if (command == "addresses") return mirror_ ? mirror_->addresses_json() : json::array();

    // The configuration as a whole.
    if (command == "config.show") return config_to_json(running());
    if (command == "config.apply") return config_apply(request);
    if (command == "translation.apply") {
        // Jool's atomic configuration semantics: what the object names changes, the rest stays.
        siit::TranslatorConfig next = settings;
        std::optional<std::vector<siit::EamEntry>> eamt;
        std::vector<std::string> errors;
        overlay_translation(field(request, "translation"), "translation", next, eamt, errors);
        refuse_if(errors);
        refuse_if(set_settings(next, std::move(eamt)));
        return {{"entries", state_.table()->entries().size()}};
    }
    if (command == "config.save") {
        const std::string path =
            request.contains("path") ? string_field(request, "path") : config_file_;
        const std::string temporary = path + ".tmp." + std::to_string(getpid());
        {
            std::ofstream out(temporary);
            out << config_to_json(running()).dump(2) << "\n";
            if (!out.flush())
                throw Refusal{"cannot write " + temporary + ": " + std::strerror(errno), {}};
        }
        if (std::rename(temporary.c_str(), path.c_str()) != 0) {
            std::remove(temporary.c_str());
            throw Refusal{"cannot replace " + path + ": " + std::strerror(errno), {}};
        }
        return {{"path", path}};
    }
    throw Refusal{"unknown command '" + command + "' (docs/control-api.md lists them)", {}};
}

json ControlApi::eamt_list(const json& request) {
    const siit::EamTable* table = state_.table();
    const auto& entries = table->entries();
    std::size_t offset = 0, limit = 1000;
    if (request.contains("offset")) {
        if (!request["offset"].is_number_unsigned())
            throw Refusal{"\"offset\" must be a number from 0", {}};
        offset = request["offset"].get<std::size_t>();
    }
    if (request.contains("limit")) {
        if (!request["limit"].is_number_unsigned())
            throw Refusal{"\"limit\" must be 1 to 100000", {}};
        limit = request["limit"].get<std::size_t>();
    }
    if (limit == 0 || limit > 100000) throw Refusal{"\"limit\" must be 1 to 100000", {}};
    json list = json::array();
    for (std::size_t i = offset; i < entries.size() && i < offset + limit; ++i)
        list.push_back(entry_json(entries[i]));
    return {{"total", entries.size()}, {"offset", offset}, {"entries", list}};
}

json ControlApi::eamt_lookup(const json& request) {
    const siit::TranslationVersion* version = state_.snapshot();
    const std::string text = string_field(request, "address");
    json result = {{"address", text}};
    siit::AddressQuery q;
    if (const auto v4 = siit::Ipv4Address::parse(text)) {
        q = siit::query_4to6(version->config, version->eamt.get(), *v4);
        result["translated"] = q.ipv6 ? json(q.ipv6->to_string()) : json(nullptr);
    } else if (const auto v6 = siit::Ipv6Address::parse(text)) {
        q = siit::query_6to4(version->config, version->eamt.get(), *v6);
        result["translated"] = q.ipv4 ? json(q.ipv4->to_string()) : json(nullptr);
    } else {
        throw Refusal{"'" + text + "' is not an IPv4 or IPv6 address", {}};
    }
    result["entry"] = q.entry ? entry_json(*q.entry) : json(nullptr);
    result["by"] = q.entry                           ? "eamt"
                   : !result["translated"].is_null() ? "pool6"
                   : q.denylisted                    ? "denylist4"
                                                     : "none";
    return result;
}

json ControlApi::stats(const json& request) {
    const auto totals = sum_stats(dataplane_.stats());
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
    };
    const siit::TranslationVersion* version = state_.snapshot();
    result["state"] = {
        {"version", version->serial},
        {"eamt_entries", version->eamt->entries().size()},
        {"eamt_bytes", version->eamt->memory_bytes()},
        // Whether workers prefetch this table's lookups a burst ahead.
        {"eamt_lookups_prefetched",
         eamt_lookups_prefetched(running_.eamt_prefetch, version->eamt->prefetch_worthwhile())},
        // Versions replaced but not yet freed: workers have not all passed a
        // quiescent state since. Stays small unless a worker stalls.
        {"retired_versions", state_.reclaim(false)}};
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
    if (request.value("per-worker", false)) {
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
            // The worker's cost per packet while busy: its load, whatever the offered rate.
            const auto shell = [&s](ShellCounter c) {
                return static_cast<double>(s.shell[static_cast<std::size_t>(c)]);
            };
            const double packets =
                shell(ShellCounter::rx_packets) + shell(ShellCounter::from_kernel);
            const double ns_per_packet = packets == 0
                                             ? 0
                                             : shell(ShellCounter::busy_cycles) * 1e9 /
                                                   static_cast<double>(rte_get_tsc_hz()) / packets;
            workers.push_back({{"worker", plan.index},
                               {"lcore", plan.lcore},
                               {"rx-queues", rx},
                               {"ports", per_port},
                               {"busy-ns-per-packet", ns_per_packet},
                               {"counters", nonzero}});
        }
        result["workers"] = workers;
    }
    if (request.value("reset", false)) {
        baseline_ = totals;
        result["reset"] = true;
    }
    return result;
}

json ControlApi::config_apply(const json& request) {
    const json& file = field(request, "config");
    std::vector<std::string> errors;
    const auto config = parse_config(file.dump(), "config", errors);
    refuse_if(errors);
    // Only the translation can change while siitd runs; the rest needs a restart.
    const json now = config_to_json(running_), next = config_to_json(*config);
    for (const char* key : {"eal", "ports", "burst", "mbufs", "icmp-errors-per-second",
                            "icmp-error-burst", "control"})
        if (now[key] != next[key])
            errors.push_back(std::string("config: ") + key +
                             ": differs from the running one; changing it needs a restart");
    refuse_if(errors);
    refuse_if(set_settings(config->translation, config->eamt));
    return {{"entries", state_.table()->entries().size()}};
}

} // namespace siitd
