// The translation settings table; see translation_settings.hpp.
#include "control/translation_settings.hpp"

#include <algorithm>
#include <array>

#include "control/json_input.hpp"
#include "siit/rfc6052.hpp"

namespace siit::control {

namespace {

using nlohmann::json;
using Refusal = std::optional<std::string>;

// Typed readers: a wrong type, or a value out of range, is refused with the reason.
template <typename T> Refusal read_as(const json& value, T& out, const char* expected) {
    bool right_type = true;
    if constexpr (std::is_same_v<T, bool>)
        right_type = value.is_boolean();
    else if constexpr (std::is_integral_v<T>)
        right_type = value.is_number_integer(); // nlohmann would take 1.5 as 1
    else if constexpr (std::is_same_v<T, std::string>)
        right_type = value.is_string();
    if (right_type) try {
            out = value.get<T>();
            return std::nullopt;
        } catch (const json::exception&) {
        }
    return std::string("wrong type (expected ") + expected + ")";
}

Refusal read_bool(const json& value, bool& out) {
    return read_as(value, out, "true or false");
}

template <typename T>
Refusal read_number(const json& value, T& out, std::int64_t min, std::int64_t max) {
    std::int64_t number = 0;
    if (auto refusal = read_as(value, number, "a whole number")) return refusal;
    if (number < min || number > max)
        return "must be between " + std::to_string(min) + " and " + std::to_string(max);
    out = static_cast<T>(number);
    return std::nullopt;
}

Refusal read_strings(const json& value, std::vector<std::string>& out) {
    if (!value.is_array() ||
        !std::all_of(value.begin(), value.end(), [](const json& item) { return item.is_string(); }))
        return "wrong type (expected a list of strings)";
    out = value.get<std::vector<std::string>>();
    return std::nullopt;
}

template <typename Address>
Refusal read_address(const json& value, Address& out, const char* family) {
    std::string text;
    if (auto refusal = read_as(value, text, "a string")) return refusal;
    const auto parsed = Address::parse(text);
    if (!parsed) return shown_text(text) + " is not an " + family + " address";
    out = *parsed;
    return std::nullopt;
}

template <typename Address> json address_json(const std::optional<Address>& a) {
    return a ? json(a->to_string()) : json(nullptr);
}

// In Jool's numbering (0, 1, 2).
constexpr std::array<std::pair<const char*, HairpinMode>, 3> kHairpinModes = {
    {{"off", HairpinMode::off},
     {"simple", HairpinMode::simple},
     {"intrinsic", HairpinMode::intrinsic}}};

const TranslatorConfig kDefaults;

// A boolean member: its reader, writer and reset, from the member pointer.
template <bool TranslatorConfig::*Member> constexpr auto boolean_setting() {
    struct Functions {
        static Refusal read(const json& v, TranslatorConfig& c) { return read_bool(v, c.*Member); }
        static json write(const TranslatorConfig& c) { return c.*Member; }
        static void reset(TranslatorConfig& c) { c.*Member = kDefaults.*Member; }
    };
    return Functions{};
}

// An optional address member (unset by default, or null): reader, writer and reset.
template <typename Address, std::optional<Address> TranslatorConfig::*Member>
constexpr auto optional_address_setting() {
    struct Functions {
        static Refusal read(const json& v, TranslatorConfig& c) {
            Address a;
            if (auto refusal =
                    read_address(v, a, std::is_same_v<Address, Ipv4Address> ? "IPv4" : "IPv6"))
                return refusal;
            c.*Member = a;
            return std::nullopt;
        }
        static json write(const TranslatorConfig& c) { return address_json(c.*Member); }
        static void reset(TranslatorConfig& c) { c.*Member = kDefaults.*Member; }
    };
    return Functions{};
}

template <typename F>
constexpr TranslationSetting setting(std::string_view name, std::string_view values,
                                     std::string_view meaning, std::string_view jool, F) {
    return {name, values, meaning, jool, &F::read, &F::write, &F::reset};
}

const TranslationSetting kSettings[] = {
    {"pool6", "IPv6 prefix of length 32, 40, 48, 56, 64 or 96",
     "RFC 6052 prefix; 64:ff9b::/96 never carries non-global IPv4 addresses (RFC 6052 §3.1)",
     "pool6",
     [](const json& v, TranslatorConfig& c) -> Refusal {
         std::string text;
         if (auto refusal = read_as(v, text, "a string")) return refusal;
         const auto prefix = Ipv6Prefix::parse(text);
         if (!prefix) return shown_text(text) + ": " + ipv6_prefix_problem(text);
         if (!rfc6052_valid_length(prefix->length))
             return shown_text(text) + ": an RFC 6052 prefix has length 32, 40, 48, 56, 64 or 96";
         c.pool6 = prefix;
         return std::nullopt;
     },
     [](const TranslatorConfig& c) { return address_json(c.pool6); },
     [](TranslatorConfig& c) { c.pool6 = kDefaults.pool6; }},
    {"denylist4", "list of IPv4 prefixes", "IPv4 prefixes pool6 never translates (EAMs still do)",
     "",
     [](const json& v, TranslatorConfig& c) -> Refusal {
         std::vector<std::string> list;
         if (auto refusal = read_strings(v, list)) return refusal;
         std::vector<Ipv4Prefix> prefixes;
         for (const auto& item : list) {
             const auto p = Ipv4Prefix::parse(item);
             if (!p) return shown_text(item) + ": " + ipv4_prefix_problem(item);
             prefixes.push_back(*p);
         }
         c.denylist4 = prefixes;
         return std::nullopt;
     },
     [](const TranslatorConfig& c) {
         json list = json::array();
         for (const auto& p : c.denylist4)
             list.push_back(p.to_string());
         return list;
     },
     [](TranslatorConfig& c) { c.denylist4 = kDefaults.denylist4; }},
    setting("pool6791v4", "unicast IPv4 address",
            "RFC 6791 source of translated ICMPv6 errors from routers with no IPv4 form",
            "rfc6791v4-prefix",
            optional_address_setting<Ipv4Address, &TranslatorConfig::pool6791v4>()),
    setting("pool6791v6", "unicast IPv6 address",
            "RFC 6791 source of translated ICMPv4 errors from routers with no IPv6 form",
            "rfc6791v6-prefix",
            optional_address_setting<Ipv6Address, &TranslatorConfig::pool6791v6>()),
    {"own-ipv4", "unicast IPv4 address",
     "source of the ICMPv4 errors siitd sends itself (192.0.0.8: RFC 7600's dummy address)", "",
     [](const json& v, TranslatorConfig& c) { return read_address(v, c.own_ipv4, "IPv4"); },
     [](const TranslatorConfig& c) { return json(c.own_ipv4.to_string()); },
     [](TranslatorConfig& c) { c.own_ipv4 = kDefaults.own_ipv4; }},
    setting("own-ipv6", "unicast IPv6 address",
            "source of the ICMPv6 errors siitd sends itself; unset: own-ipv4 under pool6, else "
            "pool6791v6, else ::",
            "", optional_address_setting<Ipv6Address, &TranslatorConfig::own_ipv6>()),
    setting("reset-traffic-class", "true or false",
            "IPv6 Traffic Class 0 instead of the IPv4 TOS (RFC 7915 §4.1)", "zeroize-traffic-class",
            boolean_setting<&TranslatorConfig::reset_traffic_class>()),
    setting("reset-tos", "true or false", "IPv4 TOS `new-tos` instead of the Traffic Class (§5.1)",
            "override-tos", boolean_setting<&TranslatorConfig::reset_tos>()),
    {"new-tos", "0-255", "the TOS that `reset-tos` writes", "tos",
     [](const json& v, TranslatorConfig& c) { return read_number(v, c.new_tos, 0, 255); },
     [](const TranslatorConfig& c) { return json(c.new_tos); },
     [](TranslatorConfig& c) { c.new_tos = kDefaults.new_tos; }},
    setting("amend-udp-checksum-zero", "true or false",
            "compute the checksum of whole IPv4 UDP packets that carry zero; off, and always for "
            "fragments, they are dropped and answered 3/13 (RFC 7915 §4.5)",
            "amend-udp-checksum-zero",
            boolean_setting<&TranslatorConfig::amend_udp_checksum_zero>()),
    {"lowest-ipv6-mtu", "1280-65535",
     "IPv4 packets with DF=0 are split into IPv6 fragments no larger than this (§4.1)",
     "lowest-ipv6-mtu",
     [](const json& v, TranslatorConfig& c) {
         return read_number(v, c.lowest_ipv6_mtu, 1280, 65535);
     },
     [](const TranslatorConfig& c) { return json(c.lowest_ipv6_mtu); },
     [](TranslatorConfig& c) { c.lowest_ipv6_mtu = kDefaults.lowest_ipv6_mtu; }},
    {"mtu-plateaus", "list of 68-65535",
     "RFC 1191 plateaus, used when an ICMPv4 Fragmentation Needed carries MTU 0 (§4.2)",
     "mtu-plateaus",
     [](const json& v, TranslatorConfig& c) -> Refusal {
         if (!v.is_array() || !std::all_of(v.begin(), v.end(), [](const json& item) {
                 return item.is_number_integer();
             }))
             return "wrong type (expected a list of whole numbers)";
         std::vector<std::uint16_t> plateaus;
         for (const auto& item : v) {
             const auto p = item.get<std::int64_t>();
             if (p < kSmallestIpv4Mtu || p > 65535)
                 return "every plateau must be between 68 (the smallest IPv4 MTU, RFC 791) and "
                        "65535";
             plateaus.push_back(static_cast<std::uint16_t>(p));
         }
         std::sort(plateaus.rbegin(), plateaus.rend());
         c.mtu_plateaus = plateaus;
         return std::nullopt;
     },
     [](const TranslatorConfig& c) { return json(c.mtu_plateaus); },
     [](TranslatorConfig& c) { c.mtu_plateaus = kDefaults.mtu_plateaus; }},
    {"eam-hairpin-mode", "off, simple or intrinsic (or Jool's 0, 1, 2)",
     "RFC 7757 §4.2 hairpinning (docs/eamt.md; every rule: docs/conformance.md)",
     "eam-hairpin-mode",
     [](const json& v, TranslatorConfig& c) -> Refusal {
         // Jool takes the mode's name or its number; so does siitd, everywhere.
         if (v.is_number_integer()) {
             const auto number = v.get<std::int64_t>();
             if (number < 0 || number >= std::ssize(kHairpinModes))
                 return "must be off, simple or intrinsic (or Jool's 0, 1, 2)";
             c.hairpin_mode = kHairpinModes[static_cast<std::size_t>(number)].second;
             return std::nullopt;
         }
         std::string text;
         if (auto refusal = read_as(v, text, "a string")) return refusal;
         for (const auto& [name, mode] : kHairpinModes)
             if (text == name) {
                 c.hairpin_mode = mode;
                 return std::nullopt;
             }
         return "must be off, simple or intrinsic (or Jool's 0, 1, 2)";
     },
     [](const TranslatorConfig& c) {
         for (const auto& [name, mode] : kHairpinModes)
             if (c.hairpin_mode == mode) return json(name);
         return json(nullptr);
     },
     [](TranslatorConfig& c) { c.hairpin_mode = kDefaults.hairpin_mode; }},
};

} // namespace

std::span<const TranslationSetting> translation_settings() {
    return kSettings;
}

const TranslationSetting* find_translation_setting(std::string_view name) {
    for (const auto& s : kSettings)
        if (s.name == name) return &s;
    return nullptr;
}

const TranslationSetting* find_translation_setting_by_jool_name(std::string_view jool) {
    for (const auto& s : kSettings)
        if (!s.jool.empty() && s.jool == jool) return &s;
    return nullptr;
}

std::string default_text(const TranslationSetting& setting) {
    const json value = setting.write(kDefaults);
    return value.is_null() ? "unset" : value.dump();
}

} // namespace siit::control
