// Careful reading of input files; see input_file.hpp.
#include "input_file.hpp"

#include <unistd.h>

#include "control/json_input.hpp"
#include "control/regular_file.hpp"

namespace siitctl {

namespace {
const char* const kRequestLimit = "siitd accepts in one request, control.max-message-bytes";
}

std::string read_input_file(const std::string& path, std::size_t limit) {
    // Standard input may be a pipe (`... | siitctl eamt replace -`); a named file must be a
    // regular one, by the rule siitd reads its own files with.
    auto file = path == "-" ? siit::control::read_open_file(0, path, limit, kRequestLimit, true)
                            : siit::control::read_regular_file(path, limit, kRequestLimit);
    if (!file.text) throw UsageError(file.problem);
    return std::move(*file.text);
}

nlohmann::json parse_json_text(const std::string& text, const std::string& path,
                               std::string_view repeatable_key) {
    auto input =
        siit::control::parse_json_input(text, siit::control::kMaxJsonDepth, repeatable_key);
    if (!input.value) throw UsageError(path + ": " + siit::control::json_input_problem(input));
    return std::move(*input.value);
}

nlohmann::json read_json_file(const std::string& path, std::size_t limit) {
    return parse_json_text(read_input_file(path, limit), path);
}

} // namespace siitctl
