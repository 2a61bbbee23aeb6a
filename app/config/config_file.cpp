// JSON configuration parsing; see config.hpp. The schema is documented in docs/siitd.conf.md.
#include "config/config_file.hpp"

#include "control/translation_input.hpp"

#include <arpa/inet.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "control/json_input.hpp"
#include "control/translation_settings.hpp"
#include "siit/problem_cap.hpp"
#include "siit/translation_rules.hpp"

namespace siitd {

using nlohmann::json;

// Collects problems as "FILE: FIELD: REASON".
class ConfigProblems {
  public:
    ConfigProblems(const std::string& file, std::vector<std::string>& out)
        : file_(file), cap_(out) {}
    void add(const std::string& field, const std::string& reason) {
        cap_.add_made([&] { return file_ + ": " + field + ": " + reason; });
    }
    // A problem already written as "FIELD: REASON".
    void add(const std::string& line) {
        cap_.add_made([&] { return file_ + ": " + line; });
    }
    bool any() const { return cap_.any(); }

  private:
    const std::string& file_;
    siit::ProblemCap cap_; // a file of a million bad entries lists the first hundred
};

namespace {

// A name the kernel takes for an interface: 1 to IFNAMSIZ - 1 bytes, none of them a slash, a
// space or a colon.
bool is_interface_name(const std::string& name) {
    return !name.empty() && name.size() <= 15 && name.find_first_of("/ :") == std::string::npos;
}

// Exactly "aa:bb:cc:dd:ee:ff": six pairs of hex digits and five colons, nothing else (no sign,
// no spaces, no single digits), so that what the file says is what siitd uses.
std::optional<std::array<std::uint8_t, 6>> parse_mac(const std::string& text) {
    if (text.size() != 17) return std::nullopt;
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::array<std::uint8_t, 6> mac{};
    for (std::size_t i = 0; i < 6; ++i) {
        const int high = hex(text[3 * i]), low = hex(text[3 * i + 1]);
        if (high < 0 || low < 0 || (i < 5 && text[3 * i + 2] != ':')) return std::nullopt;
        mac[i] = static_cast<std::uint8_t>(high << 4 | low);
    }
    return mac;
}

// Typed field readers: each reports a wrong type or value under the field's full name.
// Whether every item of the list `value` is a whole number: nlohmann converts 1.5 to 1 silently.
bool whole_numbers(const json& value) {
    for (const auto& item : value)
        if (!item.is_number_integer()) return false;
    return true;
}

// `value`, given as `field`, into `out` when it has T's type.
template <typename T>
bool read_value(const json& value, const std::string& field, T& out, ConfigProblems& problems) {
    bool right_type = true;
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
        right_type = value.is_number_integer();
    else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>)
        right_type = value.is_array() && whole_numbers(value);
    try {
        if (right_type) {
            out = value.get<T>();
            return true;
        }
    } catch (const json::exception&) {
    }
    problems.add(field,
                 std::string("wrong type (expected ") +
                     (std::is_same_v<T, bool>                        ? "true or false"
                      : std::is_integral_v<T>                        ? "a whole number"
                      : std::is_same_v<T, std::string>               ? "a string"
                      : std::is_same_v<T, std::vector<std::int64_t>> ? "a list of whole numbers"
                                                                     : "a list of strings") +
                     ")");
    return false;
}

// The member `key` of `object`, read as above when present.
template <typename T>
bool read(const json& object, const char* key, const std::string& path, T& out,
          ConfigProblems& problems) {
    return object.contains(key) && read_value(object.at(key), path + key, out, problems);
}

template <typename T>
void read_number_value(const json& given, const std::string& field, T& out, std::uint64_t min,
                       std::uint64_t max, ConfigProblems& problems) {
    std::int64_t value = 0;
    if (!read_value(given, field, value, problems)) return;
    if (value < static_cast<std::int64_t>(min) || static_cast<std::uint64_t>(value) > max) {
        problems.add(field,
                     "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return;
    }
    out = static_cast<T>(value);
}

template <typename T>
void read_number(const json& object, const char* key, const std::string& path, T& out,
                 std::uint64_t min, std::uint64_t max, ConfigProblems& problems) {
    if (object.contains(key))
        read_number_value(object.at(key), path + key, out, min, max, problems);
}

// The settings that name one of a few choices: each name once, for reading and for writing.
template <typename T> using Choices = std::initializer_list<std::pair<const char*, T>>;
const Choices<Config::EamtPrefetch> kEamtPrefetchModes = {{"auto", Config::EamtPrefetch::automatic},
                                                          {"always", Config::EamtPrefetch::always},
                                                          {"never", Config::EamtPrefetch::never}};

// A setting that names one of `choices`: "must be a, b or c" otherwise.
template <typename T>
void read_choice(const json& value, const std::string& field, Choices<T> choices, T& out,
                 ConfigProblems& problems) {
    std::string text;
    if (!read_value(value, field, text, problems)) return;
    std::string names;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        const auto& [name, value] = choices.begin()[i];
        if (text == name) {
            out = value;
            return;
        }
        names += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + std::string(name);
    }
    problems.add(field, "must be " + names);
}

// The name of `value` among `choices`.
template <typename T> const char* choice_name(Choices<T> choices, T value) {
    for (const auto& [name, v] : choices)
        if (v == value) return name;
    return "";
}

void reject_unknown(const json& object, const std::string& path,
                    std::initializer_list<const char*> known, ConfigProblems& problems) {
    for (const auto& [key, value] : object.items()) {
        bool ok = false;
        for (const char* k : known)
            ok |= key == k;
        if (!ok) problems.add(path + key, "unknown setting");
    }
}

// The translation section, by the rules siitctl checks an importer's output with.
void parse_translation(const json& given, const std::string& path, siit::TranslatorConfig& x,
                       std::optional<std::vector<siit::EamEntry>>& eamt, ConfigProblems& problems) {
    siit::control::read_translation(
        given, path, x, eamt,
        [&](const std::string& field, const std::string& reason) { problems.add(field, reason); });
}

// Reads every key of `keys` that `object` (the section given as `path`) has into `section`, each
// through its row, and refuses every key that `keys` does not name.
template <typename Section>
void read_keys(const json& object, const std::string& path, std::span<const FileKey<Section>> keys,
               Section& section, ConfigProblems& problems) {
    for (const auto& item : object.items()) {
        const std::string& name = item.key();
        if (std::none_of(keys.begin(), keys.end(),
                         [&name](const auto& k) { return k.name == name; }))
            problems.add(path + name, "unknown setting");
    }
    for (const auto& key : keys) {
        const auto found = object.find(key.name);
        if (found == object.end()) continue;
        const std::string field = path + std::string(key.name);
        if (key.set) {
            std::uint64_t value = key.get(section);
            read_number_value(*found, field, value, key.min, key.max, problems);
            key.set(section, value);
        } else {
            key.read(*found, field, section, problems);
        }
    }
}

// The section as the file writes it: every key of `keys`, each through its row.
template <typename Section>
json write_keys(std::span<const FileKey<Section>> keys, const Section& section) {
    json object = json::object();
    for (const auto& key : keys) {
        json value;
        if (key.get)
            object[std::string(key.name)] = key.get(section);
        else if (key.write(section, value))
            object[std::string(key.name)] = std::move(value);
    }
    return object;
}

void parse_port(const json& p, std::size_t index, Config& config, ConfigProblems& problems) {
    const std::string path = "ports[" + std::to_string(index) + "].";
    if (!p.is_object()) {
        problems.add("ports[" + std::to_string(index) + "]", "must be an object");
        return;
    }
    reject_unknown(p, path,
                   {"name", "device", "role", "next-hop-mac", "mac", "mtu", "rx-queues",
                    "kernel-interface", "next-hop", "addresses"},
                   problems);
    PortConfig port;
    port.name = "port" + std::to_string(index);
    read(p, "name", path, port.name, problems);
    if (!read(p, "device", path, port.device, problems))
        problems.add(path + "device", "missing (a PCI address or vdev name)");
    std::string text;
    if (read(p, "role", path, text, problems)) {
        if (text == "ipv4")
            port.role = PortRole::ipv4;
        else if (text == "ipv6")
            port.role = PortRole::ipv6;
        else if (text == "both")
            port.role = PortRole::both;
        else
            problems.add(path + "role", "must be ipv4, ipv6 or both");
    }
    if (read(p, "next-hop-mac", path, text, problems)) {
        if (const auto mac = parse_mac(text))
            port.next_hop_mac = *mac;
        else
            problems.add(path + "next-hop-mac",
                         "'" + text + "' is not a MAC address (aa:bb:cc:dd:ee:ff)");
    }
    if (read(p, "mac", path, text, problems)) {
        const auto mac = parse_mac(text);
        if (!mac)
            problems.add(path + "mac", "'" + text + "' is not a MAC address (aa:bb:cc:dd:ee:ff)");
        else if ((*mac)[0] & 1)
            problems.add(path + "mac", "'" + text +
                                           "' is a multicast address; frames cannot come "
                                           "from one (the first octet's low bit is set)");
        else if (*mac == std::array<std::uint8_t, 6>{})
            problems.add(path + "mac", "00:00:00:00:00:00 cannot be a source address");
        else
            port.mac = *mac;
    }
    read_number(p, "mtu", path, port.mtu, 1280, 9600, problems);
    read_number(p, "rx-queues", path, port.rx_queues, 1, 64, problems);
    if (read(p, "kernel-interface", path, port.kernel_interface, problems) &&
        !is_interface_name(port.kernel_interface))
        problems.add(path + "kernel-interface",
                     "'" + port.kernel_interface + "' is not an interface name (1-15 characters)");
    if (!port.kernel_interface.empty() && port.device.rfind("net_tun", 0) == 0)
        problems.add(path + "kernel-interface",
                     "a net_tun port is a kernel interface already: the kernel routes into it");
    if (read(p, "next-hop", path, port.next_hop, problems)) {
        if (port.next_hop != "kernel" && !siit::Ipv4Address::parse(port.next_hop) &&
            !siit::Ipv6Address::parse(port.next_hop))
            problems.add(path + "next-hop",
                         "'" + port.next_hop + "' is neither an IP address nor \"kernel\"");
        if (port.kernel_interface.empty())
            problems.add(path + "next-hop",
                         "needs kernel-interface (the kernel resolves the next hop there)");
        if (p.contains("next-hop-mac"))
            problems.add(path + "next-hop", "give next-hop (resolved) or next-hop-mac, not both");
    }
    if (read(p, "addresses", path, port.addresses, problems)) {
        if (port.kernel_interface.empty())
            problems.add(path + "addresses", "needs kernel-interface (they are given to it)");
        for (const auto& text : port.addresses)
            if (!parse_interface_address(text))
                problems.add(path + "addresses",
                             "'" + text +
                                 "' is not an address with its prefix length, like 192.0.2.1/24 "
                                 "or 2001:db8::1/64");
    }
    config.ports.push_back(port);
}

// The readers and writers of the keys that are not whole numbers, in the tables' order.

void read_eal(const json& value, const std::string& field, Config& config,
              ConfigProblems& problems) {
    read_value(value, field, config.eal_args, problems);
}
bool write_eal(const Config& config, json& value) {
    value = config.eal_args;
    return true;
}

void read_ports(const json& value, const std::string& field, Config& config,
                ConfigProblems& problems) {
    if (!value.is_array() || value.empty()) {
        problems.add(field, "needs a list of at least one port");
        return;
    }
    for (std::size_t i = 0; i < value.size(); ++i)
        parse_port(value[i], i, config, problems);
}
bool write_ports(const Config& config, json& value) {
    value = json::array();
    for (const auto& p : config.ports) {
        json port = {{"name", p.name},
                     {"device", p.device},
                     {"role", p.role == PortRole::ipv4   ? "ipv4"
                              : p.role == PortRole::ipv6 ? "ipv6"
                                                         : "both"},
                     {"next-hop-mac", mac_to_string(p.next_hop_mac)},
                     {"mtu", p.mtu},
                     {"rx-queues", p.rx_queues}};
        if (p.mac) port["mac"] = mac_to_string(*p.mac);
        if (!p.kernel_interface.empty()) port["kernel-interface"] = p.kernel_interface;
        if (!p.addresses.empty()) port["addresses"] = p.addresses;
        if (!p.next_hop.empty()) {
            port["next-hop"] = p.next_hop;
            port.erase("next-hop-mac");
        }
        value.push_back(port);
    }
    return true;
}

void read_translation_section(const json& value, const std::string& field, Config& config,
                              ConfigProblems& problems) {
    std::optional<std::vector<siit::EamEntry>> eamt;
    parse_translation(value, field + ".", config.translation, eamt, problems);
    if (eamt) config.eamt = std::move(*eamt);
}
bool write_translation_section(const Config& config, json& value) {
    // Unset optional settings are left out: null means "back to the default" only on the socket.
    value = translation_to_json(config.translation, &config.eamt);
    for (auto it = value.begin(); it != value.end();)
        it = it->is_null() ? value.erase(it) : std::next(it);
    return true;
}

void read_eamt_prefetch(const json& value, const std::string& field, Config& config,
                        ConfigProblems& problems) {
    read_choice(value, field, kEamtPrefetchModes, config.eamt_prefetch, problems);
}
bool write_eamt_prefetch(const Config& config, json& value) {
    value = choice_name(kEamtPrefetchModes, config.eamt_prefetch);
    return true;
}

void read_control(const json& value, const std::string& field, Config& config,
                  ConfigProblems& problems) {
    if (!value.is_object())
        problems.add(field, "must be an object");
    else
        read_keys(value, field + ".", control_keys(), config.control, problems);
}
bool write_control(const Config& config, json& value) {
    value = write_keys(control_keys(), config.control);
    return true;
}

void read_metrics(const json& value, const std::string& field, Config& config,
                  ConfigProblems& problems) {
    if (value.is_null()) return;
    std::string error;
    if (!value.is_string())
        problems.add(field, "must be a string (an address and port, or a path) or null");
    else if (!parse_metrics_listen(value.get<std::string>(), config.metrics, error))
        problems.add(field, error);
}
bool write_metrics(const Config& config, json& value) {
    value =
        config.metrics.kind == MetricsListen::Kind::off ? json(nullptr) : json(config.metrics.text);
    return true;
}

void read_announce_interface(const json& value, const std::string& field, Config& config,
                             ConfigProblems& problems) {
    if (value.is_null()) return;
    if (!value.is_string() || !is_interface_name(value.get<std::string>()))
        problems.add(field, value.dump() + " is not an interface name (1-15 characters)");
    else
        config.announce_interface = value.get<std::string>();
}
bool write_announce_interface(const Config& config, json& value) {
    value = config.announce_interface.empty() ? json(nullptr) : json(config.announce_interface);
    return true;
}

void read_socket(const json& value, const std::string& field, ControlConfig& control,
                 ConfigProblems& problems) {
    if (read_value(value, field, control.socket, problems) &&
        (control.socket.empty() || control.socket.size() >= 108))
        problems.add(field, "must be a path of 1 to 107 characters");
}
bool write_socket(const ControlConfig& control, json& value) {
    value = control.socket;
    return true;
}

// The user and group names are looked up here, so that --check-config finds a typo before a
// start does.
void read_owner(const json& value, const std::string& field, ControlConfig& control,
                ConfigProblems& problems) {
    if (read_value(value, field, control.owner, problems) && !getpwnam(control.owner.c_str()))
        problems.add(field, "no user '" + control.owner + "' on this machine");
}
bool write_owner(const ControlConfig& control, json& value) {
    value = control.owner;
    return !control.owner.empty();
}

void read_group(const json& value, const std::string& field, ControlConfig& control,
                ConfigProblems& problems) {
    if (read_value(value, field, control.group, problems) && !getgrnam(control.group.c_str()))
        problems.add(field, "no group '" + control.group + "' on this machine");
}
bool write_group(const ControlConfig& control, json& value) {
    value = control.group;
    return !control.group.empty();
}

void read_mode(const json& value, const std::string& field, ControlConfig& control,
               ConfigProblems& problems) {
    std::string mode;
    if (!read_value(value, field, mode, problems)) return;
    char* end = nullptr;
    const unsigned long bits = std::strtoul(mode.c_str(), &end, 8);
    if (mode.empty() || *end != '\0' || bits > 0777)
        problems.add(field, "'" + mode + "' is not an octal file mode like \"0660\"");
    else
        control.mode = static_cast<std::uint32_t>(bits);
}
bool write_mode(const ControlConfig& control, json& value) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", control.mode);
    value = mode;
    return true;
}

