// Kernel interface addresses from the configuration; see kernel/addresses.hpp.
#include "kernel/addresses.hpp"

#include <linux/if_addr.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <sys/socket.h>

#include <memory>

namespace siitd {

namespace {

struct SocketDeleter {
    void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct AddrDeleter {
    void operator()(rtnl_addr* a) const { rtnl_addr_put(a); }
};
struct NlAddrDeleter {
    void operator()(nl_addr* a) const { nl_addr_put(a); }
};

} // namespace

bool assign_kernel_addresses(const Config& config, std::string& error) {
    std::unique_ptr<nl_sock, SocketDeleter> sock;
    for (const auto& port : config.ports) {
        if (port.addresses.empty()) continue;
        if (!sock) {
            sock.reset(nl_socket_alloc());
            if (!sock || nl_connect(sock.get(), NETLINK_ROUTE) < 0) {
                error = "cannot open a netlink socket to the kernel";
                return false;
            }
        }
        const unsigned ifindex = if_nametoindex(port.kernel_interface.c_str());
        if (ifindex == 0) {
            error = port.kernel_interface + ": no such interface";
            return false;
        }
        for (const auto& text : port.addresses) {
            const auto parsed = parse_interface_address(text);
            if (!parsed) continue; // parse_config refused it already
            std::unique_ptr<rtnl_addr, AddrDeleter> addr(rtnl_addr_alloc());
            nl_addr* local = nullptr;
            const std::string bare = text.substr(0, text.find('/'));
            const int family = parsed->ipv4 ? AF_INET : AF_INET6;
            if (!addr || nl_addr_parse(bare.c_str(), family, &local) < 0) {
                error = port.kernel_interface + ": " + text + ": cannot be represented";
                return false;
            }
            std::unique_ptr<nl_addr, NlAddrDeleter> local_owner(local);
            nl_addr_set_prefixlen(local, parsed->length);
            rtnl_addr_set_ifindex(addr.get(), static_cast<int>(ifindex));
            rtnl_addr_set_family(addr.get(), family);
            rtnl_addr_set_local(addr.get(), local);
            rtnl_addr_set_prefixlen(addr.get(), parsed->length);
            if (family == AF_INET6) rtnl_addr_set_flags(addr.get(), IFA_F_NODAD);
            const int rc = rtnl_addr_add(sock.get(), addr.get(), 0);
            if (rc < 0 && rc != -NLE_EXIST) {
                error = port.kernel_interface + ": " + text + ": " + nl_geterror(rc);
                return false;
            }
        }
    }
    return true;
}

} // namespace siitd
