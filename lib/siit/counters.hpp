// Every outcome of a translation, by name. The same names appear in verdicts, in siitd's
// counters, in `siitctl stats`, in logs and in tests: one list, declared once here.
#pragma once

#include <cstdint>
#include <string_view>

namespace siit {

// X(name, description). Outcomes that end in a dropped packet start with drop_; when the verdict
// is Action::reply, an ICMP error was built for the sender as well.
#define SIIT_COUNTERS(X)                                                                           \
    X(translated_4to6_tcp, "IPv4 TCP translated to IPv6")                                          \
    X(translated_4to6_udp, "IPv4 UDP translated to IPv6")                                          \
    X(translated_4to6_icmp_echo, "ICMPv4 echo translated to ICMPv6 (RFC 7915 §4.2)")               \
    X(translated_4to6_icmp_error, "ICMPv4 error and its inner packet translated (§4.2, §4.3)")     \
    X(translated_4to6_fragment, "IPv4 non-first fragment translated to IPv6")                      \
    X(translated_4to6_other, "IPv4 packet of another protocol translated to IPv6")                 \
    X(translated_6to4_tcp, "IPv6 TCP translated to IPv4")                                          \
    X(translated_6to4_udp, "IPv6 UDP translated to IPv4")                                          \
    X(translated_6to4_icmp_echo, "ICMPv6 echo translated to ICMPv4 (RFC 7915 §5.2)")               \
    X(translated_6to4_icmp_error, "ICMPv6 error and its inner packet translated (§5.2, §5.3)")     \
    X(translated_6to4_fragment, "IPv6 non-first fragment translated to IPv4")                      \
    X(translated_6to4_other, "IPv6 packet of another protocol translated to IPv4")                 \
    X(hairpinned, "IPv6 packet sent back to IPv6 through its EAM address (RFC 7757 §4.2)")         \
    X(drop_ipv4_truncated, "IPv4 header or total length beyond the received bytes")                \
    X(drop_ipv4_malformed, "IPv4 version, IHL or total length invalid")                            \
    X(drop_ipv4_header_checksum, "IPv4 header checksum wrong")                                     \
    X(drop_ipv4_ttl_expired, "IPv4 TTL would reach zero (§4.1); Time Exceeded sent")               \
    X(drop_ipv4_source_route, "unexpired IPv4 source route option (§4.1); error 3/5 sent")         \
    X(drop_ipv4_fragmentation_needed, "DF=1 and larger than the IPv6 MTU; error 3/4 sent")         \
    X(drop_untranslatable_src4, "IPv4 source has no IPv6 form (EAMT, pool6, denylist4)")           \
    X(drop_untranslatable_dst4, "IPv4 destination has no IPv6 form (§4.4); error 3/13 sent")       \
    X(drop_never_translated_4to6,                                                                  \
      "IPv4 address no router forwards (0/8, 127/8, 169.254/16, 240/4...)")                        \
    X(drop_wkp_non_global_4to6, "non-global IPv4 address under 64:ff9b::/96 (RFC 6052 §3.1)")      \
    X(drop_igmp, "IGMP: single-hop, never translated (§4.2)")                                      \
    X(drop_icmp4_unknown_type, "ICMPv4 type with no ICMPv6 equivalent (§4.2)")                     \
    X(drop_icmp4_untranslatable_code, "ICMPv4 error code with no ICMPv6 equivalent (§4.2)")        \
    X(drop_icmp4_untranslatable_pointer, "ICMPv4 Parameter Problem pointer unmapped (§4.2)")       \
    X(drop_icmp4_checksum, "ICMPv4 error with a wrong checksum")                                   \
    X(drop_icmp4_fragmented, "fragmented ICMPv4: its ICMPv6 checksum cannot be computed")          \
    X(drop_icmp4_truncated, "ICMPv4 header shorter than 8 bytes")                                  \
    X(drop_icmp4_inner_malformed, "ICMPv4 error whose inner packet is not a valid IPv4 header")    \
    X(drop_icmp4_inner_untranslatable, "ICMPv4 error whose inner addresses have no IPv6 form")     \
    X(drop_udp4_checksum_zero,                                                                     \
      "IPv4 UDP checksum zero, amend-udp-checksum-zero off (§4.5); error 3/13 sent")               \
    X(drop_udp4_checksum_zero_fragment,                                                            \
      "fragmented IPv4 UDP with checksum zero (§4.5); error 3/13 sent")                            \
    X(drop_l4_truncated, "first fragment too short for its TCP or UDP header")                     \
    X(drop_ipv6_truncated, "IPv6 header or payload length beyond the received bytes")              \
    X(drop_ipv6_malformed, "IPv6 version, jumbogram or extension header chain invalid")            \
    X(drop_ipv6_hop_limit_expired, "IPv6 Hop Limit would reach zero (§5.1); Time Exceeded sent")   \
    X(drop_ipv6_segments_left, "Routing header with Segments Left > 0 (§5.1); error 4/0 sent")     \
    X(drop_ipv6_packet_too_big, "larger than the IPv4 MTU (§5.1); Packet Too Big sent")            \
    X(drop_ipv6_illegal_source, "IPv6 source ::, ::1, link-local or multicast (§5.1)")             \
    X(drop_untranslatable_src6, "IPv6 source has no IPv4 form (EAMT, pool6)")                      \
    X(drop_untranslatable_dst6,                                                                    \
      "IPv6 destination has no IPv4 form; error 1/1 sent but for ICMPv6 (§5.4)")                   \
    X(drop_never_translated_6to4, "pool6 address of an IPv4 address no router forwards")           \
    X(drop_wkp_non_global_6to4,                                                                    \
      "64:ff9b::/96 address of a non-global IPv4 address (RFC 6052 §3.1)")                         \
    X(drop_ipv6_extension_after_fragment,                                                          \
      "extension header after the Fragment header (§5.1.1); error 1/1 sent")                       \
    X(drop_icmp6_unknown_type, "ICMPv6 type with no ICMPv4 equivalent, ND and MLD (§5.2)")         \
    X(drop_icmp6_untranslatable_code, "ICMPv6 error code with no ICMPv4 equivalent (§5.2)")        \
    X(drop_icmp6_untranslatable_pointer, "ICMPv6 Parameter Problem pointer unmapped (§5.2)")       \
    X(drop_icmp6_checksum, "ICMPv6 error with a wrong checksum")                                   \
    X(drop_icmp6_fragmented, "fragmented ICMPv6: its ICMPv4 checksum cannot be computed")          \
    X(drop_icmp6_truncated, "ICMPv6 header shorter than 8 bytes")                                  \
    X(drop_icmp6_inner_malformed, "ICMPv6 error whose inner packet is not a valid IPv6 header")    \
    X(drop_icmp6_inner_untranslatable, "ICMPv6 error whose inner addresses have no IPv4 form")     \
    X(drop_udp6_checksum_zero, "IPv6 UDP with checksum zero, invalid in IPv6 (RFC 8200 §8.1)")     \
    X(drop_fragment_no_buffer, "no buffer for an extra fragment")                                  \
    X(drop_buffer_too_small, "the packet buffer lacks the headroom or tailroom translation needs")

enum class Counter : std::uint16_t {
#define SIIT_COUNTER_ENUM(name, description) name,
    SIIT_COUNTERS(SIIT_COUNTER_ENUM)
#undef SIIT_COUNTER_ENUM
};

inline constexpr std::size_t kCounterCount = 0
#define SIIT_COUNTER_COUNT(name, description) +1
    SIIT_COUNTERS(SIIT_COUNTER_COUNT)
#undef SIIT_COUNTER_COUNT
    ;

std::string_view counter_name(Counter counter);
std::string_view counter_description(Counter counter);

} // namespace siit
