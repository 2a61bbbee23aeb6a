// A port's needs from the machine; see ports/environment.hpp.
#include "ports/environment.hpp"

#include <net/if.h>
#include <sys/statfs.h>

namespace siitd {

namespace {

constexpr long kBpfFsMagic = 0xcafe4a11; // linux/magic.h's BPF_FS_MAGIC

bool bpffs_mounted(const char* path) {
    struct statfs fs {};
    return statfs(path, &fs) == 0 && static_cast<long>(fs.f_type) == kBpfFsMagic;
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
        if (xdp && port.mtu > kAfXdpMaxMtu)
            errors.push_back(where + "mtu " + std::to_string(port.mtu) +
                             " is more than an AF_XDP frame carries (at most " +
                             std::to_string(kAfXdpMaxMtu) +
                             ": a frame is one 4 KiB page with its headroom); use net_af_packet "
                             "or a DPDK NIC for jumbo frames");
    }
    if (af_xdp && !bpffs_mounted("/sys/fs/bpf"))
        warnings.push_back("no bpffs at /sys/fs/bpf: libxdp loads its XDP program on each "
                           "AF_XDP port's interface without its dispatcher, so no other XDP "
                           "program can share that interface (mount -t bpf bpf /sys/fs/bpf)");
}

} // namespace siitd
