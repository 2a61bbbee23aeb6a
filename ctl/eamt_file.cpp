// The EAMT file formats; see eamt_file.hpp.
#include "eamt_file.hpp"

#include <sstream>

#include "input_file.hpp"

namespace siitctl {

nlohmann::json parse_eamt_file(const std::string& text, const std::string& path) {
    using nlohmann::json;
    json entries = json::array();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && (text[first] == '[' || text[first] == '{')) {
        json j = parse_json_text(text, path);
        if (j.is_object() && j.contains("translation")) j = j["translation"];
        if (j.is_object() && j.contains("eamt")) j = j["eamt"];
        if (!j.is_array()) throw UsageError(path + ": no EAMT list in it");
        entries = std::move(j);
    } else {
        std::istringstream lines(text);
        std::string line;
        for (int number = 1; std::getline(lines, line); ++number) {
            line = line.substr(0, line.find('#'));
            std::istringstream words(line);
            std::string v4, v6, extra;
            if (!(words >> v4)) continue;
            if (!(words >> v6) || (words >> extra))
                throw UsageError(path + ":" + std::to_string(number) +
                                 ": expected 'IPV4-PREFIX IPV6-PREFIX'");
            entries.push_back({{"ipv4", v4}, {"ipv6", v6}});
        }
    }
    if (entries.empty())
        throw UsageError(path + ": holds no EAMT entry; `siitctl eamt flush` empties the table");
    return entries;
}

} // namespace siitctl
