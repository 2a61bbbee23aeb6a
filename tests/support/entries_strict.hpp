// What the strict reader (lib/control/json_input.hpp) and the handlers' checks make of a request
// that the one-pass reader (lib/control/entries_request.hpp) claims to read the same way: the
// reference both its unit test and its fuzz target compare it with.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "control/entries_request.hpp"
#include "control/json_input.hpp"

namespace siit::test {

// What the strict path makes of `text` when it takes it as the one-pass reader does: the request
// without "entries", and each entry an object of exactly "ipv4" and "ipv6", valid prefixes.
// Nothing when the strict path would not read it so.
inline std::optional<siit::control::EntriesRequest>
strict_entries_meaning(const std::string& text) {
    using nlohmann::json;
    auto input = siit::control::parse_json_input(text);
    if (!input.value || !input.value->is_object() || !input.value->contains("entries"))
        return std::nullopt;
    json request = std::move(*input.value);
    const json list = request["entries"];
    request.erase("entries");
    if (!list.is_array()) return std::nullopt;
    for (const auto& [key, value] : request.items())
        if (value.is_structured()) return std::nullopt;
    siit::control::EntriesRequest out;
    out.rest = request;
    for (const json& item : list) {
        if (!item.is_object() || item.size() != 2 || !item.contains("ipv4") ||
            !item.contains("ipv6") || !item["ipv4"].is_string() || !item["ipv6"].is_string())
            return std::nullopt;
        const auto p4 = siit::Ipv4Prefix::parse(item["ipv4"].get<std::string>());
        const auto p6 = siit::Ipv6Prefix::parse(item["ipv6"].get<std::string>());
        if (!p4 || !p6) return std::nullopt;
        out.entries.push_back({*p4, *p6});
    }
    return out;
}

} // namespace siit::test
