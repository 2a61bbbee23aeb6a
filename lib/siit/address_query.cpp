// The control plane's address lookup; see address_query.hpp.
#include "siit/address_query.hpp"

#include "siit/rfc6052.hpp"
#include "siit/translate_common.hpp"

namespace siit {

AddressQuery query_4to6(const TranslatorConfig& config, const EamLookup* eamt,
                        Ipv4Address address) {
    AddressQuery q;
    q.entry = eamt ? eamt->find4(address) : nullptr;
    for (const auto& p : config.denylist4)
        q.denylisted |= p.contains(address);
    const auto mapped = detail::map_address_4to6(config, eamt, address);
    if (mapped) q.ipv6 = *mapped;
    q.never_translated = mapped.by == detail::AddressMapping::never_translated;
    q.wkp_non_global = mapped.by == detail::AddressMapping::wkp_non_global;
    return q;
}

AddressQuery query_6to4(const TranslatorConfig& config, const EamLookup* eamt,
                        const Ipv6Address& address) {
    AddressQuery q;
    q.entry = eamt ? eamt->find6(address) : nullptr;
    const auto mapped = detail::map_address_6to4(config, eamt, address);
    if (mapped) q.ipv4 = *mapped;
    q.never_translated = mapped.by == detail::AddressMapping::never_translated;
    q.wkp_non_global = mapped.by == detail::AddressMapping::wkp_non_global;
    // Under pool6 but refused: say whether denylist4 is the reason.
    if (!q.entry && !q.ipv4 && config.pool6)
        if (const auto embedded = rfc6052_extract(*config.pool6, address))
            for (const auto& p : config.denylist4)
                q.denylisted |= p.contains(*embedded);
    return q;
}

} // namespace siit
