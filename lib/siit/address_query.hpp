// "What does this address translate to, and why?": the control plane's lookup, answered by the same
// address selection the translator uses for packets (translate_common's map_address_*), so that an
// operator's query and the data plane can never disagree.
#pragma once

#include <optional>

#include "siit/eam.hpp"
#include "siit/translator_config.hpp"

namespace siit {

struct AddressQuery {
    const EamEntry* entry = nullptr; // the EAMT entry that matched (RFC 7757 §3.3), if any
    bool denylisted = false;         // an IPv4 address in denylist4 (no pool6 translation)
    bool never_translated = false;   // an IPv4 address no router forwards (special_ipv4.hpp)
    bool wkp_non_global = false;     // RFC 6052 §3.1: non-global under the Well-Known Prefix
    std::optional<Ipv6Address> ipv6; // the other family's form, when translatable
    std::optional<Ipv4Address> ipv4;
};

AddressQuery query_4to6(const TranslatorConfig& config, const EamLookup* eamt, Ipv4Address address);
AddressQuery query_6to4(const TranslatorConfig& config, const EamLookup* eamt,
                        const Ipv6Address& address);

} // namespace siit
