// The rules every translation version must keep, whichever way it is reached: the configuration
// file at start, `siitd --check-config`, `config.apply`, and every control command. One checker
// for all of them, so that the socket can never reach a state the file would refuse: what
// `config save` writes from a running siitd is always a file siitd starts from.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "siit/translator_config.hpp"

namespace siit {

// One "FIELD: REASON" line per broken rule; empty when `config` with an EAMT of `eamt_entries`
// entries may run. FIELD is the setting's place in the configuration file
// ("translation.pool6791v4").
std::vector<std::string> check_translation(const TranslatorConfig& config,
                                           std::size_t eamt_entries);

} // namespace siit
