// Jool atomic configuration import; see jool_import.hpp. Key names are Jool 4's; the older names
// (blacklist, pool6791, top-level pool6) are accepted as Jool itself still does.
#include "jool_import.hpp"

#include <arpa/inet.h>

#include <set>

#include "control/translation_settings.hpp"

namespace siitctl {

namespace {

using nlohmann::json;

// Jool's RFC 6791 settings are prefixes (it picks an address inside); siitd holds one address per
// family: the prefix's first usable address.
std::string first_address(const std::string& prefix, bool v4, std::vector<std::string>& warnings) {
    const auto slash = prefix.find('/');
    const std::string address = prefix.substr(0, slash);
    if (slash == std::string::npos) return address;
    const int length = std::atoi(prefix.c_str() + slash + 1);
    if ((v4 && length >= 31) || (!v4 && length >= 127)) return address;
    if (v4) {
        in_addr a{};
        if (inet_pton(AF_INET, address.c_str(), &a) != 1) return prefix; // refused later, by name
        a.s_addr = htonl(ntohl(a.s_addr) + 1);
        char text[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &a, text, sizeof text);
        warnings.push_back("rfc6791v4-prefix " + prefix + ": siitd uses one address, " + text);
        return text;
    }
    in6_addr a{};
    if (inet_pton(AF_INET6, address.c_str(), &a) != 1) return prefix;
    ++a.s6_addr[15];
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &a, text, sizeof text);
    warnings.push_back("rfc6791v6-prefix " + prefix + ": siitd uses one address, " + text);
    return text;
}

// Jool takes any plateau from 1 to 65535; siitd takes 68-65535 (translation_settings.cpp): an
// IPv4 link's MTU is never below 68 (RFC 791: every module forwards a 68-octet datagram), so a
// plateau below it can never be a path's MTU. Leaving such plateaus out changes no translation:
// where the list has no plateau below the packet siitd takes 68, and a Packet Too Big never says
// less than 1280 (RFC 7915 §4.2, RFC 8200 §5), so Jool's documented example [1, 2, 3, 4, 5, 6]
// and siitd's [] give 1280 alike.
json mtu_plateaus(const json& value, std::vector<std::string>& warnings) {
    if (!value.is_array()) return value; // refused by siitd's rule, with its reason
    json kept = json::array();
    std::string left_out;
    for (const auto& plateau : value) {
        if (plateau.is_number_integer() && plateau.get<std::int64_t>() >= 1 &&
            plateau.get<std::int64_t>() < siit::kSmallestIpv4Mtu)
            left_out += (left_out.empty() ? "" : ", ") + plateau.dump();
        else
            kept.push_back(plateau);
    }
    if (!left_out.empty())
        warnings.push_back("global.mtu-plateaus: " + left_out + " left out: below " +
                           std::to_string(siit::kSmallestIpv4Mtu) +
                           ", the smallest IPv4 MTU (RFC 791), so never a path's MTU; the "
                           "translation is the same (a Packet Too Big never says less than 1280)");
    return kept;
}

// Jool's frameworks (Jool's "atomic configuration" documentation): netfilter translates every
// packet that reaches the namespace; iptables only what a JOOL_SIIT rule sends it.
void read_framework(const json& value, std::vector<std::string>& warnings,
                    std::vector<std::string>& errors) {
    if (value == "netfilter") return; // what siitd does: it translates all it receives
    if (value == "iptables")
        warnings.push_back("framework iptables: Jool translated only the packets its iptables "
                           "rules sent to it; siitd translates every packet that reaches its "
                           "ports for pool6 or the EAMT, so route only that traffic to it");
    else
        errors.push_back("framework: " + value.dump() + " is neither netfilter nor iptables");
}

} // namespace

