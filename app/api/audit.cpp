// The control log's account of a change; see audit.hpp.
#include "api/audit.hpp"

#include <pwd.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "config/config_file.hpp"

namespace siitd {

namespace {

void list(std::string& out, char sign, const std::vector<siit::EamEntry>& entries,
          std::size_t max_listed) {
    for (std::size_t i = 0; i < entries.size() && i < max_listed; ++i)
        out += std::string(", ") + sign + entries[i].prefix4.to_string() + " " +
               entries[i].prefix6.to_string();
    if (entries.size() > max_listed)
        out += ", " + std::to_string(entries.size() - max_listed) + " more " +
               (sign == '+' ? "added" : "removed");
}

} // namespace

std::string describe_peer(uid_t uid) {
    std::string out = "uid " + std::to_string(uid);
    passwd entry{}, *found = nullptr;
    std::vector<char> buffer(16384);
    if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found)
        out += std::string(" (") + found->pw_name + ")";
    return out;
}

std::string describe_change(const TranslationSnapshot& before, const TranslationSnapshot& after,
                            std::size_t max_listed) {
    std::string out;
    const auto add = [&out](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
    const nlohmann::json old_settings = translation_to_json(before.config, nullptr);
    const nlohmann::json new_settings = translation_to_json(after.config, nullptr);
    for (const auto& [key, value] : new_settings.items())
        if (old_settings[key] != value)
            add(key + " " + old_settings[key].dump() + " -> " + value.dump());
    if (before.eamt != after.eamt && before.eamt && after.eamt) {
        // From the versions' overlays: a single change to a million-entry table is not a
        // comparison of two million-entry lists.
        const siit::EamtDifference difference = after.eamt->difference_from(*before.eamt);
        const auto& added = difference.added;
        const auto& removed = difference.removed;
        if (!added.empty() || !removed.empty()) {
            std::string part = "eamt +" + std::to_string(added.size()) + " -" +
                               std::to_string(removed.size()) + " (" +
                               std::to_string(after.eamt->size()) + " entries)";
            list(part, '+', added, max_listed);
            list(part, '-', removed, max_listed);
            add(part);
        }
    }
    return out.empty() ? "nothing" : out;
}

} // namespace siitd
