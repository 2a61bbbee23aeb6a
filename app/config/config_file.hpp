// siitd's configuration file: EAL options, ports, and the translation settings, as JSON.
// A bad file is refused with the file, the field and the reason (every problem, not the first).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "control/regular_file.hpp"
#include "siit/eam.hpp"
#include "siit/translator_config.hpp"

namespace siitd {

// Which packets a port carries: its translated traffic leaves through the port of the other
// family; a port with role "both" is one-armed (translated packets leave where they came in).
enum class PortRole : std::uint8_t { ipv4, ipv6, both };

// Ports a configuration may have (two-armed uses two, each with its kernel interface); the
// configuration refuses more, and per-port counters and tables are sized for it.
inline constexpr std::size_t kMaxPorts = 8;

struct PortConfig {
    std::string name; // for logs and counters
    std::string
        device; // a PCI address or a vdev name as EAL knows it ("net_pcap0", "0000:03:00.0")
    PortRole role = PortRole::both;
    std::array<std::uint8_t, 6> next_hop_mac{}; // destination MAC of translated packets sent here
    std::optional<std::array<std::uint8_t, 6>> mac; // override the port's own MAC
    std::uint32_t mtu = 1500;
    std::uint16_t rx_queues = 1;
    // The exception path (docs/router-box.md): the kernel interface (net_tap) siitd creates for
    // this port, and the next hop whose MAC the kernel resolves on it (instead of next_hop_mac).
    std::string kernel_interface;
    std::string next_hop;
    // The box's own addresses on the kernel interface, "192.0.2.1/24": siitd gives them to it at
    // every start, so that a restart leaves the box as configured (kernel/addresses.cpp).
    std::vector<std::string> addresses;
};

// The control socket (docs/control-api.md).
struct ControlConfig {
    std::string socket = "/run/siitd/siitd.sock";
    std::string owner; // user name the socket belongs to; empty: siitd's user
    std::string group; // group allowed to use it; empty: siitd's group
    std::uint32_t mode = 0660;
    std::uint32_t max_clients = 64;
    std::uint32_t max_message_bytes = 64u << 20; // a million EAMT entries fit
    std::uint32_t client_timeout_ms = 5000;      // for a request to arrive whole once begun
    // Where `config save` may write besides the file siitd started from; empty: nowhere else.
    std::string save_directory;
};

// Where siitd serves its metrics page (`metrics`, Prometheus text format): nowhere (the default),
// a TCP address and port, or a Unix socket.
struct MetricsListen {
    enum class Kind : std::uint8_t { off, tcp, unix_socket } kind = Kind::off;
    std::string text;    // as the file writes it: "127.0.0.1:9417", "[::1]:9417", "/run/x.sock"
    std::string address; // tcp: the IPv4 or IPv6 address, without brackets
    std::uint16_t port = 0;
};
// Reads `metrics`'s value: "IPV4:PORT", "[IPV6]:PORT" or an absolute path. False, with the reason,
// for anything else (a host name, a port out of 1-65535, a relative path).
bool parse_metrics_listen(const std::string& text, MetricsListen& listen, std::string& error);

struct Config {
    std::vector<std::string> eal_args; // passed to rte_eal_init after the program name
    std::vector<PortConfig> ports;
    siit::TranslatorConfig translation;
    std::vector<siit::EamEntry> eamt;
    std::uint16_t burst = 32;
    std::uint32_t mbufs = 8191;
    // Whether workers prefetch a burst's EAMT lookups in stages before translating it: `auto`
    // when the table outgrows the caches (siit::EamTable::prefetch_worthwhile), or always, or
    // never.
    enum class EamtPrefetch : std::uint8_t { automatic, always, never };
    EamtPrefetch eamt_prefetch = EamtPrefetch::automatic;
    // ICMP errors the translator generates, per worker: a token bucket (RFC 4443 §2.4(f)).
    std::uint32_t icmp_errors_per_second = 1000;
    std::uint32_t icmp_error_burst = 50;
    // Frames each worker hands to the kernel interfaces: a token bucket, so that a flood to the
    // box's own addresses cannot starve translation (the exception path, docs/af_xdp.md).
    std::uint32_t kernel_packets_per_second = 10000;
    std::uint32_t kernel_packet_burst = 1000;
    ControlConfig control;
    MetricsListen metrics;
    // The tap that is up only while this box should be sent traffic (observe/announce.hpp);
    // empty: none.
    std::string announce_interface;
};

// Whether workers take bursts in stages with their EAMT lookups prefetched, under `mode`, for a
// table whose EamTable::prefetch_worthwhile() is `worthwhile`.
inline bool eamt_lookups_prefetched(Config::EamtPrefetch mode, bool worthwhile) {
    return mode == Config::EamtPrefetch::always ||
           (mode == Config::EamtPrefetch::automatic && worthwhile);
}

// Parses `text` (the contents of `file`). On failure returns nothing and fills `errors` with one
// line per problem: "FILE: FIELD: REASON".
std::optional<Config> parse_config(const std::string& text, const std::string& file,
                                   std::vector<std::string>& errors);
// The most siitd reads of its configuration file: 64 MiB, or control.max-message-bytes when that
// is larger (a file always fits in the request that config.apply would send).
std::size_t config_file_limit(std::uint32_t max_message_bytes);
// Reads `file` by the one rule for outside files (control/regular_file.hpp: a regular file, at
// most `limit` bytes, never waiting on a FIFO) and parses it; `identity`, when given, receives
// the identity of what was read.
std::optional<Config> load_config(const std::string& file, std::vector<std::string>& errors,
                                  std::size_t limit = config_file_limit(0),
                                  siit::control::FileIdentity* identity = nullptr);

// A kernel interface's address, "192.0.2.1/24" or "2001:db8::1/64": unlike a prefix, its host
// bits are the point.
struct InterfaceAddress {
    std::optional<siit::Ipv4Address> ipv4;
    std::optional<siit::Ipv6Address> ipv6;
    std::uint8_t length = 0;
};
std::optional<InterfaceAddress> parse_interface_address(const std::string& text);

// The EAL's --vdev arguments ("net_af_packet0,iface=eth1"), in order.
std::vector<std::string> eal_vdevs(const std::vector<std::string>& eal_args);

// The kernel interface a net_af_packet or net_af_xdp port `device` runs on (its --vdev's iface=),
// whose carrier is that port's link state; "" for any other port.
std::string vdev_interface(const std::vector<std::string>& eal_args, const std::string& device);

// Where a key's reader reports what is wrong: "FIELD: REASON" under the file's name
// (config_file.cpp).
class ConfigProblems;

// A key of one section of the file (the top level, `control`), declared once: its name, what it
// takes, its default, whether changing it needs a restart, and one line of documentation, and how
// it is read and written. A whole number names its range and its member: the parser reads it and
// refuses what is outside, config_to_json writes it, and its values and default text come from
// those (key_values, key_default), so that neither is ever written by hand. Any other key names
// its reader and its writer, which the parser and config_to_json call for it, and nothing else.
template <typename Section> struct FileKey {
    std::string_view name;
    std::string_view values;       // what it takes; empty for a whole number ("MIN-MAX")
    std::string_view default_text; // empty for a whole number (its default in Section{})
    bool needs_restart;
    std::string_view meaning;
    // A whole number:
    std::uint64_t min = 0, max = 0;
    std::uint64_t (*get)(const Section&) = nullptr;
    void (*set)(Section&, std::uint64_t) = nullptr;
    // Any other key: reads `value`, which the file gives as `field`, into the section; writes the
    // section's value into `value`, or returns false where the file leaves the key out.
    void (*read)(const nlohmann::json& value, const std::string& field, Section& section,
                 ConfigProblems& problems) = nullptr;
    bool (*write)(const Section& section, nlohmann::json& value) = nullptr;
};
// The file's top-level keys. The parser refuses any other key, config.apply refuses a change to a
// key that needs a restart, and docs/siitd.conf.md's top-level table is these rows (a unit test
// checks it, and that config_to_json writes exactly these keys). The translation settings have
// their own table (lib/control/translation_settings.hpp).
using TopLevelKey = FileKey<Config>;
std::span<const TopLevelKey> top_level_keys();
// The `control` section's keys, likewise (docs/siitd.conf.md's Control table); they all need a
// restart.
using ControlKey = FileKey<ControlConfig>;
std::span<const ControlKey> control_keys();
// What a key takes and its default, as docs/siitd.conf.md writes them.
template <typename Section> std::string key_values(const FileKey<Section>& key) {
    return key.get ? std::to_string(key.min) + "-" + std::to_string(key.max)
                   : std::string(key.values);
}
template <typename Section> std::string key_default(const FileKey<Section>& key) {
    return key.get ? std::to_string(key.get(Section{})) : std::string(key.default_text);
}

// Applies the settings in `translation` (an object with the keys of the file's "translation"
// section) on top of `config`; a key whose value is null goes back to its default. When the object
// has "eamt", `eamt` receives its entries. Returns false, with one "WHERE: FIELD: REASON" line per
// problem in `errors`, when anything is wrong; `config` may then be partly changed, so callers
// work on a copy.
bool overlay_translation(const nlohmann::json& translation, const std::string& where,
                         siit::TranslatorConfig& config,
                         std::optional<std::vector<siit::EamEntry>>& eamt,
                         std::vector<std::string>& errors);
// The translation settings as the file's "translation" section, every key present (the EAMT only
// when `eamt` is given).
nlohmann::json translation_to_json(const siit::TranslatorConfig& config,
                                   const std::vector<siit::EamEntry>* eamt);
// A whole configuration file that parse_config reads back to `config`.
nlohmann::json config_to_json(const Config& config);
// The same, leaving out every setting whose value is its default (ports, EAL options and the
// translation's pool6 and EAMT always stay): what `config save` writes, so that a file says what
// its operator chose, and a later siitd's better default still applies.
nlohmann::json config_to_json_without_defaults(const Config& config);
// "aa:bb:cc:dd:ee:ff".
std::string mac_to_string(const std::array<std::uint8_t, 6>& mac);

} // namespace siitd
