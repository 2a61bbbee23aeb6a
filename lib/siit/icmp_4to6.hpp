// RFC 7915 §4.2 and §4.3: ICMPv4 errors to ICMPv6, with their inner packets.
#pragma once

#include "siit/headers.hpp"
#include "siit/translator.hpp"

namespace siit::detail {

// `packet` holds a whole IPv4 packet (header `outer`) carrying an ICMPv4 error; its addresses are
// already mapped to `src6` and `dst6`. Rewrites it as the ICMPv6 error, or returns a named drop.
Verdict translate_icmp4_error(Translator& translator, PacketBuffer& packet, const Ipv4Info& outer,
                              const Ipv6Address& src6, const Ipv6Address& dst6,
                              std::uint8_t hop_limit, bool hairpin_rules);

} // namespace siit::detail
