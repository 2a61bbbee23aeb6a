// A JSON file written again in its own key order; see json_rewrite.hpp.
#include "control/json_rewrite.hpp"

#include <functional>

namespace siit::control {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Below this depth a changed object is named as a whole ("replaced translation.eamt").
constexpr int kNamedDepth = 2;

// Whether `a` (in a file's order) and `b` hold the same value, whatever order their objects'
// keys come in. Compares in place: a million-entry EAMT is never copied.
bool same(const ordered_json& a, const json& b) {
    if (a.is_object() != b.is_object() || a.is_array() != b.is_array()) return false;
    if (a.is_object()) {
        if (a.size() != b.size()) return false;
        for (const auto& [key, value] : a.items()) {
            const auto it = b.find(key);
            if (it == b.end() || !same(value, *it)) return false;
        }
        return true;
    }
    if (a.is_array()) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same(a[i], b[i])) return false;
        return true;
    }
    return a.dump() == b.dump(); // numbers, strings, booleans, null: their text
}

// `text` with every line after the first indented by `indent` spaces more.
void append_indented(std::string& out, const std::string& text, std::size_t indent) {
    const std::string pad = "\n" + std::string(indent, ' ');
    for (const char c : text) {
        if (c == '\n')
            out += pad;
        else
            out += c;
    }
}

// Writes `value` at `indent`, its objects' keys in `old`'s order where `old` has them.
void write(std::string& out, const ordered_json* old, const json& value, std::size_t indent,
           const std::string& path, int depth, std::vector<std::string>* changes) {
    if (old == nullptr || !old->is_object() || !value.is_object() || value.empty()) {
        append_indented(out, value.dump(2), indent);
        return;
    }
    const auto named = [&](const std::string& key) {
        return path.empty() ? key : path + "." + key;
    };
    // The file's keys first, in its order, then the new ones; the changes in the same order.
    bool first = true;
    const auto member = [&](const std::string& key, const ordered_json* before) {
        out += (first ? "\n" : ",\n") + std::string(indent + 2, ' ') + json(key).dump() + ": ";
        first = false;
        const json& now = value[key];
        const bool deeper =
            depth + 1 < kNamedDepth && before && before->is_object() && now.is_object();
        if (changes && !before) changes->push_back("added " + named(key));
        if (changes && before && !deeper && !same(*before, now))
            changes->push_back("replaced " + named(key));
        write(out, before, now, indent + 2, named(key), depth + 1, deeper ? changes : nullptr);
    };
    out += "{";
    for (const auto& [key, was] : old->items()) {
        if (value.contains(key))
            member(key, &was);
        else if (changes)
            changes->push_back("removed " + named(key));
    }
    for (const auto& [key, now] : value.items())
        if (!old->contains(key)) member(key, nullptr);
    out += "\n" + std::string(indent, ' ') + "}";
}

} // namespace

JsonRewrite rewrite_keeping_order(const std::string& old_text, const json& value) {
    JsonRewrite result;
    ordered_json old;
    if (!old_text.empty()) {
        old = ordered_json::parse(old_text, nullptr, false);
        if (old.is_discarded()) {
            result.changes.push_back("replaced the whole file (it was not JSON)");
            old = nullptr;
        }
    }
    write(result.text, old.is_null() ? nullptr : &old, value, 0, "", 0, &result.changes);
    result.text += "\n";
    return result;
}

} // namespace siit::control
