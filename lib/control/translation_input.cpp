#include "control/translation_input.hpp"

#include "control/json_input.hpp"
#include "control/translation_settings.hpp"
#include "siit/eamt.hpp"
#include "siit/translation_rules.hpp"

namespace siit::control {

namespace {

using nlohmann::json;

// The EAMT's entries, each {"ipv4": prefix, "ipv6": prefix} and nothing else.
void read_eamt(const json& list, const std::string& path, std::vector<siit::EamEntry>& eamt,
               const ProblemSink& problem) {
    if (!list.is_array()) {
        problem(path, "must be a list of {\"ipv4\": ..., \"ipv6\": ...}");
        return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
        const json& e = list[i];
        const std::string where = path + "[" + std::to_string(i) + "]";
        if (e.is_object())
            for (const auto& [key, value] : e.items())
                if (key != "ipv4" && key != "ipv6") problem(where + "." + key, "unknown setting");
        bool complete = e.is_object();
        for (const char* family : {"ipv4", "ipv6"})
            if (complete && e.contains(family) && !e[family].is_string()) {
                problem(where + "." + family, "wrong type (expected a string)");
                complete = false;
            }
        if (!complete || !e.contains("ipv4") || !e.contains("ipv6")) {
            problem(where, "needs \"ipv4\" and \"ipv6\" prefixes");
            continue;
        }
        const std::string v4 = e["ipv4"].get<std::string>(), v6 = e["ipv6"].get<std::string>();
        const auto p4 = siit::Ipv4Prefix::parse(v4);
        const auto p6 = siit::Ipv6Prefix::parse(v6);
        if (!p4) problem(where + ".ipv4", shown_text(v4) + ": " + siit::ipv4_prefix_problem(v4));
        if (!p6) problem(where + ".ipv6", shown_text(v6) + ": " + siit::ipv6_prefix_problem(v6));
        if (p4 && p6) eamt.push_back({*p4, *p6});
    }
}

} // namespace

void read_translation(const json& given, const std::string& path, siit::TranslatorConfig& config,
                      std::optional<std::vector<siit::EamEntry>>& eamt,
                      const ProblemSink& problem) {
    if (!given.is_object()) {
        problem(path.empty() ? "translation" : path.substr(0, path.size() - 1),
                "must be an object");
        return;
    }
    // Every key is "eamt" or one of the settings table's (translation_settings.cpp).
    for (const auto& [key, value] : given.items()) {
        if (key == "eamt") {
            eamt.emplace();
            if (!value.is_null()) read_eamt(value, path + "eamt", *eamt, problem);
        } else if (const auto* setting = find_translation_setting(key)) {
            if (value.is_null())
                setting->reset(config);
            else if (const auto refusal = setting->read(value, config))
                problem(path + key, *refusal);
        } else {
            problem(path + key, "unknown setting");
        }
    }
}

std::vector<std::string> check_translation_section(const json& given, const std::string& path,
                                                   bool whole) {
    std::vector<std::string> problems;
    siit::TranslatorConfig config;
    std::optional<std::vector<siit::EamEntry>> eamt;
    read_translation(given, path, config, eamt,
                     [&](const std::string& field, const std::string& reason) {
                         problems.push_back(field + ": " + reason);
                     });
    if (!problems.empty()) return problems;
    const std::size_t entries = eamt ? eamt->size() : 0;
    if (eamt) {
        std::vector<std::string> table;
        siit::EamTable::build(std::move(*eamt), table);
        for (const auto& line : table)
            problems.push_back(path + "eamt: " + line);
    }
    if (whole)
        for (const auto& line : siit::check_translation(config, entries))
            problems.push_back(line);
    return problems;
}

} // namespace siit::control
