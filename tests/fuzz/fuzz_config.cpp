// libFuzzer target: siitd's configuration file parser (app/config/config_file.cpp), the one that
// reads the file at start, `--check-config` and `config.apply`. Any text must be refused with
// reasons or accepted; an accepted one must survive its own round trip: config_to_json reads back
// to the same file.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/config_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> errors;
    const auto config = siitd::parse_config(text, "fuzz.json", errors);
    if (!config) {
        if (errors.empty()) std::abort(); // a refusal always says why
        return 0;
    }
    const nlohmann::json shown = siitd::config_to_json(*config);
    const auto again = siitd::parse_config(shown.dump(), "shown.json", errors);
    if (!again || siitd::config_to_json(*again) != shown) std::abort();
    return 0;
}
