// What a port needs from the machine (app/ports/environment.cpp, app/ports/driver_plugins.cpp): the
// reasons --check-config and the start give before DPDK would fail with a driver's error.
#include <catch2/catch.hpp>

#include "config/config_file.hpp"
#include "ports/driver_plugins.hpp"
#include "ports/environment.hpp"
#include "temp_dir.hpp"

#include <filesystem>
#include <fstream>

using namespace siitd;

namespace {

// A configuration of the EAL options `eal` and the ports `ports` (JSON list items).
Config config_from(const std::string& eal, const std::string& ports) {
    const std::string text = R"({"eal": [)" + eal + R"(], "ports": [)" + ports +
                             R"(], "translation": {"pool6": "2001:db8:64::/96"}})";
    std::vector<std::string> errors;
    const auto config = parse_config(text, "test.json", errors);
    REQUIRE(errors.empty());
    return *config;
}

// One port `device` of the given MTU, over the --vdev `vdev`.
Config config_with(const std::string& vdev, const std::string& device, unsigned mtu) {
    return config_from(R"("--no-pci", "--vdev", ")" + vdev + R"(")",
                       R"({"name": "lan", "device": ")" + device + R"(", "role": "both", "mtu": )" +
                           std::to_string(mtu) + "}");
}

} // namespace

TEST_CASE("port environment: the interface an af_packet or af_xdp port runs over must exist",
          "[ports]") {
    for (const std::string driver : {"net_af_packet0", "net_af_xdp0"}) {
        std::vector<std::string> errors, warnings;
        check_port_environment(config_with(driver + ",iface=siit-no-such-if", driver, 1500), errors,
                               warnings);
        REQUIRE(errors.size() == 1);
        CHECK(errors[0] == "port lan (" + driver +
                               "): interface siit-no-such-if does not exist here (its --vdev's "
                               "iface=); create it before siitd starts, or name an existing one");
        errors.clear();
        check_port_environment(config_with(driver + ",iface=lo", driver, 1500), errors, warnings);
        CHECK(errors.empty());
    }
}

TEST_CASE("port environment: an AF_XDP port's MTU fits one frame", "[ports]") {
    std::vector<std::string> errors, warnings;
    check_port_environment(config_with("net_af_xdp0,iface=lo", "net_af_xdp0", kAfXdpMaxMtu), errors,
                           warnings);
    CHECK(errors.empty());
    check_port_environment(config_with("net_af_xdp0,iface=lo", "net_af_xdp0", kAfXdpMaxMtu + 1),
                           errors, warnings);
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::StartsWith("port lan (net_af_xdp0): mtu 3543 is more than an "
                                            "AF_XDP frame carries (at most 3542"));
    // net_af_packet has no such limit.
    errors.clear();
    check_port_environment(config_with("net_af_packet0,iface=lo", "net_af_packet0", 9000), errors,
                           warnings);
    CHECK(errors.empty());
}

TEST_CASE("port environment: with only virtual devices, --no-pci is advised", "[ports]") {
    const std::string port = R"({"name": "lan", "device": "net_null0", "role": "both"})";
    std::vector<std::string> errors, warnings;
    check_port_environment(config_from(R"("--vdev", "net_null0")", port), errors, warnings);
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::StartsWith("every port is a virtual device (net_...), but the "
                                              "EAL probes the PCI bus"));
    CHECK_THAT(warnings[0], Catch::EndsWith("add \"--no-pci\" to \"eal\""));
    // Not where it is there, nor where PCI devices are named (-a) or a port is one.
    warnings.clear();
    check_port_environment(config_from(R"("--no-pci", "--vdev", "net_null0")", port), errors,
                           warnings);
    check_port_environment(config_from(R"("-a", "0000:03:00.0", "--vdev", "net_null0")", port),
                           errors, warnings);
    check_port_environment(
        config_from("", R"({"name": "lan", "device": "0000:03:00.0", "role": "both"})"), errors,
        warnings);
    CHECK(warnings.empty());
}

