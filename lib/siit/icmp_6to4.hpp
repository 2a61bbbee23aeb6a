// RFC 7915 §5.2 and §5.3: ICMPv6 errors to ICMPv4, with their inner packets.
#pragma once

#include "siit/headers.hpp"
#include "siit/translator.hpp"

namespace siit::detail {

// `packet` holds a whole IPv6 packet (header `outer`) carrying an ICMPv6 error; its addresses are
// already mapped to `src4` and `dst4`. Rewrites it as the ICMPv4 error, or returns a named drop.
Verdict translate_icmp6_error(Translator& translator, PacketBuffer& packet, const Ipv6Info& outer,
                              Ipv4Address src4, Ipv4Address dst4, std::uint8_t ttl,
                              bool& inner_source_hairpins);

} // namespace siit::detail
