// The translation section of a siitd configuration (its settings and its EAMT) read from JSON by
// one set of rules (siitd's file, config.apply, translation.apply): each key the settings table's
// or "eamt", each entry exactly {"ipv4": PREFIX, "ipv6": PREFIX}. It lives beside the protocol,
// not in app/, so that siitctl can hold an importer's output to the same rules.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "siit/eam.hpp"
#include "siit/translator_config.hpp"

namespace siit::control {

// Receives one problem: the field's path (below `path`, as "eamt[3].ipv4") and the reason.
using ProblemSink = std::function<void(const std::string& field, const std::string& reason)>;

// Applies the settings in `given` on top of `config`; null puts a setting back to its default.
// When `given` has "eamt", `eamt` receives its entries. Every field's path starts with `path`
// ("translation." in a file, "" on the socket).
void read_translation(const nlohmann::json& given, const std::string& path,
                      siit::TranslatorConfig& config,
                      std::optional<std::vector<siit::EamEntry>>& eamt, const ProblemSink& problem);

// What siitd would refuse in `given` as a whole translation section (the "translation" of a file
// siitd starts from): its fields by read_translation's rules, its EAMT as a table (RFC 7757 §3.2,
// EamTable::build), and the rules of every version (check_translation). With `whole` false,
// `given` is a change on top of settings not known here (translation.apply of only some keys):
// only its fields and its EAMT are checked. One "FIELD: REASON" line each; empty when siitd
// takes it. siitctl holds an importer's output to this before it writes or prints it.
std::vector<std::string> check_translation_section(const nlohmann::json& given,
                                                   const std::string& path, bool whole);

} // namespace siit::control
