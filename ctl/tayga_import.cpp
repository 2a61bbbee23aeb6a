// tayga.conf import; see tayga_import.hpp. Syntax as tayga.conf(5) gives it: one directive per
// line, words separated by blanks, '#' to the end of the line a comment; every directive but
// `map` at most once.
#include "tayga_import.hpp"

#include <set>
#include <sstream>

namespace siitctl {

nlohmann::json tayga_to_translation(const std::string& text, std::vector<std::string>& warnings,
                                    std::vector<std::string>& errors) {
    using nlohmann::json;
    json t = {{"pool6", nullptr}, {"own-ipv6", nullptr}, {"eamt", json::array()}};
    std::set<std::string> seen;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        line = line.substr(0, line.find('#'));
        std::istringstream stream(line);
        std::vector<std::string> words;
        for (std::string word; stream >> word;)
            words.push_back(word);
        if (words.empty()) continue;
        const std::string where = "line " + std::to_string(number) + ": ";
        const std::string& directive = words[0];
        const std::size_t arguments = words.size() - 1;
        if (directive != "map" && !seen.insert(directive).second) {
            errors.push_back(where + directive + " given twice (tayga.conf allows it once)");
            continue;
        }
        const auto expect = [&](std::size_t count) {
            if (arguments == count) return true;
            errors.push_back(where + directive + " takes " + std::to_string(count) + " value" +
                             (count == 1 ? "" : "s") + ", not " + std::to_string(arguments));
            return false;
        };
        if (directive == "prefix") {
            if (expect(1)) t["pool6"] = words[1];
        } else if (directive == "ipv4-addr") {
            if (expect(1)) t["own-ipv4"] = words[1];
        } else if (directive == "ipv6-addr") {
            if (expect(1)) t["own-ipv6"] = words[1];
        } else if (directive == "map") {
            if (expect(2)) t["eamt"].push_back({{"ipv4", words[1]}, {"ipv6", words[2]}});
        } else if (directive == "dynamic-pool") {
            errors.push_back(where + "dynamic-pool: siitd is stateless and keeps no dynamic "
                                     "mappings; give each host a `map` (an EAMT entry) instead");
        } else if (directive == "tun-device") {
            warnings.push_back(where + "tun-device: ignored; siitd's ports are in its own "
                                       "configuration file (a net_tun port stands in for TAYGA's "
                                       "tun device)");
        } else if (directive == "data-dir") {
            warnings.push_back(where + "data-dir: ignored; it only keeps dynamic-pool mappings");
        } else if (directive == "wkpf-strict") {
            warnings.push_back(where + "wkpf-strict: ignored; siitd has no setting for it");
        } else {
            warnings.push_back(where + directive + ": siitd has no use for it; ignored");
        }
    }
    if (!seen.count("ipv4-addr"))
        warnings.push_back("no ipv4-addr: siitd keeps its own-ipv4 as it is");
    return t;
}

} // namespace siitctl
