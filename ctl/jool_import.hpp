// Jool's atomic configuration (`jool_siit file handle FILE`) read as siitd settings, so that a
// Jool user moves over in one command. Jool's semantics are kept: what the file leaves out stays as
// it is in the running siitd.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace siitctl {

// Turns a Jool SIIT atomic configuration into the object the control socket's translation.apply
// takes. `warnings` gets one line per Jool setting siitd has no use for (ignored); `errors` one
// line per value siitd cannot take (the caller then applies nothing).
nlohmann::json jool_to_translation(const nlohmann::json& jool, std::vector<std::string>& warnings,
                                   std::vector<std::string>& errors);

} // namespace siitctl
