// The EAMT files `siitctl eamt replace` reads: a JSON list of {"ipv4", "ipv6"}, an object holding
// one under "eamt" or "translation.eamt" (a siitd configuration file), or text lines
// "IPV4-PREFIX IPV6-PREFIX" with '#' comments. In the text form each prefix is checked here too, so
// that every bad line is named by its number; how entries conflict is siitd's to judge.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace siitctl {

// The entries of `text` (the contents of `path`, for messages) as the list eamt.replace takes;
// throws UsageError naming the file and the line or field. A file with no entry is refused: an
// empty table is what `eamt flush` asks for, never the accident of an empty file.
nlohmann::json parse_eamt_file(const std::string& text, const std::string& path);

// Whether `text` is in the text-lines form (not JSON).
bool is_eamt_lines(const std::string& text);
// Checks a text-lines `text` whole: throws UsageError naming the file and line of every bad line
// (not two words, or a prefix siitd would refuse; one line each, the first 20 named and the rest
// counted), or an empty file.
void check_eamt_lines(const std::string& text, const std::string& path);
// Each entry of a text-lines `text` that check_eamt_lines passed, in order, as its two words, each
// then a prefix's text (digits, letters a-f, '.', ':' and '/', nothing JSON must escape). Holds no
// entry in memory: a million-line file is streamed.
void for_each_eamt_line(const std::string& text,
                        const std::function<void(std::string_view v4, std::string_view v6)>& each);

} // namespace siitctl
