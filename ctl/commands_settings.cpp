// siitctl's settings commands: pool6 (RFC 6052), denylist4, pool6791 (RFC 6791), and get, set
// and unset for every translation setting.
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "control/json_input.hpp"
#include "control/translation_settings.hpp"
#include "input_file.hpp"
#include "suggest.hpp"

namespace siitctl {

namespace {

using nlohmann::json;

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

// `name` as a setting of the settings table, or a UsageError naming the nearest one.
const siit::control::TranslationSetting& known_setting(const std::string& name) {
    if (const auto* setting = siit::control::find_translation_setting(name)) return *setting;
    std::vector<std::string> names;
    for (const auto& setting : siit::control::translation_settings())
        names.emplace_back(setting.name);
    const std::string near = closest_word(name, names);
    throw UsageError("unknown setting '" + name + "'" +
                     (near.empty() ? "" : "; did you mean '" + near + "'?") +
                     " (siitctl get lists every setting)");
}

// An action that prints the list `command` answers with, one item a line.
std::function<int()> list_action(const Options& o, protocol::Command command) {
    return [&o, command] {
        return request(o, protocol::make_request(command), [](const json& r) {
            if (r.empty()) std::cout << "(empty)\n";
            for (const auto& item : r)
                std::cout << item.get<std::string>() << "\n";
        });
    };
}

} // namespace

void add_setting_commands(Cli& cli) {
    CLI::App& app = cli.app;
    const Options& o = cli.options;
    struct Arguments {
        std::string prefix, address, name, value;
        std::vector<std::string> prefixes;
    };
    auto& arguments = cli.keep<Arguments>();
    std::string &prefix = arguments.prefix, &address = arguments.address, &name = arguments.name,
                &value = arguments.value;
    std::vector<std::string>& prefixes = arguments.prefixes;

    // pool6
    auto* pool6 = app.add_subcommand("pool6", "the RFC 6052 prefix (pool6)");
    pool6->require_subcommand(1);
    cli.on(pool6->add_subcommand("get", "print pool6"), [&o] {
        return request(o, protocol::make_request(protocol::Command::pool6_get),
                       [](const json& r) { std::cout << show(r["pool6"]) << "\n"; });
    });
    auto* pool6_set = pool6->add_subcommand("set", "set pool6 (length 32, 40, 48, 56, 64 or 96)");
    pool6_set->add_option("PREFIX", prefix, "e.g. 64:ff9b::/96")->required();
    cli.on(pool6_set, [&] {
        return cli.simple(protocol::Command::pool6_set, {{protocol::field::prefix, prefix}})();
    });
    cli.on(pool6->add_subcommand("unset", "remove pool6 (only the EAMT translates)"),
           cli.simple(protocol::Command::pool6_set, {{protocol::field::prefix, nullptr}}));

    // denylist4
    auto* deny = app.add_subcommand("denylist4", "IPv4 prefixes pool6 never translates");
    deny->require_subcommand(1);
    cli.on(deny->add_subcommand("list", "print denylist4"),
           list_action(o, protocol::Command::denylist4_list));
    auto* deny_add = deny->add_subcommand("add", "add IPv4 prefixes (all or none)");
    deny_add->add_option("PREFIX", prefixes, "e.g. 192.0.2.0/24")->required();
    cli.on(deny_add, [&] {
        return cli.simple(protocol::Command::denylist4_add,
                          {{protocol::field::prefixes, prefixes}})();
    });
    auto* deny_remove = deny->add_subcommand("remove", "remove IPv4 prefixes (all or none)");
    deny_remove->add_option("PREFIX", prefixes, "as listed")->required();
    cli.on(deny_remove, [&] {
        return cli.simple(protocol::Command::denylist4_remove,
                          {{protocol::field::prefixes, prefixes}})();
    });
    cli.on(deny->add_subcommand("flush", "empty denylist4"),
           cli.simple(protocol::Command::denylist4_flush));

    // pool6791
    auto* p6791 = app.add_subcommand(
        "pool6791", "RFC 6791 addresses: the source of translated ICMP errors whose source has no "
                    "form in the other family (one IPv4 and one IPv6 address)");
    p6791->require_subcommand(1);
    cli.on(p6791->add_subcommand("list", "print the addresses"),
           list_action(o, protocol::Command::pool6791_list));
    auto* p6791_add = p6791->add_subcommand("add", "set the address of ADDRESS's family");
    p6791_add->add_option("ADDRESS", address, "an IPv4 or IPv6 address")->required();
    cli.on(p6791_add, [&] {
        return cli.simple(protocol::Command::pool6791_add, {{protocol::field::address, address}})();
    });
    auto* p6791_remove = p6791->add_subcommand("remove", "unset ADDRESS");
    p6791_remove->add_option("ADDRESS", address, "as listed")->required();
    cli.on(p6791_remove, [&] {
        return cli.simple(protocol::Command::pool6791_remove,
                          {{protocol::field::address, address}})();
    });

    // global settings: their names, and what each takes, from the settings table
    std::vector<std::string> names;
    std::string described;
    for (const auto& setting : siit::control::translation_settings()) {
        names.emplace_back(setting.name);
        described += "\n  " + std::string(setting.name) + ": " + std::string(setting.values);
    }
    auto* get = app.add_subcommand("get", "print every translation setting, or NAME's");
    get->add_option("NAME", name, "a setting (docs/siitd.conf.md):" + described);
    cli.on(get, [&] {
        json req = protocol::make_request(protocol::Command::global_get);
        if (!name.empty()) req[protocol::field::name] = std::string(known_setting(name).name);
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
    set->add_option("NAME", name, "a setting (docs/siitd.conf.md):" + described)->required();
    set->add_option("VALUE", value,
                    "true/false, a number, an address, a prefix, or a comma-separated list")
        ->required();
    cli.on(set, [&] {
        const auto& setting = known_setting(name);
        const int status =
            request(o,
                    protocol::make_request(protocol::Command::global_set,
                                           {{protocol::field::name, name},
                                            {protocol::field::value, setting_value(value)}}),
                    [&](const json& r) { std::cout << name << " " << show(r) << "\n"; });
        // A refused value: what the setting takes, from the same table siitd reads it by.
        if (status == kExitRefused && !o.json_output)
            std::cerr << "siitctl: " << name << " takes " << setting.values << "\n";
        return status;
    });
    auto* unset = app.add_subcommand("unset", "put one translation setting back to its default");
    unset->add_option("NAME", name, "a setting, as for set")->required();
    for (const CLI::App* command : {get, set, unset})
        cli.completion_words[command] = names;
    cli.on(unset, [&] {
        known_setting(name);
        return request(o,
                       protocol::make_request(
                           protocol::Command::global_set,
                           {{protocol::field::name, name}, {protocol::field::value, nullptr}}),
                       [&](const json& r) { std::cout << name << " " << show(r) << "\n"; });
    });
}

} // namespace siitctl
