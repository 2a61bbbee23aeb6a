// The EAMT file formats; see eamt_file.hpp.
#include "eamt_file.hpp"

#include <algorithm>

#include "input_file.hpp"

namespace siitctl {

namespace {

// The line's words before any '#', or nothing for a blank or comment line; throws for a line
// that is neither blank nor exactly two words.
bool line_words(std::string_view line, int number, const std::string& path, std::string_view& v4,
                std::string_view& v6) {
    line = line.substr(0, line.find('#'));
    std::string_view words[3];
    std::size_t count = 0;
    for (std::size_t at = 0; at < line.size();) {
        at = line.find_first_not_of(" \t\r", at);
        if (at == std::string_view::npos) break;
        const std::size_t end = std::min(line.find_first_of(" \t\r", at), line.size());
        if (count < 3) words[count] = line.substr(at, end - at);
        ++count;
        at = end;
    }
    if (count == 0) return false;
    if (count != 2)
        throw UsageError(path + ":" + std::to_string(number) +
                         ": expected 'IPV4-PREFIX IPV6-PREFIX'");
    v4 = words[0];
    v6 = words[1];
    return true;
}

// Calls `each` for every entry line of `text`, with its words.
template <typename Each>
std::size_t for_each_line(const std::string& text, const std::string& path, Each&& each) {
    std::size_t entries = 0;
    int number = 1;
    for (std::size_t at = 0; at < text.size(); ++number) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        std::string_view v4, v6;
        if (line_words(std::string_view(text).substr(at, end - at), number, path, v4, v6)) {
            each(v4, v6);
            ++entries;
        }
        at = end + 1;
    }
    return entries;
}

} // namespace

bool is_eamt_lines(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    return first == std::string::npos || (text[first] != '[' && text[first] != '{');
}

void scan_eamt_lines(const std::string& text, const std::string& path,
                     const std::function<void(std::string_view v4, std::string_view v6)>& each) {
    if (for_each_line(text, path, [](std::string_view, std::string_view) {}) == 0)
        throw UsageError(path + ": holds no EAMT entry; `siitctl eamt flush` empties the table");
    for_each_line(text, path, each);
}

nlohmann::json parse_eamt_file(const std::string& text, const std::string& path) {
    using nlohmann::json;
    json entries = json::array();
    if (!is_eamt_lines(text)) {
        json j = parse_json_text(text, path);
        if (j.is_object() && j.contains("translation")) j = j["translation"];
        if (j.is_object() && j.contains("eamt")) j = j["eamt"];
        if (!j.is_array()) throw UsageError(path + ": no EAMT list in it");
        entries = std::move(j);
    } else {
        scan_eamt_lines(text, path, [&entries](std::string_view v4, std::string_view v6) {
            entries.push_back({{"ipv4", v4}, {"ipv6", v6}});
        });
    }
    if (entries.empty())
        throw UsageError(path + ": holds no EAMT entry; `siitctl eamt flush` empties the table");
    return entries;
}

} // namespace siitctl
