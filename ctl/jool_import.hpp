// Jool's atomic configuration (`jool_siit file handle FILE`) read as siitd settings, so that a
// Jool user moves over in one command.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace siitctl {

// Jool's one key that any object may give any number of times ("any amount of comments are
// allowed (and ignored) on all object contexts", Jool's atomic configuration documentation).
// Every other key, as in siitd's own files, appears once.
inline constexpr std::string_view kJoolCommentKey = "comment";

// Turns a Jool SIIT atomic configuration into the object the control socket's translation.apply
// takes. `warnings` gets one line per Jool setting siitd has no use for (ignored); `errors` one
// line per value siitd cannot take (the caller then applies nothing).
nlohmann::json jool_to_translation(const nlohmann::json& jool, std::vector<std::string>& warnings,
                                   std::vector<std::string>& errors);

// Jool's `file handle` replaces the whole instance: what the file leaves out goes back to its
// default, and its tables are emptied. This makes `translation` say so (null for each setting and
// table it lacks: the control socket's "back to the default"), and warns where Jool's default
// differs from siitd's, so that the operator can keep Jool's behaviour.
void replace_whole(nlohmann::json& translation, std::vector<std::string>& warnings);

} // namespace siitctl