TEST_CASE("port environment: the bpffs warning concerns AF_XDP ports only", "[ports]") {
    std::vector<std::string> errors, warnings;
    check_port_environment(config_with("net_af_packet0,iface=lo", "net_af_packet0", 1500), errors,
                           warnings);
    CHECK(warnings.empty());
}

namespace {

// A plugin directory like Debian's (.../dpdk/pmds-23.0), holding the named plugin files.
struct PluginDir {
    explicit PluginDir(std::initializer_list<std::string> plugins) {
        path = temp.path + "/pmds-23.0";
        std::filesystem::create_directory(path);
        for (const auto& plugin : plugins)
            std::ofstream(path + "/librte_" + plugin + ".so.23");
    }
    TempDir temp;
    std::string path;
};

} // namespace

TEST_CASE("driver plugins: each missing one is named with its file and Debian package", "[ports]") {
    const Config config = config_from(
        R"("--vdev", "net_af_packet0,iface=eth1", "--vdev=net_tun1,iface=siit", "--vdev", "net_pcap2")",
        R"({"name": "wan", "device": "net_af_packet0", "role": "ipv4", "kernel-interface": "k4"},
           {"name": "lan", "device": "net_pcap2", "role": "ipv6"})");
    const PluginDir none({});
    const auto errors = missing_driver_plugins(config, none.path);
    REQUIRE(errors.size() == 5);
    CHECK(errors[0] == "every mbuf pool needs DPDK's mempool_ring driver, which is not installed "
                       "(no librte_mempool_ring.so in " +
                           none.path + "); on Debian: apt install librte-mempool-ring23");
    CHECK_THAT(errors[1], Catch::StartsWith("--vdev net_af_packet0 needs DPDK's net_af_packet "
                                            "driver"));
    CHECK_THAT(errors[1], Catch::EndsWith("apt install librte-net-af-packet23"));
    // net_tun is the tap driver's.
    CHECK_THAT(errors[2], Catch::StartsWith("--vdev net_tun1 needs DPDK's net_tap driver"));
    CHECK_THAT(errors[3], Catch::StartsWith("--vdev net_pcap2 needs DPDK's net_pcap driver"));
    CHECK_THAT(errors[4], Catch::StartsWith("port wan's kernel interface k4 needs DPDK's net_tap"));
    CHECK_THAT(errors[4], Catch::EndsWith("apt install librte-net-tap23"));

    const PluginDir all({"mempool_ring", "net_af_packet", "net_tap", "net_pcap"});
    CHECK(missing_driver_plugins(config, all.path).empty());
    const PluginDir no_pcap({"mempool_ring", "net_af_packet", "net_tap"});
    CHECK(missing_driver_plugins(config, no_pcap.path).size() == 1);
}

TEST_CASE("driver plugins: linked-in drivers and unknown ones are left to the EAL", "[ports]") {
    const Config config =
        config_from(R"("--vdev", "net_af_packet0,iface=eth1", "--vdev", "net_somenic0")",
                    R"({"name": "wan", "device": "net_af_packet0", "role": "both"})");
    // No plugin directory: a DPDK built with its drivers linked in.
    CHECK(missing_driver_plugins(config, "").empty());
    CHECK(missing_driver_plugins(config, "/nonexistent/pmds-23.0").empty());
    // An unknown driver's plugin name is not guessed.
    const PluginDir known({"mempool_ring", "net_af_packet"});
    CHECK(missing_driver_plugins(config, known.path).empty());
}

TEST_CASE("driver plugins: this machine's DPDK has the plugins the tests use", "[ports]") {
    // The e2e tests run net_null, net_af_packet and kernel interfaces on this DPDK: the check must
    // not refuse what the EAL loads.
    const Config config = config_from(
        R"("--vdev", "net_null0", "--vdev", "net_af_packet1,iface=lo", "--vdev", "net_ring0")",
        R"({"name": "wan", "device": "net_null0", "role": "both", "kernel-interface": "k4"})");
    CHECK(missing_driver_plugins(config, driver_plugin_dir()).empty());
}
