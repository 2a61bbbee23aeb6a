// What the control log says about a change: who made it (the peer's uid and user name, from
// SO_PEERCRED) and what it changed (each setting's old and new value, the EAMT entries added and
// removed), so that an operator reading the journal can tell who did what without a diff tool.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "siit/eamt.hpp"
#include "siit/translator_config.hpp"

namespace siitd {

// A translation version as the control thread keeps it across a change: a copy of the settings
// and a reference to the table, both valid whatever the workers do (a TranslationVersion pointer
// may be freed as soon as the next one is published).
struct TranslationSnapshot {
    siit::TranslatorConfig config;
    std::shared_ptr<const siit::EamTable> eamt;
};

// "uid 1000 (alice)"; "uid 4242" for a uid with no name.
std::string describe_peer(uid_t uid);

// "lowest-ipv6-mtu 1280 -> 1400; eamt +2 -1: +192.0.2.0/24 2001:db8:1::/120, ..." listing at most
// `max_listed` entries each way; "nothing" when the two are the same.
std::string describe_change(const TranslationSnapshot& before, const TranslationSnapshot& after,
                            std::size_t max_listed = 8);

} // namespace siitd
