// siitctl: the operator's CLI for a running siitd, over its control socket (docs/siitctl.md).
// Exit status: 0 done, 1 siitd refused the request (nothing changed), 2 bad command line or input
// file, 3 siitd unreachable (not running, no permission, no answer in time).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "client.hpp"
#include "control/json_input.hpp"
#include "eamt_file.hpp"
#include "input_file.hpp"
#include "jool_import.hpp"
#include "tayga_import.hpp"

namespace {

using nlohmann::json;

constexpr int kExitRefused = 1, kExitUsage = 2, kExitUnreachable = 3;

struct Options {
    std::string socket = "/run/siitd/siitd.sock";
    bool json_output = false;
    int timeout_ms = 30000;
};

using siitctl::UsageError;

// The most siitd ever accepts in one request (control.max-message-bytes' upper bound): the bound
// on files read when no siitd is asked (a dry run).
constexpr std::size_t kLargestRequest = std::size_t{1} << 30;

// What this siitd accepts in one request, so that a file is never read beyond it.
std::size_t request_limit(const Options& o) {
    const json reply = siitctl::call(o.socket, {{"command", "version"}}, o.timeout_ms);
    const json result = reply.value("result", json::object());
    return result.is_object() && result.contains("max-message-bytes") &&
                   result["max-message-bytes"].is_number_unsigned()
               ? result["max-message-bytes"].get<std::size_t>()
               : std::size_t{64} << 20; // siitd's default
}

// "2001:db8::1" is IPv6, "192.0.2.1/24" IPv4.
bool looks_ipv6(const std::string& text) {
    return text.find(':') != std::string::npos;
}

// A setting's value as typed on the command line: JSON where it parses (true, 1280, [1,2],
// null), a comma-separated list of numbers, or else the string itself.
json setting_value(const std::string& text) {
    if (auto input = siit::control::parse_json_input(text); input.value) return *input.value;
    if (text.find(',') != std::string::npos) {
        json list = json::array();
        std::istringstream items(text);
        std::string item;
        while (std::getline(items, item, ','))
            try {
                list.push_back(std::stoll(item));
            } catch (const std::exception&) {
                list.push_back(item);
            }
        return list;
    }
    return text;
}

std::string show(const json& value) {
    return value.is_string() ? value.get<std::string>()
           : value.is_null() ? "(unset)"
                             : value.dump();
}

void print_table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths.resize(std::max(widths.size(), row.size()));
            widths[i] = std::max(widths[i], row[i].size());
        }
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i)
            std::cout << (i ? "  " : "")
                      << (i + 1 < row.size()
                              ? std::string(row[i]).append(widths[i] - row[i].size(), ' ')
                              : row[i]);
        std::cout << "\n";
    }
}

// Sends one request; prints the result (JSON with --json, else through `human`) or the refusal.
int request(const Options& o, const json& req, const std::function<void(const json&)>& human) {
    const json reply = siitctl::call(o.socket, req, o.timeout_ms);
    if (!reply.value("ok", false)) {
        if (o.json_output) {
            std::cout << reply.dump(2) << "\n";
        } else {
            std::cerr << "siitctl: siitd refused: " << reply.value("error", "(no reason given)")
                      << "\n";
            if (reply.contains("errors"))
                for (const auto& e : reply["errors"])
                    std::cerr << "  " << e.get<std::string>() << "\n";
        }
        return kExitRefused;
    }
    const json& result = reply.contains("result") ? reply["result"] : json();
    if (o.json_output)
        std::cout << result.dump(2) << "\n";
    else
        human(result);
    return 0;
}

void print_entries(const json& entries) {
    std::vector<std::vector<std::string>> rows{{"IPv4 prefix", "IPv6 prefix"}};
    for (const auto& e : entries)
        rows.push_back({e["ipv4"].get<std::string>(), e["ipv6"].get<std::string>()});
    print_table(rows);
}

void print_lookup(const json& r) {
    std::cout << r["address"].get<std::string>() << " -> "
              << (r["translated"].is_null() ? "(not translatable)"
                                            : r["translated"].get<std::string>());
    const std::string by = r["by"].get<std::string>();
    if (by == "eamt")
        std::cout << "  by EAMT entry " << r["entry"]["ipv4"].get<std::string>() << " "
                  << r["entry"]["ipv6"].get<std::string>();
    else if (by == "pool6")
        std::cout << "  by pool6";
    else if (by == "denylist4")
        std::cout << "  (denylist4 keeps it from pool6)";
    else
        std::cout << "  (no EAMT entry, and not under pool6)";
    std::cout << "\n";
}