json jool_to_translation(const json& jool, std::vector<std::string>& warnings,
                         std::vector<std::string>& errors) {
    json t = json::object();
    if (!jool.is_object()) {
        errors.push_back("a Jool configuration is a JSON object");
        return t;
    }
    auto prefix_list = [&](const json& value, const std::string& name) {
        json list = json::array();
        if (!value.is_array()) {
            errors.push_back(name + ": must be a list of IPv4 prefixes");
            return list;
        }
        for (const auto& item : value) {
            if (item.is_string())
                list.push_back(item);
            else
                errors.push_back(name + ": " + item.dump() + " is not a prefix");
        }
        return list;
    };
    for (const auto& [key, value] : jool.items()) {
        if (key == "instance" || key == kJoolCommentKey) continue;
        if (key == "framework") {
            read_framework(value, warnings, errors);
        } else if (key == "pool6") {
            t["pool6"] = value;
        } else if (key == "eamt") {
            if (!value.is_array()) {
                errors.push_back("eamt: must be a list");
                continue;
            }
            t["eamt"] = json::array();
            for (std::size_t i = 0; i < value.size(); ++i) {
                const json& e = value[i];
                const std::string where = "eamt[" + std::to_string(i) + "]";
                if (!e.is_object() || !e.contains("ipv4 prefix") || !e.contains("ipv6 prefix")) {
                    errors.push_back(where + ": needs \"ipv4 prefix\" and \"ipv6 prefix\"");
                    continue;
                }
                // As Jool: an entry holds its two prefixes and any comments, nothing else.
                for (const auto& [name, v] : e.items())
                    if (name != "ipv4 prefix" && name != "ipv6 prefix" && name != kJoolCommentKey)
                        errors.push_back(where + "." + name + ": not part of a Jool EAMT entry");
                t["eamt"].push_back({{"ipv4", e["ipv4 prefix"]}, {"ipv6", e["ipv6 prefix"]}});
            }
        } else if (key == "denylist4" || key == "blacklist4" || key == "blacklist") {
            t["denylist4"] = prefix_list(value, key);
        } else if (key == "pool6791" || key == "pool6791v4") {
            const json list = prefix_list(value, key);
            if (list.size() > 1)
                warnings.push_back(key + ": siitd holds one IPv4 address; using the first prefix");
            t["pool6791v4"] = list.empty()
                                  ? json(nullptr)
                                  : json(first_address(list[0].get<std::string>(), true, warnings));
        } else if (key == "global") {
            if (!value.is_object()) {
                errors.push_back("global: must be an object");
                continue;
            }
            static const std::set<std::string> ignored = {"manually-enabled", "logging-debug",
                                                          "randomize-rfc6791-addresses", "trace",
                                                          "enabled"};
            for (const auto& [name, v] : value.items()) {
                if (name == kJoolCommentKey) continue;
                // The settings table names Jool's global for each siitd setting that has one.
                const auto* setting = siit::control::find_translation_setting_by_jool_name(name);
                if (setting && (setting->name == "pool6791v4" || setting->name == "pool6791v6")) {
                    // Jool's is a prefix; siitd takes its first address.
                    const bool v4 = setting->name == "pool6791v4";
                    t[std::string(setting->name)] =
                        v.is_string() ? json(first_address(v.get<std::string>(), v4, warnings))
                                      : json(nullptr);
                } else if (setting && setting->name == "mtu-plateaus") {
                    t["mtu-plateaus"] = mtu_plateaus(v, warnings);
                } else if (setting) {
                    t[std::string(setting->name)] = v;
                } else if (ignored.count(name)) {
                    warnings.push_back("global." + name + ": no siitd equivalent; ignored");
                } else {
                    warnings.push_back("global." + name +
                                       ": not a Jool SIIT setting siitd "
                                       "knows; ignored");
                }
            }
        } else {
            warnings.push_back(key + ": not part of a Jool SIIT configuration; ignored");
        }
    }
    return t;
}

void replace_whole(json& translation, std::vector<std::string>& warnings) {
    for (const auto& setting : siit::control::translation_settings())
        if (!translation.contains(std::string(setting.name)))
            translation[std::string(setting.name)] = nullptr;
    if (!translation.contains("eamt")) translation["eamt"] = nullptr;
    // Jool's defaults that are not siitd's (Jool 4's documentation of its globals).
    if (translation["amend-udp-checksum-zero"].is_null())
        warnings.push_back("amend-udp-checksum-zero is not in the file: Jool's default is false "
                           "(IPv4 UDP with checksum zero dropped), siitd's is true (its checksum "
                           "computed); give global.amend-udp-checksum-zero: false to keep Jool's "
                           "behaviour");
}

} // namespace siitctl
