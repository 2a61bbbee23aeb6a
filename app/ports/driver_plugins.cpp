// The driver plugins a configuration needs; see driver_plugins.hpp.
#include "ports/driver_plugins.hpp"

#include <rte_build_config.h>

#include <filesystem>
#include <map>

namespace siitd {

namespace {

// A --vdev's driver name (its name without the instance number) to the plugin library that
// provides it: the drivers siitd's documentation names. Other drivers are left to the EAL.
const std::map<std::string, std::string>& plugin_of_driver() {
    static const std::map<std::string, std::string> plugins{
        {"net_af_packet", "net_af_packet"},
        {"eth_af_packet", "net_af_packet"},
        {"net_af_xdp", "net_af_xdp"},
        {"net_tap", "net_tap"},
        {"net_tun", "net_tap"},
        {"net_pcap", "net_pcap"},
        {"net_null", "net_null"},
        {"net_ring", "net_ring"},
        {"net_virtio_user", "net_virtio"},
        {"net_vhost", "net_vhost"},
        {"net_bonding", "net_bond"},
    };
    return plugins;
}

// "net_af_packet0,iface=eth1" -> "net_af_packet".
std::string driver_of_vdev(const std::string& vdev) {
    std::string name = vdev.substr(0, vdev.find(','));
    while (!name.empty() && name.back() >= '0' && name.back() <= '9')
        name.pop_back();
    return name;
}

// Debian's package for plugin "net_af_packet" of ABI 23: librte-net-af-packet23 (a hyphen before
// the ABI where the name ends in a digit: librte-net-e1000-23).
std::string debian_package(std::string plugin, const std::string& abi) {
    for (char& c : plugin)
        if (c == '_') c = '-';
    const bool ends_in_digit = !plugin.empty() && plugin.back() >= '0' && plugin.back() <= '9';
    return "librte-" + plugin + (ends_in_digit ? "-" : "") + abi;
}

bool has_plugin(const std::vector<std::string>& files, const std::string& plugin) {
    const std::string stem = "librte_" + plugin + ".so";
    for (const auto& file : files)
        if (file.rfind(stem, 0) == 0) return true;
    return false;
}

} // namespace

std::string driver_plugin_dir() {
#ifdef RTE_EAL_PMD_PATH
    return RTE_EAL_PMD_PATH;
#else
    return "";
#endif
}

std::vector<std::string> missing_driver_plugins(const Config& config,
                                                const std::string& plugin_dir) {
    std::vector<std::string> errors;
    std::error_code ec;
    if (plugin_dir.empty() || !std::filesystem::is_directory(plugin_dir, ec)) return errors;
    // The plugin directory is named after the ABI: .../dpdk/pmds-23.0.
    const std::string leaf = std::filesystem::path(plugin_dir).filename().string();
    const std::string abi = leaf.rfind("pmds-", 0) == 0 ? leaf.substr(5, leaf.find('.') - 5) : "";
    std::vector<std::string> files; // read once: several ports may need the same plugin
    for (const auto& entry : std::filesystem::directory_iterator(plugin_dir, ec))
        files.push_back(entry.path().filename().string());
    const auto require = [&](const std::string& plugin, const std::string& who) {
        if (has_plugin(files, plugin)) return;
        std::string message = who + " needs DPDK's " + plugin +
                              " driver, which is not installed (no librte_" + plugin + ".so in " +
                              plugin_dir + ")";
        if (!abi.empty()) message += "; on Debian: apt install " + debian_package(plugin, abi);
        errors.push_back(message);
    };
    require("mempool_ring", "every mbuf pool");
    for (const std::string& vdev : eal_vdevs(config.eal_args)) {
        const auto known = plugin_of_driver().find(driver_of_vdev(vdev));
        if (known != plugin_of_driver().end())
            require(known->second, "--vdev " + vdev.substr(0, vdev.find(',')));
    }
    for (const PortConfig& port : config.ports)
        if (!port.kernel_interface.empty())
            require("net_tap",
                    "port " + port.name + "'s kernel interface " + port.kernel_interface);
    return errors;
}

} // namespace siitd
