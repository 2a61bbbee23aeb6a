// libFuzzer target: siitctl's Jool importer (ctl/jool_import.cpp) behind the strict JSON reader
// siitctl reads every file with. Any file is refused with reasons or becomes a translation object;
// whatever it becomes, siitd's own parser must be able to judge it without crashing.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "config/config_file.hpp"
#include "control/json_input.hpp"
#include "control/translation_input.hpp"
#include "jool_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto input = siit::control::parse_json_input(text, siit::control::kMaxJsonDepth,
                                                 siitctl::kJoolCommentKey);
    if (!input.value) return 0;
    std::vector<std::string> warnings, errors;
    const nlohmann::json translation = siitctl::jool_to_translation(*input.value, warnings, errors);
    if (!errors.empty()) return 0;
    siit::TranslatorConfig config;
    std::optional<std::vector<siit::EamEntry>> eamt;
    siitd::overlay_translation(translation, "translation", config, eamt, errors);
    siit::control::check_translation_section(translation, "translation.", true);
    return 0;
}
