// libFuzzer target: siitctl's TAYGA importer (ctl/tayga_import.cpp). Any text is refused with
// reasons or becomes a translation object; whatever it becomes, siitd's own parser must be able
// to judge it without crashing.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "config/config_file.hpp"
#include "tayga_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> warnings, errors;
    const nlohmann::json translation = siitctl::tayga_to_translation(text, warnings, errors);
    if (!translation.is_object()) std::abort();
    if (!errors.empty()) return 0;
    siit::TranslatorConfig config;
    std::optional<std::vector<siit::EamEntry>> eamt;
    siitd::overlay_translation(translation, "translation", config, eamt, errors);
    return 0;
}
