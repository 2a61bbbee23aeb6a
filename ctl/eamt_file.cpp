// The EAMT file formats; see eamt_file.hpp.
#include "eamt_file.hpp"

#include <algorithm>

#include "control/json_input.hpp"
#include "input_file.hpp"
#include "siit/address.hpp"

namespace siitctl {

namespace {

// At most this many bad lines are named in one refusal; the rest are counted.
constexpr std::size_t kNamedBadLines = 20;

enum class Line { blank, entry, malformed };

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

// The line's words before any '#': none for a blank or comment line, else exactly two. (Written
// out rather than with find_first_of, which calls memchr once per character: a million-line file
// spent most of siitctl's time there.)
Line line_words(std::string_view line, std::string_view& v4, std::string_view& v6) {
    line = line.substr(0, line.find('#'));
    std::string_view words[3];
    std::size_t count = 0;
    for (std::size_t at = 0; at < line.size();) {
        while (at < line.size() && is_blank(line[at]))
            ++at;
        if (at == line.size()) break;
        std::size_t end = at;
        while (end < line.size() && !is_blank(line[end]))
            ++end;
        if (count < 3) words[count] = line.substr(at, end - at);
        ++count;
        at = end;
    }
    if (count == 0) return Line::blank;
    if (count != 2) return Line::malformed;
    v4 = words[0];
    v6 = words[1];
    return Line::entry;
}

// Calls `each` for every line of `text` that is not blank, with its number, kind and words.
template <typename Each> void for_each_line(const std::string& text, Each&& each) {
    int number = 1;
    for (std::size_t at = 0; at < text.size(); ++number) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        std::string_view v4, v6;
        const Line kind = line_words(std::string_view(text).substr(at, end - at), v4, v6);
        if (kind != Line::blank) each(number, kind, v4, v6);
        at = end + 1;
    }
}

// What is wrong with an entry line's two words, or "" (the prefixes by siitd's own parser).
std::string entry_problem(std::string_view v4, std::string_view v6) {
    if (const auto why = siit::ipv4_prefix_problem(v4); !why.empty())
        return siit::control::shown_text(std::string(v4)) + ": " + why;
    if (const auto why = siit::ipv6_prefix_problem(v6); !why.empty())
        return siit::control::shown_text(std::string(v6)) + ": " + why;
    return "";
}

} // namespace

bool is_eamt_lines(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    return first == std::string::npos || (text[first] != '[' && text[first] != '{');
}

void check_eamt_lines(const std::string& text, const std::string& path) {
    // Every bad line, by its number, so that one run names them all.
    std::size_t entries = 0, bad = 0;
    std::string named;
    for_each_line(text, [&](int number, Line kind, std::string_view v4, std::string_view v6) {
        const std::string problem =
            kind == Line::malformed ? "expected 'IPV4-PREFIX IPV6-PREFIX'" : entry_problem(v4, v6);
        if (problem.empty()) {
            ++entries;
        } else if (++bad <= kNamedBadLines) {
            named +=
                (named.empty() ? "" : "\n") + path + ":" + std::to_string(number) + ": " + problem;
        }
    });
    if (bad > kNamedBadLines)
        named += "\n" + path + ": and " + std::to_string(bad - kNamedBadLines) + " more bad lines";
    if (bad > 0) throw UsageError(named);
    if (entries == 0)
        throw UsageError(path + ": holds no EAMT entry; `siitctl eamt flush` empties the table");
}

void for_each_eamt_line(const std::string& text,
                        const std::function<void(std::string_view v4, std::string_view v6)>& each) {
    for_each_line(text,
                  [&each](int, Line, std::string_view v4, std::string_view v6) { each(v4, v6); });
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
        check_eamt_lines(text, path);
        for_each_eamt_line(text, [&entries](std::string_view v4, std::string_view v6) {
            entries.push_back({{"ipv4", v4}, {"ipv6", v6}});
        });
    }
    if (entries.empty())
        throw UsageError(path + ": holds no EAMT entry; `siitctl eamt flush` empties the table");
    return entries;
}

} // namespace siitctl