// Bash completion generated from the command tree itself, so it cannot drift from it.
void print_bash_completion(const CLI::App& app) {
    std::cout << "# bash completion for siitctl; generated by `siitctl completion bash`\n"
                 "_siitctl() {\n"
                 "  local cur=${COMP_WORDS[COMP_CWORD]} path=\"\" w\n"
                 "  for w in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do\n"
                 "    case $w in -*) ;; *) path=\"$path $w\" ;; esac\n"
                 "  done\n"
                 "  case \"${path# }\" in\n";
    std::function<void(const CLI::App&, const std::string&)> walk = [&](const CLI::App& a,
                                                                        const std::string& path) {
        std::string words;
        for (const CLI::App* sub : a.get_subcommands([](const CLI::App*) { return true; }))
            words += sub->get_name() + " ";
        for (const CLI::Option* opt : a.get_options())
            for (const auto& l : opt->get_lnames())
                words += "--" + l + " ";
        std::cout << "    \"" << path << "\") COMPREPLY=($(compgen -W \"" << words
                  << "\" -- \"$cur\")) ;;\n";
        for (const CLI::App* sub : a.get_subcommands([](const CLI::App*) { return true; }))
            walk(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name());
    };
    walk(app, "");
    std::cout << "    *) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
                 "  esac\n"
                 "}\n"
                 "complete -F _siitctl siitctl\n";
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"siitctl: change and inspect a running siitd (stateless IPv4/IPv6 translator) "
                 "through its control socket.\n"
                 "Every change is atomic: a batch with one bad item is refused whole, with each "
                 "bad item named, and the running table stays as it was.",
                 "siitctl"};
    app.footer("Exit status: 0 done; 1 siitd refused the request (nothing changed); 2 bad command "
               "line or input file; 3 siitd unreachable (not running, no permission, no answer).\n"
               "Environment: SIITCTL_SOCKET sets the default socket path.\n"
               "Documentation: docs/siitctl.md, docs/control-api.md.");
    app.require_subcommand(1);
    Options o;
    app.add_option("-s,--socket", o.socket, "siitd's control socket")
        ->envname("SIITCTL_SOCKET")
        ->capture_default_str();
    app.add_flag("-j,--json", o.json_output, "print siitd's reply as JSON, for scripts");
    app.add_option("-t,--timeout", o.timeout_ms, "milliseconds to wait for siitd's answer")
        ->check(CLI::Range(1, 3600000))
        ->capture_default_str();
    std::function<int()> action;
    auto on = [&](CLI::App* sub, std::function<int()> f) {
        sub->callback([&action, f] { action = f; });
    };
    auto simple = [&](const std::string& command, json extra = json::object()) {
        return [&o, command, extra] {
            json req = extra;
            req["command"] = command;
            return request(o, req, [](const json& r) {
                if (r.is_object() && r.contains("changed"))
                    std::cout << "done: " << r["changed"].dump() << " changed\n";
                else
                    std::cout << show(r) << "\n";
            });
        };
    };

    // eamt
    auto* eamt = app.add_subcommand("eamt", "the Explicit Address Mapping Table (RFC 7757)");
    eamt->require_subcommand(1);
    std::string v4, v6, address, file;
    std::size_t offset = 0, limit = 0;
    auto* eamt_add = eamt->add_subcommand(
        "add", "map IPV4-PREFIX and IPV6-PREFIX to each other (equal host bits: suffix lengths "
               "must match, RFC 7757 §3.2)");
    eamt_add->add_option("IPV4-PREFIX", v4, "e.g. 192.0.2.0/24 (a bare address is a /32)")
        ->required();
    eamt_add->add_option("IPV6-PREFIX", v6, "e.g. 2001:db8:1::/120 (a bare address is a /128)")
        ->required();
    on(eamt_add, [&] {
        return request(o, {{"command", "eamt.add"}, {"entries", {{{"ipv4", v4}, {"ipv6", v6}}}}},
                       [](const json& r) {
                           std::cout << "added; the EAMT has " << r["entries"] << " entries\n";
                       });
    });
    auto* eamt_remove = eamt->add_subcommand(
        "remove", "remove the entry with this IPv4 or IPv6 prefix (or exactly this pair)");
    eamt_remove->add_option("PREFIX", v4, "the entry's IPv4 or IPv6 prefix")->required();
    eamt_remove->add_option("IPV6-PREFIX", v6, "with an IPv4 prefix first: remove only this pair");
    on(eamt_remove, [&] {
        json e = json::object();
        e[looks_ipv6(v4) ? "ipv6" : "ipv4"] = v4;
        if (!v6.empty()) e["ipv6"] = v6;
        return request(o, {{"command", "eamt.remove"}, {"entries", {e}}}, [](const json& r) {
            std::cout << "removed; the EAMT has " << r["entries"] << " entries\n";
        });
    });
    auto* eamt_list = eamt->add_subcommand("list", "print the entries (all of them, page by page)");
    eamt_list->add_option("--offset", offset, "start at this entry (0 is the first)");
    eamt_list->add_option("--limit", limit, "print at most this many (default: all)");
    on(eamt_list, [&] {
        json all = json::array();
        std::size_t at = offset, total = 0;
        do { // pages of up to 10000: siitd never builds one huge reply
            const std::size_t page =
                limit ? std::min<std::size_t>(10000, offset + limit - at) : 10000;
            json result;
            Options quiet = o;
            quiet.json_output = false;
            const int rc =
                request(quiet, {{"command", "eamt.list"}, {"offset", at}, {"limit", page}},
                        [&](const json& r) { result = r; });
            if (rc != 0) return rc;
            total = result["total"].get<std::size_t>();
            for (const auto& e : result["entries"])
                all.push_back(e);
            at += result["entries"].size();
            if (result["entries"].empty()) break;
        } while (at < total && (!limit || at < offset + limit));
        if (o.json_output)
            std::cout << json{{"total", total}, {"offset", offset}, {"entries", all}}.dump(2)
                      << "\n";
        else {
            print_entries(all);
            std::cout << "(" << all.size() << " of " << total << " entries)\n";
        }
        return 0;
    });
    on(eamt->add_subcommand("flush", "remove every entry"), [&] {
        return request(o, {{"command", "eamt.flush"}}, [](const json& r) {
            std::cout << "flushed " << r["removed"] << " entries\n";
        });
    });
    auto* eamt_replace = eamt->add_subcommand(
        "replace", "replace the whole table with FILE's, atomically (all or nothing)");
    eamt_replace
        ->add_option("FILE", file,
                     "JSON list of {\"ipv4\": P, \"ipv6\": P}, a siitd configuration "
                     "file, or lines 'IPV4-PREFIX IPV6-PREFIX' ('-': standard input)")
        ->required();
    on(eamt_replace, [&] {
        return request(o,
                       {{"command", "eamt.replace"},
                        {"entries", siitctl::parse_eamt_file(
                                        siitctl::read_input_file(file, request_limit(o)), file)}},
                       [](const json& r) {
                           std::cout << "replaced; the EAMT has " << r["entries"] << " entries\n";
                       });
    });
    auto lookup_action = [&] {
        return request(o, {{"command", "eamt.lookup"}, {"address", address}}, print_lookup);
    };
    auto* eamt_lookup =
        eamt->add_subcommand("lookup", "what ADDRESS translates to, and by which entry (or pool6)");
    eamt_lookup->add_option("ADDRESS", address, "an IPv4 or IPv6 address")->required();
    on(eamt_lookup, lookup_action);
    auto* lookup = app.add_subcommand("lookup", "the same as `eamt lookup`");
    lookup->add_option("ADDRESS", address, "an IPv4 or IPv6 address")->required();
    on(lookup, lookup_action);

    // pool6
    auto* pool6 = app.add_subcommand("pool6", "the RFC 6052 prefix (pool6)");
    pool6->require_subcommand(1);
    on(pool6->add_subcommand("get", "print pool6"), simple("pool6.get"));
    std::string prefix;
    auto* pool6_set = pool6->add_subcommand("set", "set pool6 (length 32, 40, 48, 56, 64 or 96)");
    pool6_set->add_option("PREFIX", prefix, "e.g. 64:ff9b::/96")->required();
    on(pool6_set, [&] { return simple("pool6.set", {{"prefix", prefix}})(); });
    on(pool6->add_subcommand("unset", "remove pool6 (only the EAMT translates)"),
       simple("pool6.set", {{"prefix", nullptr}}));

    // denylist4
    auto* deny = app.add_subcommand("denylist4", "IPv4 prefixes pool6 never translates");
    deny->require_subcommand(1);
    std::vector<std::string> prefixes;
    on(deny->add_subcommand("list", "print denylist4"), [&] {
        return request(o, {{"command", "denylist4.list"}}, [](const json& r) {
            for (const auto& p : r)
                std::cout << p.get<std::string>() << "\n";
        });
    });
    auto* deny_add = deny->add_subcommand("add", "add IPv4 prefixes (all or none)");
    deny_add->add_option("PREFIX", prefixes, "e.g. 192.0.2.0/24")->required();
    on(deny_add, [&] { return simple("denylist4.add", {{"prefixes", prefixes}})(); });
    auto* deny_remove = deny->add_subcommand("remove", "remove IPv4 prefixes (all or none)");
    deny_remove->add_option("PREFIX", prefixes, "as listed")->required();
    on(deny_remove, [&] { return simple("denylist4.remove", {{"prefixes", prefixes}})(); });
    on(deny->add_subcommand("flush", "empty denylist4"), simple("denylist4.flush"));

    // pool6791
    auto* p6791 = app.add_subcommand(
        "pool6791", "RFC 6791 addresses: the source of translated ICMP errors whose source has no "
                    "form in the other family (one IPv4 and one IPv6 address)");
    p6791->require_subcommand(1);
    on(p6791->add_subcommand("list", "print the addresses"), [&] {
        return request(o, {{"command", "pool6791.list"}}, [](const json& r) {
            for (const auto& p : r)
                std::cout << p.get<std::string>() << "\n";
        });
    });
    auto* p6791_add = p6791->add_subcommand("add", "set the address of ADDRESS's family");
    p6791_add->add_option("ADDRESS", address, "an IPv4 or IPv6 address")->required();
    on(p6791_add, [&] { return simple("pool6791.add", {{"address", address}})(); });
    auto* p6791_remove = p6791->add_subcommand("remove", "unset ADDRESS");
    p6791_remove->add_option("ADDRESS", address, "as listed")->required();
    on(p6791_remove, [&] { return simple("pool6791.remove", {{"address", address}})(); });

    // global settings
    std::string name, value;
    auto* get = app.add_subcommand("get", "print every translation setting, or NAME's");
    get->add_option("NAME", name, "e.g. lowest-ipv6-mtu (see docs/siitd.conf.md)");
    on(get, [&] {
        json req = {{"command", "global.get"}};
        if (!name.empty()) req["name"] = name;
        return request(o, req, [&](const json& r) {
            if (!name.empty()) {
                std::cout << show(r) << "\n";
                return;
            }
            std::vector<std::vector<std::string>> rows;
            for (const auto& [k, v] : r.items())
                rows.push_back({k, show(v)});
            print_table(rows);
        });
    });
    auto* set = app.add_subcommand("set", "change one translation setting");
    set->add_option("NAME", name, "e.g. lowest-ipv6-mtu, eam-hairpin-mode, mtu-plateaus")
        ->required();
    set->add_option("VALUE", value,
                    "true/false, a number, an address, a prefix, or a comma-separated list")
        ->required();
    on(set, [&] {
        return request(o,
                       {{"command", "global.set"}, {"name", name}, {"value", setting_value(value)}},
                       [&](const json& r) { std::cout << name << " " << show(r) << "\n"; });
    });
    auto* unset = app.add_subcommand("unset", "put one translation setting back to its default");
    unset->add_option("NAME", name, "e.g. own-ipv6")->required();
    on(unset, [&] {
        return request(o, {{"command", "global.set"}, {"name", name}, {"value", nullptr}},
                       [&](const json& r) { std::cout << name << " " << show(r) << "\n"; });
    });

    // counters
    bool reset = false, per_worker = false, all = false, explain = false;
    auto* stats =
        app.add_subcommand("stats", "print the counters (non-zero ones; --all for every one)");
    stats->add_flag("--reset", reset,
                    "start counting from zero after this read (siitctl's view only: DPDK "
                    "telemetry and --stats-json keep the totals since start)");
    stats->add_flag("--per-worker", per_worker, "also each worker's queues and counters");
    stats->add_flag("-a,--all", all, "include counters that are zero");
    stats->add_flag("-e,--explain", explain, "say what each counter counts");
    on(stats, [&] {
        return request(
            o,
            {{"command", "stats"},
             {"reset", reset},
             {"per-worker", per_worker},
             {"explain", explain}},
            [&](const json& r) {
                std::vector<std::vector<std::string>> rows;
                for (const auto& [k, v] : r["counters"].items())
                    if (all || v.get<std::uint64_t>() != 0)
                        rows.push_back(explain ? std::vector<std::string>{k, v.dump(),
                                                                          r["descriptions"].value(
                                                                              k, std::string())}
                                               : std::vector<std::string>{k, v.dump()});
                for (const auto& [k, v] : r["control"].items())
                    if (all || v.get<std::uint64_t>() != 0)
                        rows.push_back({"control." + k, v.dump()});
                if (r.contains("ports"))
                    for (const auto& [port, fields] : r["ports"].items())
                        for (const auto& [k, v] : fields.items())
                            if (all || v.get<std::uint64_t>() != 0)
                                rows.push_back({"port." + port + "." + k, v.dump()});
                for (const auto& [k, v] : r["state"].items())
                    rows.push_back({"state." + k, v.dump()});
                if (r.contains("mbufs"))
                    for (const auto& [k, v] : r["mbufs"].items())
                        rows.push_back({"mbufs." + k, v.dump()});
                print_table(rows);
                if (r.contains("workers"))
                    for (const auto& w : r["workers"])
                        std::cout << "worker " << w["worker"] << " (lcore " << w["lcore"] << ", "
                                  << w["rx-queues"].dump() << "): " << w["ports"].dump() << " "
                                  << w.value("busy-ns-per-packet", 0.0) << " ns/packet busy "
                                  << w["counters"].dump() << "\n";
            });
    });

    // the configuration as a whole
    auto* config = app.add_subcommand("config", "the running configuration as a whole");
    config->require_subcommand(1);
    on(config->add_subcommand("show", "print the running configuration (a file siitd starts from)"),
       [&] {
           return request(o, {{"command", "config.show"}},
                          [](const json& r) { std::cout << r.dump(2) << "\n"; });
       });
    auto* config_apply = config->add_subcommand(
        "apply", "make FILE's translation settings and EAMT the running ones, in one atomic step "
                 "(ports and EAL options need a restart)");
    config_apply->add_option("FILE", file, "a siitd configuration file")->required();
    on(config_apply, [&] {
        return request(o,
                       {{"command", "config.apply"},
                        {"config", siitctl::read_json_file(file, request_limit(o))}},
                       [](const json& r) {
                           std::cout << "applied; the EAMT has " << r["entries"] << " entries\n";
                       });
    });
    auto* config_save = config->add_subcommand(
        "save", "write the running configuration where siitd --config reads it (or to FILE, as "
                "seen by siitd)");
    config_save->add_option("FILE", file, "path on siitd's machine");
    on(config_save, [&] {
        json req = {{"command", "config.save"}};
        if (!file.empty()) req["path"] = file;
        return request(o, req, [](const json& r) {
            std::cout << "saved to " << r["path"].get<std::string>() << "\n";
        });
    });

    // Moving over from Jool or TAYGA: their file becomes one translation.apply, all or nothing.
    bool dry_run = false;
    using Importer = std::function<json(const std::string& text, std::vector<std::string>& warnings,
                                        std::vector<std::string>& errors)>;
    auto import_file = [&](const Importer& importer) {
        std::vector<std::string> warnings, errors;
        const json translation =
            importer(siitctl::read_input_file(file, dry_run ? kLargestRequest : request_limit(o)),
                     warnings, errors);
        for (const auto& w : warnings)
            std::cerr << "siitctl: " << file << ": " << w << "\n";
        if (!errors.empty()) {
            for (const auto& e : errors)
                std::cerr << "siitctl: " << file << ": " << e << "\n";
            return kExitUsage;
        }
        if (dry_run) {
            std::cout << json{{"translation", translation}}.dump(2) << "\n";
            return 0;
        }
        return request(o, {{"command", "translation.apply"}, {"translation", translation}},
                       [](const json& r) {
                           std::cout << "imported; the EAMT has " << r["entries"] << " entries\n";
                       });
    };
    auto* import = app.add_subcommand(
        "import-jool", "apply a Jool SIIT atomic configuration (jool_siit file handle FILE): "
                       "pool6, eamt, denylist4, pool6791 and the shared globals, all or nothing; "
                       "what it leaves out stays as it is");
    import->add_option("FILE", file, "Jool's JSON file ('-': standard input)")->required();
    import->add_flag("-n,--dry-run", dry_run,
                     "print the siitd settings it becomes; change nothing");
    on(import, [&] {
        return import_file([&](const std::string& text, std::vector<std::string>& warnings,
                               std::vector<std::string>& errors) {
            return siitctl::jool_to_translation(siitctl::parse_json_text(text, file), warnings,
                                                errors);
        });
    });
    auto* import_tayga = app.add_subcommand(
        "import-tayga", "apply a TAYGA configuration (tayga.conf): prefix becomes pool6, "
                        "ipv4-addr and ipv6-addr siitd's own addresses, and the map lines the "
                        "whole EAMT, all or nothing; dynamic-pool is refused (siitd is stateless)");
    import_tayga->add_option("FILE", file, "tayga.conf ('-': standard input)")->required();
    import_tayga->add_flag("-n,--dry-run", dry_run,
                           "print the siitd settings it becomes; change nothing");
    on(import_tayga, [&] { return import_file(siitctl::tayga_to_translation); });

    // What siitd learned from the kernel (ports with a kernel interface).
    on(app.add_subcommand("neighbours", "the kernel's neighbours on siitd's kernel interfaces; "
                                        "next hops marked"),
       [&] {
           return request(o, {{"command", "neighbours"}}, [](const json& r) {
               std::vector<std::vector<std::string>> rows{
                   {"interface", "address", "MAC", "state", "next hop"}};
               for (const auto& n : r)
                   rows.push_back({n["interface"].get<std::string>(),
                                   n["address"].get<std::string>(), n["mac"].get<std::string>(),
                                   n["state"].get<std::string>(),
                                   n["next-hop"].get<bool>() ? "yes" : ""});
               print_table(rows);
           });
       });
    on(app.add_subcommand("routes", "the kernel's routes through siitd's kernel interfaces"), [&] {
        return request(o, {{"command", "routes"}}, [](const json& r) {
            std::vector<std::vector<std::string>> rows{{"destination", "gateway", "interface"}};
            for (const auto& n : r)
                rows.push_back({n["destination"].get<std::string>(), show(n["gateway"]),
                                n["interface"].get<std::string>()});
            print_table(rows);
        });
    });

    on(app.add_subcommand("addresses", "the box's own addresses: what siitd hands to the kernel "
                                       "instead of translating"),
       [&] {
           return request(o, {{"command", "addresses"}}, [](const json& r) {
               for (const auto& a : r)
                   std::cout << a.get<std::string>() << "\n";
           });
       });

    on(app.add_subcommand("version", "print siitd's and the API's versions"), [&] {
        return request(o, {{"command", "version"}}, [](const json& r) {
            std::cout << "siitd " << r["siitd"].get<std::string>() << " (control API " << r["api"]
                      << ")\n";
        });
    });
    auto* completion = app.add_subcommand("completion", "print a bash completion script "
                                                        "(siitctl completion bash > "
                                                        "/etc/bash_completion.d/siitctl)");
    std::string shell;
    completion->add_option("SHELL", shell, "bash")->check(CLI::IsMember({"bash"}))->required();
    on(completion, [&] {
        print_bash_completion(app);
        return 0;
    });

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : kExitUsage;
    }
    try {
        return action();
    } catch (const siitctl::Unreachable& e) {
        std::cerr << "siitctl: " << e.what() << "\n";
        return kExitUnreachable;
    } catch (const UsageError& e) {
        std::cerr << "siitctl: " << e.what() << "\n";
        return kExitUsage;
    } catch (const json::exception& e) {
        std::cerr << "siitctl: unexpected reply from siitd: " << e.what() << "\n";
        return kExitUnreachable;
    }
}