void read_save_directory(const json& value, const std::string& field, ControlConfig& control,
                         ConfigProblems& problems) {
    if (!read_value(value, field, control.save_directory, problems)) return;
    struct stat st {};
    if (control.save_directory.empty() || control.save_directory[0] != '/')
        problems.add(field, "must be an absolute path");
    else if (stat(control.save_directory.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        problems.add(field, "'" + control.save_directory + "' is not a directory");
}
bool write_save_directory(const ControlConfig& control, json& value) {
    value = control.save_directory;
    return !control.save_directory.empty();
}

// A whole number's member, read and written through the key's row.
#define SIITD_NUMBER(member)                                                                       \
    [](const auto& s) -> std::uint64_t { return s.member; },                                       \
        [](auto& s, std::uint64_t v) { s.member = static_cast<decltype(s.member)>(v); }
// Any other key's reader and writer, read_NAME and write_NAME above.
#define SIITD_KEY(name) 0, 0, nullptr, nullptr, read_##name, write_##name

const TopLevelKey kTopLevelKeys[] = {
    {"eal", "list of strings", "`[]`", true,
     "DPDK EAL options, as on a DPDK command line: cores (`-l 0-3`), memory (hugepages with "
     "`--file-prefix siitd`, which lets `dpdk-dumpcap` attach; or `--no-huge -m 512 "
     "--no-shconf`, where only `siitctl capture` can), devices (`--vdev "
     "net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap`, PCI allow list `-a 0000:03:00.0`)",
     SIITD_KEY(eal)},
    {"ports", "list of ports", "required", true,
     "see below; one port of role `both` (one-armed), or one `ipv4` and one `ipv6` (two-armed)",
     SIITD_KEY(ports)},
    {"translation", "object", "required", false,
     "see below; needs `pool6` or at least one EAMT entry; changes live (`siitctl config apply`)",
     SIITD_KEY(translation_section)},
    {"burst", "", "", true, "packets per RX burst", 1, 256, SIITD_NUMBER(burst)},
    {"mbufs", "", "", true,
     "mbufs in each pool: one pool per NUMA socket that has ports, on that socket (virtual "
     "ports: one pool); `siitctl stats` shows how many are in use, summed",
     1023, (1u << 24) - 1, SIITD_NUMBER(mbufs)},
    {"eamt-prefetch", "`auto`, `always`, `never`", "`auto`", true,
     "whether workers take each burst in stages, prefetching its EAMT lookups before translating "
     "it: `auto` when the table outgrows the caches (its arrays over 4 MiB: from about 33 000 "
     "entries), where it saves a quarter to a half of the worker's time (`docs/dataplane.md`); "
     "`always` and `never` force it on or off. The output is the same either way",
     SIITD_KEY(eamt_prefetch)},
    {"icmp-errors-per-second", "", "", true,
     "ICMP errors each worker may generate per second (token bucket, RFC 4443 §2.4(f)); 0: none "
     "(RFC 7915 §4.4, §5.4)",
     0, 1000000, SIITD_NUMBER(icmp_errors_per_second)},
    {"icmp-error-burst", "", "", true, "token bucket depth", 1, 100000,
     SIITD_NUMBER(icmp_error_burst)},
    {"kernel-packets-per-second", "", "", true,
     "frames each worker hands to the box's kernel interfaces per second (ARP, NDP, routing "
     "protocols, traffic to the box's addresses; token bucket): a flood to the box is dropped "
     "here, counted `drop_kernel_rate_limited`, and cannot starve translation",
     1, 10000000, SIITD_NUMBER(kernel_packets_per_second)},
    {"kernel-packet-burst", "", "", true, "its token bucket depth", 1, 1000000,
     SIITD_NUMBER(kernel_packet_burst)},
    {"control", "object", "see below", true, "the control socket siitctl talks to",
     SIITD_KEY(control)},
    {"metrics", "`\"IPV4:PORT\"`, `\"[IPV6]:PORT\"`, an absolute path, or null", "null (off)", true,
     "where siitd serves its counters, ports, workers and EAMT to Prometheus (text format, `GET "
     "/metrics`): a TCP address and port, or a Unix socket it creates (`docs/operations.md`). "
     "Anyone who can connect can read them: prefer a loopback address or a socket",
     SIITD_KEY(metrics)},
    {"announce-interface", "interface name (1-15 characters), or null", "null (none)", true,
     "a tap siitd creates and holds while it runs, up only while the workers translate, "
     "every port's link is up and the box is not draining (`siitctl drain`); a "
     "routing daemon ties the pools' announcements to it, so that a box that dies, loses a link "
     "or drains withdraws them (`deploy/fleet.md`)",
     SIITD_KEY(announce_interface)},
};

const ControlKey kControlKeys[] = {
    {"socket", "path", "`/run/siitd/siitd.sock`", true,
     "the Unix socket (`siitd --socket` overrides it); its directory is created if missing",
     SIITD_KEY(socket)},
    {"owner", "user name", "siitd's user", true,
     "owner of the socket; `--check-config` refuses a user that does not exist", SIITD_KEY(owner)},
    {"group", "group name", "siitd's group", true,
     "the group allowed to use siitctl (every command but the privileged ones, "
     "docs/security.md); `--check-config` refuses a group that does not exist",
     SIITD_KEY(group)},
    {"mode", "octal string", "`\"0660\"`", true, "the socket's permissions", SIITD_KEY(mode)},
    {"max-clients", "", "", true, "connections served at once; more are refused with a reason", 1,
     10000, SIITD_NUMBER(max_clients)},
    {"max-message-bytes", "", "", true,
     "the largest request (a million EAMT entries fit in the default)", 4096, 1u << 30,
     SIITD_NUMBER(max_message_bytes)},
    {"client-timeout-ms", "", "", true,
     "time for a client to send a whole request (or read a reply) before it is disconnected; a "
     "`siitctl capture` reader that takes nothing for this long is cut off too",
     10, 3600000, SIITD_NUMBER(client_timeout_ms)},
    {"save-directory", "absolute path of a directory", "none", true,
     "where `siitctl config save FILE` may write besides the file siitd was started from (files "
     "directly inside it, no symbolic links)",
     SIITD_KEY(save_directory)},
};
#undef SIITD_KEY
#undef SIITD_NUMBER

} // namespace

std::vector<std::string> eal_vdevs(const std::vector<std::string>& eal_args) {
    std::vector<std::string> vdevs;
    for (std::size_t i = 0; i < eal_args.size(); ++i) {
        if (eal_args[i] == "--vdev" && i + 1 < eal_args.size())
            vdevs.push_back(eal_args[i + 1]);
        else if (eal_args[i].rfind("--vdev=", 0) == 0)
            vdevs.push_back(eal_args[i].substr(7));
    }
    return vdevs;
}

std::string vdev_interface(const std::vector<std::string>& eal_args, const std::string& device) {
    if (device.rfind("net_af_packet", 0) != 0 && device.rfind("net_af_xdp", 0) != 0) return "";
    for (const std::string& vdev : eal_vdevs(eal_args)) {
        if (vdev.substr(0, vdev.find(',')) != device) continue;
        for (std::size_t at = vdev.find(','); at != std::string::npos; at = vdev.find(',', at + 1))
            if (vdev.compare(at + 1, 6, "iface=") == 0)
                return vdev.substr(at + 7, vdev.find(',', at + 1) - (at + 7));
    }
    return "";
}

std::optional<InterfaceAddress> parse_interface_address(const std::string& text) {
    const auto slash = text.find('/');
    if (slash == std::string::npos || slash + 1 == text.size() || slash + 4 < text.size())
        return std::nullopt;
    const std::string length_text = text.substr(slash + 1);
    if (length_text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const int length = std::stoi(length_text);
    InterfaceAddress a;
    a.length = static_cast<std::uint8_t>(length);
    if (const auto v4 = siit::Ipv4Address::parse(text.substr(0, slash))) {
        a.ipv4 = *v4;
        return length <= 32 ? std::optional(a) : std::nullopt;
    }
    if (const auto v6 = siit::Ipv6Address::parse(text.substr(0, slash))) {
        a.ipv6 = *v6;
        return length <= 128 ? std::optional(a) : std::nullopt;
    }
    return std::nullopt;
}

std::span<const TopLevelKey> top_level_keys() {
    return kTopLevelKeys;
}

std::span<const ControlKey> control_keys() {
    return kControlKeys;
}

std::optional<Config> parse_config(const std::string& text, const std::string& file,
                                   std::vector<std::string>& errors) {
    ConfigProblems problems(file, errors);
    auto input = siit::control::parse_json_input(text);
    if (!input.value) {
        problems.add(input.field.empty() ? "(file)" : input.field, input.reason);
        return std::nullopt;
    }
    json root = std::move(*input.value);
    const siit::control::ReleaseJson release{root};
    if (!root.is_object()) {
        problems.add("(file)", "must be a JSON object");
        return std::nullopt;
    }
    Config config;
    read_keys(root, "", top_level_keys(), config, problems);
    // The rules between keys.
    if (!root.contains("ports")) problems.add("ports", "needs a list of at least one port");
    for (const auto& p : config.ports)
        if (!config.announce_interface.empty() && p.kernel_interface == config.announce_interface)
            problems.add("announce-interface", "'" + config.announce_interface + "' is also port " +
                                                   p.name + "'s kernel-interface");
    // The rules every running version keeps too (control commands, config.apply).
    for (const auto& line : siit::check_translation(config.translation, config.eamt.size()))
        problems.add(line);

    // Topology: one port of role "both", or one "ipv4" and one "ipv6".
    unsigned v4 = 0, v6 = 0, both = 0;
    for (const auto& p : config.ports)
        (p.role == PortRole::ipv4 ? v4 : p.role == PortRole::ipv6 ? v6 : both)++;
    if (config.ports.size() > kMaxPorts)
        problems.add("ports", "at most " + std::to_string(kMaxPorts) + " ports");
    if (!config.ports.empty() &&
        !((both == 1 && v4 == 0 && v6 == 0) || (both == 0 && v4 == 1 && v6 == 1)))
        problems.add("ports", "one port with role \"both\" (one-armed), or one \"ipv4\" and one "
                              "\"ipv6\" port (two-armed)");
    if (problems.any()) return std::nullopt;
    return config;
}

std::size_t config_file_limit(std::uint32_t max_message_bytes) {
    return std::max<std::size_t>(siit::control::kMaxConfigFileBytes, max_message_bytes);
}

std::optional<Config> load_config(const std::string& file, std::vector<std::string>& errors,
                                  std::size_t limit, siit::control::FileIdentity* identity) {
    auto read = siit::control::read_regular_file(file, limit, "siitd reads of its configuration");
    if (!read.text) {
        errors.push_back(read.problem);
        return std::nullopt;
    }
    if (identity) *identity = read.identity;
    return parse_config(*read.text, file, errors);
}

bool overlay_translation(const json& translation, const std::string& where,
                         siit::TranslatorConfig& config,
                         std::optional<std::vector<siit::EamEntry>>& eamt,
                         std::vector<std::string>& errors) {
    const std::size_t before = errors.size();
    ConfigProblems problems(where, errors);
    parse_translation(translation, "", config, eamt, problems);
    return errors.size() == before;
}

std::string mac_to_string(const std::array<std::uint8_t, 6>& mac) {
    char text[18];
    std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
                  mac[3], mac[4], mac[5]);
    return text;
}

json translation_to_json(const siit::TranslatorConfig& x, const std::vector<siit::EamEntry>* eamt) {
    json t = json::object();
    for (const auto& setting : siit::control::translation_settings())
        t[std::string(setting.name)] = setting.write(x);
    if (eamt) {
        t["eamt"] = json::array();
        for (const auto& e : *eamt)
            t["eamt"].push_back({{"ipv4", e.prefix4.to_string()}, {"ipv6", e.prefix6.to_string()}});
    }
    return t;
}

namespace {

// `value` without the members `defaults` has with the same value, objects compared member by
// member (a port's fields, the translation's settings, control's), lists as a whole.
json without(const json& value, const json& defaults) {
    if (!value.is_object() || !defaults.is_object()) return value;
    json out = json::object();
    for (const auto& [key, item] : value.items()) {
        if (!defaults.contains(key)) {
            out[key] = item;
        } else if (item.is_object()) {
            json inner = without(item, defaults[key]);
            if (!inner.empty()) out[key] = std::move(inner);
        } else if (item != defaults[key]) {
            out[key] = item;
        }
    }
    return out;
}

} // namespace

json config_to_json_without_defaults(const Config& config) {
    Config defaults;
    defaults.ports = config.ports; // compared one by one below
    json out = without(config_to_json(config), config_to_json(defaults));
    // What every file says: its EAL options, its ports (each without its default fields) and its
    // translation's addresses.
    const json full = config_to_json(config);
    out["eal"] = full["eal"];
    out["ports"] = json::array();
    for (std::size_t i = 0; i < config.ports.size(); ++i) {
        PortConfig plain;
        plain.name = config.ports[i].name;
        plain.device = config.ports[i].device;
        Config one;
        one.ports = {plain};
        json port = without(full["ports"][i], config_to_json(one)["ports"][0]);
        port["name"] = plain.name;
        port["device"] = plain.device;
        out["ports"].push_back(port);
    }
    if (!out.contains("translation")) out["translation"] = json::object();
    for (const char* kept : {"pool6", "eamt"})
        if (full["translation"].contains(kept))
            out["translation"][kept] = full["translation"][kept];
    return out;
}

json config_to_json(const Config& config) {
    return write_keys(top_level_keys(), config);
}

bool parse_metrics_listen(const std::string& text, MetricsListen& listen, std::string& error) {
    MetricsListen parsed;
    parsed.text = text;
    if (!text.empty() && text[0] == '/') {
        if (text.size() >= 108) { // sockaddr_un's sun_path, with its terminating zero
            error = "'" + text + "': a Unix socket path has at most 107 bytes";
            return false;
        }
        parsed.kind = MetricsListen::Kind::unix_socket;
        listen = parsed;
        return true;
    }
    const std::size_t colon = text.rfind(':');
    const auto bad = [&] {
        error = "'" + text +
                "' is not an address and port (\"127.0.0.1:9417\", \"[::1]:9417\") nor an "
                "absolute path";
        return false;
    };
    if (colon == std::string::npos || colon + 1 == text.size()) return bad();
    std::string address = text.substr(0, colon);
    const std::string port = text.substr(colon + 1);
    const bool bracketed = address.size() >= 2 && address.front() == '[' && address.back() == ']';
    if (bracketed) address = address.substr(1, address.size() - 2);
    unsigned char bytes[16];
    const bool v4 = !bracketed && inet_pton(AF_INET, address.c_str(), bytes) == 1;
    const bool v6 = bracketed && inet_pton(AF_INET6, address.c_str(), bytes) == 1;
    if (!v4 && !v6) return bad();
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return bad();
    const unsigned long number = std::stoul(port);
    if (number < 1 || number > 65535) {
        error = "'" + text + "': the port must be 1-65535";
        return false;
    }
    parsed.kind = MetricsListen::Kind::tcp;
    parsed.address = address;
    parsed.port = static_cast<std::uint16_t>(number);
    listen = parsed;
    return true;
}

} // namespace siitd
