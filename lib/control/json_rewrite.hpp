// A JSON file written again with new contents, the way a person who keeps it expects: its keys in
// the order the file had them (nlohmann::json sorts keys), new keys after them, and a word for
// each setting that changed. `siitctl config save` and `siitctl import-* -o` write through it, so
// that a reviewed file's diff shows what changed and nothing else.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace siit::control {

struct JsonRewrite {
    std::string text;                 // the new file, indented by 2, ending in a newline
    std::vector<std::string> changes; // "replaced translation.pool6", "removed metrics", ...
};

// `value` as the file `old_text` (empty: no file) would hold it: objects keep old_text's key
// order where both have a key, keys only `value` has come after them in their own order, and a
// list is `value`'s. `changes` names each key whose value differs, down to two levels
// ("translation.eamt"), as "added", "removed" or "replaced". When old_text is not JSON, `value`
// is written in its own order and `changes` says the file was replaced whole.
JsonRewrite rewrite_keeping_order(const std::string& old_text, const nlohmann::json& value);

} // namespace siit::control
