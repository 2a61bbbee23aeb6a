// What a port needs from the machine (app/port_environment.cpp): the reasons --check-config and
// the start give before DPDK would fail with a driver's error.
#include <catch2/catch.hpp>

#include "config.hpp"
#include "port_environment.hpp"

using namespace siitd;

namespace {

Config config_with(const std::string& vdev, const std::string& device, unsigned mtu) {
    const std::string text = R"({"eal": ["--vdev", ")" + vdev +
                             R"("], "ports": [{"name": "lan", "device": ")" + device +
                             R"(", "role": "both", "mtu": )" + std::to_string(mtu) +
                             R"(}], "translation": {"pool6": "2001:db8:64::/96"}})";
    std::vector<std::string> errors;
    const auto config = parse_config(text, "test.json", errors);
    REQUIRE(errors.empty());
    return *config;
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

TEST_CASE("port environment: the bpffs warning concerns AF_XDP ports only", "[ports]") {
    std::vector<std::string> errors, warnings;
    check_port_environment(config_with("net_af_packet0,iface=lo", "net_af_packet0", 1500), errors,
                           warnings);
    CHECK(warnings.empty());
}
