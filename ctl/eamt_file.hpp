// The EAMT files `siitctl eamt replace` reads: a JSON list of {"ipv4", "ipv6"}, an object holding
// one under "eamt" or "translation.eamt" (a siitd configuration file), or text lines
// "IPV4-PREFIX IPV6-PREFIX" with '#' comments. The prefixes themselves are siitd's to judge.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace siitctl {

// The entries of `text` (the contents of `path`, for messages) as the list eamt.replace takes;
// throws UsageError naming the file and the line or field. A file with no entry is refused: an
// empty table is what `eamt flush` asks for, never the accident of an empty file.
nlohmann::json parse_eamt_file(const std::string& text, const std::string& path);

} // namespace siitctl
