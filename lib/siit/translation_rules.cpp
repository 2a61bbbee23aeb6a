// The rules of a translation version; see translation_rules.hpp.
#include "siit/translation_rules.hpp"

namespace siit {

namespace {

// A source address for the ICMP errors siitd sends or translates must be one a host can answer:
// not unspecified, loopback, multicast, or the reserved 240/4 (with the limited broadcast).
bool unicast(Ipv4Address a) {
    const std::uint32_t first = a.value >> 24;
    return first != 0 && first != 127 && first < 224;
}
bool unicast(const Ipv6Address& a) {
    static const Ipv6Address unspecified{}, loopback = *Ipv6Address::parse("::1");
    return a != unspecified && a != loopback && a.bytes[0] != 0xff;
}

template <typename Address>
void require_unicast(const char* field, const std::optional<Address>& address,
                     std::vector<std::string>& problems) {
    if (address && !unicast(*address))
        problems.push_back(std::string(field) + ": '" + address->to_string() +
                           "' is not a unicast address (unspecified, loopback, multicast and "
                           "reserved addresses cannot be a source)");
}

} // namespace

std::vector<std::string> check_translation(const TranslatorConfig& config,
                                           std::size_t eamt_entries) {
    std::vector<std::string> problems;
    if (!config.pool6 && eamt_entries == 0)
        problems.push_back("translation: neither pool6 nor an EAMT entry: nothing could be "
                           "translated, and siitd does not start from such a configuration");
    require_unicast("translation.pool6791v4", config.pool6791v4, problems);
    require_unicast("translation.pool6791v6", config.pool6791v6, problems);
    require_unicast("translation.own-ipv4", std::optional(config.own_ipv4), problems);
    require_unicast("translation.own-ipv6", config.own_ipv6, problems);
    return problems;
}

} // namespace siit
