// The control log's account of a change; see audit.hpp.
#include "api/audit.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "config/config_file.hpp"

namespace siitd {

namespace {

// Entries in `a` and not in `b`, both sorted.
std::vector<siit::EamEntry> missing_from(const std::vector<siit::EamEntry>& a,
                                         const std::vector<siit::EamEntry>& b) {
    std::vector<siit::EamEntry> out;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

// `entries` in order: themselves when they already are (an EamTable keeps them sorted), else a
// sorted copy in `storage`. A million-entry table is not copied for every logged change.
const std::vector<siit::EamEntry>& in_order(const std::vector<siit::EamEntry>& entries,
                                            std::vector<siit::EamEntry>& storage) {
    if (std::is_sorted(entries.begin(), entries.end())) return entries;
    storage = entries;
    std::sort(storage.begin(), storage.end());
    return storage;
}

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
        std::vector<siit::EamEntry> old_storage, new_storage;
        const auto& old_entries = in_order(before.eamt->entries(), old_storage);
        const auto& new_entries = in_order(after.eamt->entries(), new_storage);
        const auto added = missing_from(new_entries, old_entries);
        const auto removed = missing_from(old_entries, new_entries);
        if (!added.empty() || !removed.empty()) {
            std::string part = "eamt +" + std::to_string(added.size()) + " -" +
                               std::to_string(removed.size()) + " (" +
                               std::to_string(new_entries.size()) + " entries)";
            list(part, '+', added, max_listed);
            list(part, '-', removed, max_listed);
            add(part);
        }
    }
    return out.empty() ? "nothing" : out;
}

} // namespace siitd
