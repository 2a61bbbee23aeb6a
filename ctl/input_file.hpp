// The files siitctl reads and sends to siitd (an EAMT, a configuration, Jool's or TAYGA's file),
// read carefully: only regular files (or standard input), never more bytes than siitd would
// accept in one request, and JSON only when it nests within bounds and gives no key twice
// (control/json_input.hpp, the same reader siitd uses). A directory is not an empty file, and
// /dev/zero is not an endless one.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace siitctl {

// Bad input on siitctl's side (a file it cannot or will not read): exit status 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The whole of `path` ('-': standard input), at most `limit` bytes; throws UsageError otherwise.
std::string read_input_file(const std::string& path, std::size_t limit);
// The same, parsed as JSON by siitd's rules; throws UsageError naming the file and the field.
nlohmann::json read_json_file(const std::string& path, std::size_t limit);
// `text` (the contents of `path`) parsed as JSON by siitd's rules; `repeatable_key`, for a foreign
// format whose rules allow it, may repeat (control/json_input.hpp).
nlohmann::json parse_json_text(const std::string& text, const std::string& path,
                               std::string_view repeatable_key = {});

} // namespace siitctl
