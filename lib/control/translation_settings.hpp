// The translation settings, each declared once (Jool's globals_metadata[] is the model): its name,
// the values it takes, its default, one line of documentation, Jool's name for it, and how it is
// read from JSON, written back and reset. siitd's configuration parser and writer, config.apply,
// `global.get`/`global.set` (siitctl get/set/unset and their completion), siitctl import-jool
// and the settings tables of the README and docs/siitd.conf.md all follow this one table; a unit
// test checks the two documents against it. None of these settings needs a restart: every one
// is applied live, as one atomic change (the top-level keys that do need one:
// app/config/config_file.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "siit/translator_config.hpp"

namespace siit::control {

struct TranslationSetting {
    std::string_view name;    // the key under "translation", and siitctl's NAME
    std::string_view values;  // what it takes, as people read it
    std::string_view meaning; // one line of documentation
    std::string_view jool;    // Jool's global of the same meaning ("" where Jool has none)
    // Reads `value` (never null) into `config`; the reason it is refused, when it is.
    std::optional<std::string> (*read)(const nlohmann::json& value, TranslatorConfig& config);
    // The setting's value in `config`; null when unset.
    nlohmann::json (*write)(const TranslatorConfig& config);
    // Puts the setting back to its default.
    void (*reset)(TranslatorConfig& config);
};

// Every translation setting, in the order the documentation lists them.
std::span<const TranslationSetting> translation_settings();
const TranslationSetting* find_translation_setting(std::string_view name);
const TranslationSetting* find_translation_setting_by_jool_name(std::string_view jool);
// The default as the documentation shows it: the JSON of an untouched configuration, or "unset".
std::string default_text(const TranslationSetting& setting);

} // namespace siit::control
