// libFuzzer target: the EAMT file formats `siitctl eamt replace` reads (ctl/eamt_file.cpp). Any
// text is refused with a reason (siitctl::UsageError) or becomes a non-empty list, which siitd
// then judges entry by entry.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "eamt_file.hpp"
#include "input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const nlohmann::json entries = siitctl::parse_eamt_file(text, "fuzz.txt");
        if (!entries.is_array() || entries.empty()) std::abort();
    } catch (const siitctl::UsageError&) {
    }
    return 0;
}
