// A port's needs from the machine; see ports/environment.hpp.
#include "ports/environment.hpp"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace siitd {

namespace {

constexpr long kBpfFsMagic = 0xcafe4a11; // linux/magic.h's BPF_FS_MAGIC

bool bpffs_mounted(const char* path) {
    struct statfs fs {};
    return statfs(path, &fs) == 0 && static_cast<long>(fs.f_type) == kBpfFsMagic;
}

// The kernel driver behind interface `name` (ETHTOOL_GDRVINFO: "veth", "tun", "ixgbe"), or "".
std::string interface_driver(const std::string& name) {
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return "";
    ethtool_drvinfo info{};
    info.cmd = ETHTOOL_GDRVINFO;
    ifreq request{};
    std::strncpy(request.ifr_name, name.c_str(), IFNAMSIZ - 1);
    request.ifr_data = reinterpret_cast<char*>(&info);
    const bool known = ioctl(fd, SIOCETHTOOL, &request) == 0;
    close(fd);
    return known ? std::string(info.driver, strnlen(info.driver, sizeof info.driver)) : "";
}

// Interfaces whose peer is a kernel on the same machine (a veth's other end, a VM's tap): what
// that kernel sends itself arrives with its TCP and UDP checksums left to an offload that never
// runs (only the pseudo-header's sum in the field) and, with TSO or GSO, as segments larger than
// the MTU. siitd cannot tell a partial checksum from a wrong one; the receiver drops the packet.
bool peer_may_offload(const std::string& driver) {
    return driver == "veth" || driver == "tun";
}

} // namespace

void check_port_environment(const Config& config, std::vector<std::string>& errors,
                            std::vector<std::string>& warnings) {
    bool af_xdp = false;
    for (const PortConfig& port : config.ports) {
        const bool xdp = port.device.rfind("net_af_xdp", 0) == 0;
        af_xdp = af_xdp || xdp;
        const std::string iface = vdev_interface(config.eal_args, port.device);
        const std::string where = "port " + port.name + " (" + port.device + "): ";
        if (!iface.empty() && if_nametoindex(iface.c_str()) == 0)
            errors.push_back(where + "interface " + iface +
                             " does not exist here (its --vdev's iface=); create it before "
                             "siitd starts, or name an existing one");
        else if (!iface.empty() && peer_may_offload(interface_driver(iface)))
            warnings.push_back(
                where + "interface " + iface + " is a " + interface_driver(iface) +
                ": what the kernel at its other end sends itself reaches siitd with TCP and UDP "
                "checksums left to offload and TSO/GSO segments unsplit, so TCP through it stalls "
                "(counted as drop_frame_over_mtu, or dropped by the receiver as bad checksums); "
                "on that end run: ethtool -K IFACE tx off tso off gso off (docs/router-box.md)");
        if (xdp && port.mtu > kAfXdpMaxMtu)
            errors.push_back(where + "mtu " + std::to_string(port.mtu) +
                             " is more than an AF_XDP frame carries (at most " +
                             std::to_string(kAfXdpMaxMtu) +
                             ": a frame is one 4 KiB page with its headroom); use net_af_packet "
                             "or a DPDK NIC for jumbo frames");
    }
    // With only virtual devices the PCI bus holds nothing siitd uses, yet the EAL probes it and
    // may take a NIC bound to vfio-pci or uio, the management port's included.
    const auto has = [&](const char* arg) {
        return std::find(config.eal_args.begin(), config.eal_args.end(), arg) !=
               config.eal_args.end();
    };
    const bool all_virtual =
        !config.ports.empty() &&
        std::all_of(config.ports.begin(), config.ports.end(),
                    [](const PortConfig& p) { return p.device.rfind("net_", 0) == 0; });
    if (all_virtual && !has("--no-pci") && !has("-a") && !has("--allow"))
        warnings.push_back("every port is a virtual device (net_...), but the EAL probes the PCI "
                           "bus and may take any NIC given to DPDK: add \"--no-pci\" to \"eal\"");
    if (af_xdp && !bpffs_mounted("/sys/fs/bpf"))
        warnings.push_back("no bpffs at /sys/fs/bpf: libxdp loads its XDP program on each "
                           "AF_XDP port's interface without its dispatcher, so no other XDP "
                           "program can share that interface (mount -t bpf bpf /sys/fs/bpf)");
}

} // namespace siitd
