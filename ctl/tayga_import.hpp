// TAYGA's configuration file (tayga.conf(5)) read as siitd settings, so that a TAYGA user moves
// over in one command. tayga.conf describes the whole translator, so the result replaces pool6,
// the translator's own addresses and the whole EAMT; what TAYGA has no word for stays as it is.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace siitctl {

// Turns tayga.conf text into the object the control socket's translation.apply takes:
//   prefix P          -> pool6 (none: pool6 unset)
//   ipv4-addr A       -> own-ipv4 (TAYGA's source of the ICMPv4 errors it generates)
//   ipv6-addr A       -> own-ipv6 (none: siitd derives it, as TAYGA does)
//   map V4 V6         -> one EAMT entry each (single addresses, or prefixes of equal suffix)
// `dynamic-pool` is refused: it maps addresses on demand and remembers them, which a stateless
// translator does not do. `tun-device`, `data-dir`, `wkpf-strict` and directives siitd does not
// know become `warnings`; values siitd cannot take become `errors` (the caller applies nothing).
// The addresses themselves are siitd's to judge, when it applies the result.
nlohmann::json tayga_to_translation(const std::string& text, std::vector<std::string>& warnings,
                                    std::vector<std::string>& errors);

} // namespace siitctl
